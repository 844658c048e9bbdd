package spec

import (
	"strings"
	"testing"
)

// wantProblem checks a rule result: want "" means valid, else a substring of the message.
func wantProblem(t *testing.T, in string, got *problem, want string) {
	t.Helper()
	switch {
	case want == "" && got != nil:
		t.Errorf("%q: unexpected problem %v", in, got)
	case want != "" && got == nil:
		t.Errorf("%q: no problem, want %q", in, want)
	case want != "" && !strings.Contains(got.Error(), want):
		t.Errorf("%q: got %q, want it to contain %q", in, got.Error(), want)
	}
}

func TestCheckGoVersion(t *testing.T) {
	for in, want := range map[string]string{
		"1.26": "", "1.26.8": "", "1.27rc1": "", "1.22beta2": "", "1.0": "",
		"go1.22": "without the go prefix", "1.22-alpine": "use builder", "1": "not a Go version",
		"1.22.": "not a Go version", "1.022": "not a Go version", "2.0": "not a Go version", "1.22rc": "not a Go version",
	} {
		wantProblem(t, in, checkGoVersion(in), want)
	}
}

func TestCheckImageRef(t *testing.T) {
	for in, want := range map[string]string{
		"golang:1.26": "", "docker.io/library/golang:1.26.8-alpine": "",
		"golang@sha256:" + strings.Repeat("a", 64): "", "registry.local:5000/go/builder:v1": "",
		"Golang:1.26": "must be lowercase", "golang:": "not a valid image reference", "golang 1.26": "not a valid image reference",
	} {
		wantProblem(t, in, checkImageRef(in), want)
	}
}

func TestCheckMainPath(t *testing.T) {
	for in, want := range map[string]string{
		".": "", "./cmd/server": "", "cmd/server": "", "./cmd/server/": "", "./a/../b": "", "./.hidden": "",
		"/abs": "absolute", "..": "leaves the module", "../x": "leaves the module", "./a/../../x": "leaves the module",
		"./...": "pattern", "example.com/x": "import path", `cmd\x`: "backslash",
	} {
		wantProblem(t, in, checkMainPath(in), want)
	}
}

