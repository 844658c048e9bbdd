package spec

import (
	"errors"
	"strings"
	"testing"
)

func TestParseReportsEveryMistake(t *testing.T) {
	src := `# syntax=ghcr.io/goscratch/goscratch:v1
main: ./cmd/server
platforms: [linux/amd64, windows/amd64]
expose: [8080, 8080]
usr: root
certs: maybe
files:
  - {src: /etc/passwd, dst: passwd}
targets:
  debug:
    zoneinfo: embedd
`
	_, err := Parse("goscratch.yaml", []byte(src))
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T, want ErrorList: %v", err, err)
	}
	want := []struct {
		pos  Pos
		path string
	}{
		{Pos{3, 26}, "platforms[1]"},
		{Pos{4, 16}, "expose[1]"},
		{Pos{5, 1}, "usr"},
		{Pos{6, 8}, "certs"},
		{Pos{8, 11}, "files[0].src"},
		{Pos{8, 29}, "files[0].dst"},
		{Pos{11, 15}, "targets.debug.zoneinfo"},
	}
	if len(list) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(list), len(want), err)
	}
	for i, w := range want {
		if list[i].Pos != w.pos || list[i].Path != w.path || list[i].File != "goscratch.yaml" || list[i].Msg == "" {
			t.Errorf("error %d = %+v, want %v %s", i, list[i], w.pos, w.path)
		}
	}
	var one *Error
	if !errors.As(err, &one) || one != list[0] {
		t.Error("errors.As does not find the first *Error")
	}
}

