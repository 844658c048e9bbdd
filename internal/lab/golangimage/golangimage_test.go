package golangimage

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTags(t *testing.T) {
	if got := Plain.Tags("1.26.8"); !reflect.DeepEqual(got, []string{"1.26.8", "1.26"}) {
		t.Errorf("plain: %v", got)
	}
	if got := Bookworm.Tags("1.25.10"); !reflect.DeepEqual(got, []string{"1.25.10-bookworm", "1.25-bookworm"}) {
		t.Errorf("bookworm: %v", got)
	}
}

func TestParseFlavour(t *testing.T) {
	for _, s := range []string{"plain", "bookworm"} {
		if f, err := ParseFlavour(s); err != nil || string(f) != s {
			t.Errorf("%s: %v %v", s, f, err)
		}
	}
	if _, err := ParseFlavour("alpine"); err == nil {
		t.Error("alpine accepted")
	}
}

func TestDefaultPlatforms(t *testing.T) {
	none := func(string) string { return "" }
	if got := Plain.DefaultPlatforms(none); !reflect.DeepEqual(got, []string{"linux/amd64", "linux/arm64"}) {
		t.Errorf("plain: %v", got)
	}
	if got := Bookworm.DefaultPlatforms(none); !reflect.DeepEqual(got, []string{"linux/amd64"}) {
		t.Errorf("bookworm: %v", got)
	}
	env := func(k string) string {
		return map[string]string{"GOSCRATCH_BOOKWORM_PLATFORMS": "linux/amd64,linux/arm64"}[k]
	}
	if got := Bookworm.DefaultPlatforms(env); len(got) != 2 {
		t.Errorf("GOSCRATCH_BOOKWORM_PLATFORMS ignored: %v", got)
	}
}

// The images are laid out as hack/golang-image.sh and
// hack/golang-bookworm-image.sh laid them out.
func TestDockerfiles(t *testing.T) {
	plain := Plain.Dockerfile("1.26.8")
	want := `FROM scratch
ARG TARGETARCH
COPY goroot/${TARGETARCH}/ /usr/local/go/
COPY rootfs/ /
COPY busybox/${TARGETARCH} /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV GOLANG_VERSION=1.26.8 \
    GOTOOLCHAIN=local \
    GOPATH=/go \
    HOME=/root \
    PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
CMD ["/bin/sh"]
`
	if _, body, _ := strings.Cut(plain, "\n"); body != want {
		t.Errorf("plain Dockerfile:\n%s\nwant\n%s", body, want)
	}
	bookworm := Bookworm.Dockerfile("1.26.8")
	want = `FROM scratch
ARG TARGETARCH
ADD rootfs-${TARGETARCH}.tar.zst /
COPY goroot/${TARGETARCH}/ /usr/local/go/
COPY gopath/ /go/
ENV GOLANG_VERSION=1.26.8 \
    GOTOOLCHAIN=local \
    GOPATH=/go \
    PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
CMD ["bash"]
`
	if _, body, _ := strings.Cut(bookworm, "\n"); body != want {
		t.Errorf("bookworm Dockerfile:\n%s\nwant\n%s", body, want)
	}
}