func TestNormalizeMainAndDefaultName(t *testing.T) {
	for in, want := range map[string][2]string{
		".":              {".", "."},
		"./":             {".", "."},
		"cmd/server":     {"./cmd/server", "server"},
		"./cmd/server/":  {"./cmd/server", "server"},
		"./cmd/tool/v2":  {"./cmd/tool/v2", "tool"},
		"./v2":           {"./v2", "v2"},
		"./a/../b/x.exe": {"./b/x.exe", "x.exe"},
	} {
		got := normalizeMain(in)
		if got != want[0] {
			t.Errorf("normalizeMain(%q) = %q, want %q", in, got, want[0])
		}
		if name := defaultName(got); name != want[1] {
			t.Errorf("defaultName(%q) = %q, want %q", got, name, want[1])
		}
	}
	for in, want := range map[string]string{"example.com/app": "app", "example.com/app/v2": "app", "app": "app", "services/api": "api"} {
		if got := defaultName(in); got != want {
			t.Errorf("defaultName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckContextPath(t *testing.T) {
	for in, want := range map[string]string{
		".": "", "a/b": "", "./a/": "", "a/../b": "",
		"/etc": "absolute", "..": "leaves", "../a": "leaves", "a/../../b": "leaves", `a\b`: "backslash",
	} {
		wantProblem(t, in, checkContextPath("src", in), want)
	}
}

func TestCheckImagePath(t *testing.T) {
	for in, want := range map[string]string{
		"/": "", "/srv": "", "/srv/static/": "",
		"srv": "not absolute", "./srv": "not absolute", "/a/../b": "write /b", "/a//b": "write /a/b", "/a/./b": "write /a/b",
	} {
		wantProblem(t, in, checkImagePath("workdir", in), want)
	}
}

func TestParseUser(t *testing.T) {
	for in, want := range map[string]User{
		"root":              {"root", 0, 0},
		"nonroot":           {"nonroot", 65532, 65532},
		"1000":              {"app", 1000, 1000},
		"1000:2000":         {"app", 1000, 2000},
		"0":                 {"root", 0, 0},
		"0:5":               {"root", 0, 5},
		"2147483647:0":      {"app", 2147483647, 0},
		"65532:65532":       {"app", 65532, 65532},
		"00042":             {"app", 42, 42},
		"2147483648":        {},
		"-1":                {},
		"+1":                {},
		"1000:":             {},
		":1000":             {},
		"1:2:3":             {},
		"nobody":            {},
		"root:root":         {},
		"99999999999999999": {},
	} {
		got, prob := parseUser(in)
		if (want == User{}) != (prob != nil) || got != want {
			t.Errorf("parseUser(%q) = %+v, %v; want %+v", in, got, prob, want)
		}
	}
}

func TestCheckOwner(t *testing.T) {
	for in, want := range map[string]string{"0:0": "", "65532:65532": "", "1000": "not UID:GID", "a:b": "not UID:GID", "1:": "not UID:GID"} {
		wantProblem(t, in, checkOwner(in), want)
	}
}

func TestParsePort(t *testing.T) {
	for in, want := range map[string]Port{
		"8080": {8080, "tcp"}, "8080/tcp": {8080, "tcp"}, "53/udp": {53, "udp"}, "53/UDP": {53, "udp"}, "9/sctp": {9, "sctp"},
		"0": {0, "tcp"}, "70000": {70000, "tcp"}, "80/http": {80, "http"},
	} {
		got, prob := parsePort(in)
		if prob != nil || got != want {
			t.Errorf("parsePort(%q) = %+v, %v; want %+v", in, got, prob, want)
		}
	}
	for in, want := range map[string]string{"": "not a port", "80/": "not a port", "http": "not a port", "8000-8010": "ranges"} {
		_, prob := parsePort(in)
		wantProblem(t, in, prob, want)
	}
	for p, want := range map[Port]string{{1, "tcp"}: "", {65535, "udp"}: "", {0, "tcp"}: "out of range", {65536, "tcp"}: "out of range", {80, "http"}: "unknown protocol"} {
		wantProblem(t, p.String(), checkPort(p), want)
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]uint32{"0644": 0o644, "644": 0o644, "0o755": 0o755, "0O755": 0o755, "4755": 0o4755, "0": 0, "17777": 0o17777} {
		got, prob := parseMode(in)
		if prob != nil || got != want {
			t.Errorf("parseMode(%q) = %o, %v; want %o", in, got, prob, want)
		}
	}
	for _, in := range []string{"", "0o", "0999", "rw-r--r--", "0x1F", "-644", "777777777777777"} {
		if _, prob := parseMode(in); prob == nil {
			t.Errorf("parseMode(%q): no problem", in)
		}
	}
	wantProblem(t, "010000", checkMode(0o10000), "more than 07777")
	wantProblem(t, "07777", checkMode(0o7777), "")
}

func TestCheckGoflag(t *testing.T) {
	for in, want := range map[string]string{
		"-buildvcs=false": "", "-trimpath": "", "-gcflags=all=-N -l": "", "-mod=vendor": "", "--a": "",
		"-o": "output path", "-o=/x": "output path", "--ldflags=-s": "ldflags field", "-tags=x": "tags field",
		"-race": "cgo", "-buildmode=c-shared": "static", "-linkshared": "static", "v": "does not start with -", "-a -v": "several flags",
	} {
		wantProblem(t, in, checkGoflag(in), want)
	}
}

func TestCheckBuildTag(t *testing.T) {
	for in, want := range map[string]string{
		"netgo": "", "go1.22": "", "with-dash": "", "under_score": "",
		"a,b": "several tags", "a b": "several tags", "": "not a valid build tag", "!neg": "not a valid build tag",
	} {
		wantProblem(t, in, checkBuildTag(in), want)
	}
}

func TestCheckEnvNames(t *testing.T) {
	for in, want := range map[string]string{
		"GOEXPERIMENT": "", "CGO_ENABLED": "", "GOPRIVATE": "", "_X": "",
		"GOOS": "target platform", "GOARM64": "target platform", "GOAMD64": "target platform",
		"GOCACHE": "persistent cache", "GOMODCACHE": "persistent cache", "1X": "not a valid variable name", "A-B": "not a valid variable name",
	} {
		wantProblem(t, in, checkGoenvName(in), want)
	}
}

func TestCheckBinaryAndTargetNames(t *testing.T) {
	for in, want := range map[string]string{"server": "", "api-migrate": "", ".hidden": "", "a/b": "contains /", ".": "not a file name", "..": "not a file name", strings.Repeat("x", 256): "longer than 255"} {
		wantProblem(t, in, checkBinaryName(in), want)
	}
	for in, want := range map[string]string{"api": "", "api.v2": "", "0day": "", "a_b-c": "", "API": "not valid", "-x": "not valid", "": "not valid", "a b": "not valid"} {
		wantProblem(t, in, checkTargetName(in), want)
	}
}

func TestSuggest(t *testing.T) {
	fields := []string{"main", "name", "platforms", "expose", "entrypoint", "env", "goenv", "user", "files", "binaries", "tags"}
	for in, want := range map[string]string{
		"plaforms": "platforms", "Platforms": "platforms", "platform": "platforms", "entrypiont": "entrypoint",
		"ports": "expose", "mian": "main", "envs": "env", "file": "files", "binary": "binaries", "tag": "tags",
		"image_name": "", "x": "", "zzzzzz": "", strings.Repeat("a", 100): "",
	} {
		if got := suggest(in, fields, fieldAliases); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"a", "", 1}, {"amd46", "amd64", 1}, {"kitten", "sitting", 3}, {"ca", "abc", 3}, {"héllo", "hello", 1}} {
		if got := distance(c.a, c.b); got != c.d {
			t.Errorf("distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestFieldPath(t *testing.T) {
	for want, elems := range map[string][]any{
		"main":                  {"main"},
		"targets.api.expose[1]": {"targets", "api", "expose", 1},
		`labels["org.opencontainers.image.source"]`: {"labels", "org.opencontainers.image.source"},
		`targets["api.v2"].files[0].src`:            {"targets", "api.v2", "files", 0, "src"},
	} {
		if got := FieldPath(elems...); got != want {
			t.Errorf("FieldPath(%v) = %q, want %q", elems, got, want)
		}
	}
}