func TestParseLimits(t *testing.T) {
	deepBlock := "main: .\nx:\n" + strings.Repeat("- ", 100) + "a\n"
	var indented strings.Builder
	indented.WriteString("main: .\n")
	for i := range 100 {
		indented.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	for name, c := range map[string]struct{ src, want string }{
		"too big":       {"main: .\n" + strings.Repeat("#", maxSpecBytes), "spec.yaml:1:1: spec is 1048584 bytes, more than the 1 MiB limit"},
		"tokens":        {"main: .\nx: [" + strings.Repeat("a,", maxTokens) + "]\n", "more than 10000 YAML tokens"},
		"flow depth":    {"main: .\nx: " + strings.Repeat("[", 33) + strings.Repeat("]", 33) + "\n", "spec.yaml:2:36: spec is nested more than 32 levels deep"},
		"block depth":   {deepBlock, "nested more than 32 levels deep"},
		"indent depth":  {indented.String(), "nested more than 32 levels deep"},
		"values":        {"main: .\na: &a [" + strings.Repeat("x,", 100) + "]\nb: [" + strings.Repeat("*a,", 101) + "]\n", "more than 10000 values"},
		"empty":         {"", "spec.yaml:1:1: empty spec"},
		"whitespace":    {"\n\n   \n", "spec.yaml:1:1: empty spec"},
		"only ---":      {"---\n", "spec.yaml:1:1: empty spec"},
		"NUL":           {"main: .\x00", "spec.yaml:1:8: spec contains a NUL byte"},
		"bad UTF-8":     {"main: .\nuser: \xff\n", "spec.yaml:2:7: spec is not valid UTF-8"},
		"control char":  {"main: .\x1b[0m\n", "spec.yaml:1:8: spec contains the control character U+001B"},
		"scalar spec":   {"./cmd/server\n", "spec.yaml:1:1: the spec must be a mapping of fields, got a string (./cmd/server)"},
		"tab indent":    {"main: .\nenv:\n\tA: b\n", "invalid YAML"},
		"two documents": {"main: .\n---\nmain: .\n", "spec.yaml:3:1: spec has more than one YAML document"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("spec.yaml", []byte(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

// TestParseHostileInputIsRejected feeds the parser's quadratic cases: each
// must come back (a hang fails through go test's timeout) with an error,
// except the long but valid string.
func TestParseHostileInputIsRejected(t *testing.T) {
	inputs := map[string]string{
		"many keys":   strings.Repeat("k: v\n", 200000),
		"deep flow":   "x: " + strings.Repeat("[", 200000),
		"deep block":  strings.Repeat("- ", 200000),
		"long string": "main: " + strings.Repeat("a", maxSpecBytes-10),
		"many lines":  strings.Repeat("# c\n", 200000),
	}
	for name, src := range inputs {
		_, err := Parse("spec.yaml", []byte(src))
		if (err == nil) != (name == "long string") {
			t.Errorf("%s: Parse error %v", name, err)
		}
	}
}

func TestParseAccepts(t *testing.T) {
	for name, src := range map[string]string{
		"syntax line":        "# syntax=ghcr.io/goscratch/goscratch:v1\nmain: ./cmd/server\n",
		"BOM":                "\ufeffmain: ./cmd/server\n",
		"CRLF":               "main: ./cmd/server\r\nexpose: [8080]\r\n",
		"document markers":   "%YAML 1.2\n---\nmain: .\n...\n",
		"flow style":         "{main: ., expose: [80], labels: {a: b}}\n",
		"null optionals":     "main: .\nuser:\nexpose: ~\nlabels:\ntargets:\n",
		"x- fields":          "x-defaults: &d {user: root}\nmain: .\ntargets: {a: {<<: *d}}\n",
		"quoted keys":        "\"main\": .\n'user': root\n",
		"numbers as strings": "main: .\ngo: 1.20\nlabels: {a: 1, b: true, c: 1.5}\ncmd: [1, true]\nuser: 1000\n",
		"folded block":       "main: .\nlabels:\n  desc: >-\n    multi\n    line\n",
		"version 1 string":   "version: \"1\"\nmain: .\n",
		"tagged":             "main: !!str .\ncerts: !!bool true\n",
	} {
		t.Run(name, func(t *testing.T) { mustParse(t, src) })
	}
}

func TestParseValues(t *testing.T) {
	s := mustParse(t, "x-d: &d\n  user: root\n  expose: [1]\nmain: .\ngo: 1.20\nlabels: {n: 010, b: yes}\n"+
		"targets:\n  a:\n    <<: *d\n    user: \"7\"\n  b:\n")
	if s.Go != "1.20" || s.Labels["n"] != "010" || s.Labels["b"] != "yes" {
		t.Errorf("scalars not kept as written: go=%q labels=%v", s.Go, s.Labels)
	}
	a := s.Targets["a"]
	if a.User != "7" || len(a.Expose) != 1 {
		t.Errorf("merge key: explicit keys must win, merged keys fill in: %+v", a)
	}
	if b, ok := s.Targets["b"]; !ok || b == nil {
		t.Error("null target must be an empty target")
	}
	if s.File() != "spec.yaml" || s.Pos("targets.a.user") != (Pos{10, 5}) || s.Pos("labels.b") != (Pos{6, 18}) || s.Pos("nope") != (Pos{}) {
		t.Errorf("positions: file %q user %v labels.b %v", s.File(), s.Pos("targets.a.user"), s.Pos("labels.b"))
	}
	var zero Spec
	if zero.File() != "" || zero.Pos("main") != (Pos{}) {
		t.Error("a spec built in Go has positions")
	}
}

func TestErrorFormat(t *testing.T) {
	for want, e := range map[string]*Error{
		"f.yaml:3:7: main: bad (do this)": {File: "f.yaml", Pos: Pos{3, 7}, Path: "main", Msg: "bad", Hint: "do this"},
		"f.yaml: bad":                     {File: "f.yaml", Msg: "bad"},
	} {
		if got := e.Error(); got != want {
			t.Errorf("Error() = %q, want %q", got, want)
		}
	}
}

func TestParseCapsErrors(t *testing.T) {
	_, err := Parse("spec.yaml", []byte("main: .\ntags: ["+strings.Repeat("'a b', ", 80)+"]\n"))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != maxErrors+1 || !strings.HasSuffix(err.Error(), "spec.yaml:2:358: 30 more errors not shown") {
		t.Fatalf("got %d errors, last %v", len(list), list[len(list)-1])
	}
}

func TestParseShortensHugeValues(t *testing.T) {
	_, err := Parse("spec.yaml", []byte("main: /"+strings.Repeat("é", 5000)+"\n"))
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "…") {
		t.Fatalf("got %d bytes: %.100s", len(err.Error()), err)
	}
}