func TestVerifyDockerfiles(t *testing.T) {
	p := Plain.VerifyDockerfile("1.26.8")
	for _, s := range []string{"FROM golang:1.26.8\n", `test "$(go env GOROOT)" = /usr/local/go`, `CGO_ENABLED=0 go build -o hello . && ./hello; \`} {
		if !strings.Contains(p, s) {
			t.Errorf("plain verify lacks %q:\n%s", s, p)
		}
	}
	b := Bookworm.VerifyDockerfile("1.26.8-bookworm")
	for _, s := range []string{"FROM golang:1.26.8-bookworm\n", `test "$(go env CGO_ENABLED)" = 1`, "gcc --version", "readelf -l dyn | grep -q 'program interpreter'"} {
		if !strings.Contains(b, s) {
			t.Errorf("bookworm verify lacks %q:\n%s", s, b)
		}
	}
	// every line of the RUN but the last continues it
	for _, df := range []string{p, b} {
		lines := strings.Split(strings.TrimSpace(df), "\n")
		for _, l := range lines[2 : len(lines)-1] {
			if !strings.HasSuffix(l, `\`) {
				t.Errorf("RUN line does not continue: %q", l)
			}
		}
	}
}

func TestNewestPatch(t *testing.T) {
	versions := strings.Fields(`v0.0.1-go1.25.9.linux-amd64 v0.0.1-go1.25.10.linux-amd64 v0.0.1-go1.25.11.linux-arm64
		v0.0.1-go1.25rc1.linux-amd64 v0.0.1-go1.250.1.linux-amd64 v0.0.1-go1.25.2.linux-amd64 v0.0.1-go1.25.12.darwin-amd64`)
	if got := NewestPatch(versions, "1.25", "amd64"); got != "1.25.10" {
		t.Errorf("got %q, want 1.25.10 (numeric order, this arch, no rc, not 1.250)", got)
	}
	if got := NewestPatch(versions, "1.24", "amd64"); got != "" {
		t.Errorf("got %q for a minor with no release", got)
	}
}

func TestProxyOnly(t *testing.T) {
	for in, want := range map[string]string{
		"https://proxy.golang.org,direct": "https://proxy.golang.org",
		"https://a|https://b|off":         "https://a|https://b",
		"http://127.0.0.1:3000":           "http://127.0.0.1:3000",
	} {
		if got, err := ProxyOnly(in); err != nil || got != want {
			t.Errorf("ProxyOnly(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"direct", "off", ""} {
		if _, err := ProxyOnly(in); err == nil {
			t.Errorf("ProxyOnly(%q) accepted", in)
		}
	}
}

func TestAptURIs(t *testing.T) {
	deb822 := "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://mirror.example/debian-security other\n"
	list := "# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m2.example/debian bookworm main\ndeb-src http://src.example/debian bookworm main\ndeb http://m3.example/debian-security bookworm-security main\n"
	got := AptURIs(deb822, list)
	want := []string{"http://mirror.example/debian", "http://mirror.example/debian-security", "http://m2.example/debian", "http://m3.example/debian-security"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if firstMatch(got, `/debian-security/?$`) != "http://mirror.example/debian-security" || firstMatch(got, `/debian/?$`) != "http://mirror.example/debian" {
		t.Error("firstMatch")
	}
}

func TestArches(t *testing.T) {
	if got := arches([]string{"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/arm/v6"}); !reflect.DeepEqual(got, []string{"amd64", "arm64", "arm"}) {
		t.Errorf("got %v", got)
	}
}

// The key is the hash of the inputs' values: equal inputs, equal keys; any
// value changes it.
func TestInputsKey(t *testing.T) {
	mk := func(vals ...string) inputs {
		var in inputs
		for i := 0; i < len(vals); i += 2 {
			in.add(vals[i], vals[i+1])
		}
		return in
	}
	a := mk("version", "1.26.8", "toolchain/amd64", "h1:abc")
	if a.key() != mk("version", "1.26.8", "toolchain/amd64", "h1:abc").key() {
		t.Error("same inputs, different keys")
	}
	if a.key() == mk("version", "1.26.8", "toolchain/amd64", "h1:abd").key() {
		t.Error("a toolchain change keeps the key")
	}
	if a.text() != "version 1.26.8\ntoolchain/amd64 h1:abc\n" {
		t.Errorf("text %q", a.text())
	}
}

func TestDebianKey(t *testing.T) {
	keyring := filepath.Join(t.TempDir(), "k.gpg")
	if err := os.WriteFile(keyring, []byte("keys"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := DefaultDebian(func(k string) string {
		return map[string]string{"GOSCRATCH_DEBIAN_MIRROR": "http://m.example/debian", "GOSCRATCH_DEBIAN_SECURITY_MIRROR": "http://s.example/debian-security"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	d.Keyring = keyring
	if d.Suite != "bookworm" || !strings.Contains(strings.Join(d.Packages, " "), "gcc g++ libc6-dev") {
		t.Errorf("recipe %+v", d)
	}
	k1, err := d.Key("amd64")
	if err != nil {
		t.Fatal(err)
	}
	if k2, _ := d.Key("amd64"); k1 != k2 || len(k1) != 16 {
		t.Errorf("keys %s %s", k1, k2)
	}
	if k, _ := d.Key("arm64"); k == k1 {
		t.Error("arch not in the key")
	}
	e := d
	e.Packages = append(append([]string{}, d.Packages...), "mercurial")
	if k, _ := e.Key("amd64"); k == k1 {
		t.Error("packages not in the key")
	}
	e = d
	e.Mirror = "http://other.example/debian"
	if k, _ := e.Key("amd64"); k == k1 {
		t.Error("mirror not in the key")
	}
	if err := os.WriteFile(keyring, []byte("new keys"), 0o644); err != nil {
		t.Fatal(err)
	}
	if k, _ := d.Key("amd64"); k == k1 {
		t.Error("keyring content not in the key")
	}
	if !strings.Contains(d.Sources(), "Suites: bookworm bookworm-updates\n") || !strings.Contains(d.Sources(), "URIs: http://s.example/debian-security\n") {
		t.Errorf("sources:\n%s", d.Sources())
	}
}

func TestStamp(t *testing.T) {
	f := filepath.Join(t.TempDir(), "stamps", "golang-image-plain-1.26.8")
	if s := readStamp(f); s != (stamp{}) {
		t.Errorf("missing stamp read as %+v", s)
	}
	if err := writeStamp(f, stamp{"k", "sha256:d"}, "version 1.26.8\n"); err != nil {
		t.Fatal(err)
	}
	if s := readStamp(f); s != (stamp{"k", "sha256:d"}) {
		t.Errorf("stamp %+v", s)
	}
	if dt, _ := os.ReadFile(f + ".inputs"); string(dt) != "version 1.26.8\n" {
		t.Errorf("inputs %q", dt)
	}
}

func TestPlainRootfs(t *testing.T) {
	if _, err := os.Stat(caBundle); err != nil {
		t.Skip("no CA bundle on this machine")
	}
	if _, err := os.Stat(zoneinfo); err != nil {
		t.Skip("no zoneinfo on this machine")
	}
	r := filepath.Join(t.TempDir(), "rootfs")
	if err := makePlainRootfs(r); err != nil {
		t.Fatal(err)
	}
	for p, mode := range map[string]os.FileMode{"tmp": 0o777 | os.ModeSticky | os.ModeDir, "go/src": 0o777 | os.ModeSticky | os.ModeDir, "root": 0o700 | os.ModeDir, "etc/passwd": 0o644} {
		fi, err := os.Stat(filepath.Join(r, p))
		if err != nil || fi.Mode() != mode {
			t.Errorf("%s: %v %v, want %v", p, fi.Mode(), err, mode)
		}
	}
	if _, err := os.Stat(filepath.Join(r, "usr/share/zoneinfo/UTC")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(r, "etc/ssl/certs/ca-certificates.crt")); err != nil {
		t.Error(err)
	}
}
