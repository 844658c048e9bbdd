package spec

import (
	"strings"
	"testing"
)

func TestBuilderImage(t *testing.T) {
	const mod = "module example.com/app\n\n"
	for _, c := range []struct {
		name, spec, gomod, want, err string
	}{
		{name: "builder wins", spec: "builder: golang:1.25-alpine\n", gomod: mod + "go 1.26.8\n", want: "golang:1.25-alpine"},
		{name: "go", spec: "go: 1.24\n", gomod: mod + "go 1.26.8\ntoolchain go1.26.9\n", want: "golang:1.24"},
		{name: "go without go.mod", spec: "go: 1.26.8\n", want: "golang:1.26.8"},
		{name: "toolchain", gomod: mod + "go 1.25.0\n\ntoolchain go1.26.8\n", want: "golang:1.26.8"},
		{name: "toolchain suffix", gomod: mod + "go 1.25.0\ntoolchain go1.26.8+auto\n", want: "golang:1.26.8"},
		{name: "toolchain custom", gomod: mod + "go 1.25.0\ntoolchain go1.27rc2-corp.1\n", want: "golang:1.27rc2"},
		{name: "toolchain unusable", gomod: mod + "go 1.25.0\ntoolchain default\n", want: "golang:1.25.0"},
		{name: "go line patch", gomod: mod + "go 1.26.8\n", want: "golang:1.26.8"},
		{name: "go line minor", gomod: mod + "go 1.22\n", want: "golang:1.22"},
		{name: "go line rc", gomod: mod + "go 1.27rc1\n", want: "golang:1.27rc1"},
		{name: "no go.mod", spec: "module: services/api\n", err: `spec.yaml:2:1: no go.mod in module directory "services/api" to choose the Go version from (set go`},
		{name: "no go line", gomod: mod, err: `go.mod in module directory "." has no usable go or toolchain line`},
		{name: "broken go.mod", gomod: "module\n", err: `spec.yaml: cannot read go.mod in module directory "."`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := mustParse(t, "main: .\n"+c.spec)
			got, err := BuilderImage(s, []byte(c.gomod))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("got %q, %v; want error containing %q", got, err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

func TestModulePath(t *testing.T) {
	for in, want := range map[string]string{
		"module example.com/app\n\ngo 1.26\n":    "example.com/app",
		"// comment\nmodule \"example.com/q\"\n": "example.com/q",
		"go 1.26\n":                              "",
		"":                                       "",
	} {
		if got := ModulePath([]byte(in)); got != want {
			t.Errorf("ModulePath(%q) = %q, want %q", in, got, want)
		}
	}
}

// mustParse parses a spec that must be valid, as spec.yaml.
func mustParse(t *testing.T, src string) *Spec {
	t.Helper()
	s, err := Parse("spec.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%s\n%v", src, err)
	}
	return s
}
