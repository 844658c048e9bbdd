package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes Parse, Resolve or BuilderImage panic,
// that failures are always a non-empty ErrorList, and that a spec that parses
// also validates and resolves every target. Seeds: the golden specs and
// testdata/fuzz (go test -fuzz=FuzzParse -fuzztime=60s ./spec/).
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/spec.yaml")
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"main: .\ntargets: {a: {<<: *x}}\n",
		"x-a: &a {main: .}\n<<: *a\n",
		"main: .\nfiles: [{src: a, dst: /a, mode: 0o7777, owner: '0:0'}]\n",
		"? a\n: b\n",
		"main: !!str\n",
		"- - - - x\n",
		// inputs that crashed YAML parsers before (goccy/go-yaml #274, #439, #479; go-yaml #116)
		"a:\n- b: c\n- \n", "0::", "{{},<<}", "%YAML 1.2\n---\na: 1\nb: 0_\n",
		"---\n- - - - - - - - {\n0}0\n---", "---\n ? \"\n\"0\n---", "0: \n  0: [0\n0]0", "  0: [\n0]0",
		"main: .\n<<: 0\n", "main: .\n<<: [0]\n", "&a main: .\n", "*a: x\n", "main: &x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// a hang fails the run through the fuzz engine's and go test's
		// timeouts; no wall-clock bound here
		s, err := Parse("f.yaml", data)
		if err != nil {
			checkErrorList(t, err)
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("parsed spec fails Validate: %v", err)
		}
		if _, err := s.DefaultPlatforms(); err != nil {
			t.Fatalf("parsed spec has bad platforms: %v", err)
		}
		_, _ = BuilderImage(s, nil)
		_, _ = BuilderImage(s, []byte("module example.com/m\ngo 1.26\n"))
		names := s.TargetNames()
		if s.HasDefault() {
			names = append(names, "")
		}
		for _, name := range names {
			checkResolve(t, s, name)
		}
	})
}

// FuzzTemplate checks that no template text makes the check or Render
// panic, that Render refuses what the check refuses, and that a template
// the check accepts renders with empty data and, with large data, to at
// most 64 KiB (text without {{ is no template and stays as it is).
// go test -fuzz=FuzzTemplate -fuzztime=60s ./spec/
func FuzzTemplate(f *testing.F) {
	for _, s := range []string{
		templateBomb, "-s -w -X main.version={{.Version}}", `{{or (index .Args "V") .Version "dev"}}`,
		`{{if .Version}}{{.Version}}{{else if .Revision}}{{.Revision}}{{else}}dev{{end}}`,
		`{{with .Version}}{{.}}{{end}}`, `{{define "a"}}{{template "a"}}{{end}}{{template "a"}}`,
		`{{$x := .Version}}{{$x}}`, `{{.Version | printf "%s"}}`, `{{or (or (or .OS .Arch) .Variant)}}`,
		`{{/* c */}}{{- .Name -}}`, `{{index .Args}}`, `{{.Args.X}}`, `{{.Epoch}}{{.Date}}`,
	} {
		f.Add(s)
	}
	big := TemplateData{Args: map[string]string{"V": strings.Repeat("a", 1<<12)}}
	for _, p := range []*string{&big.Version, &big.Revision, &big.Source, &big.Date, &big.OS, &big.Arch, &big.Variant, &big.Platform, &big.Target, &big.Name} {
		*p = strings.Repeat("x", 1<<12)
	}
	f.Fuzz(func(t *testing.T, tmpl string) {
		if p := checkTemplate(tmpl); p != nil {
			if p.msg == "" {
				t.Fatalf("refusal without a message: %+v", p)
			}
			if _, err := Render(tmpl, big); err == nil {
				t.Fatalf("Render ran a template the check refuses (%v)", p)
			}
			return
		}
		if _, err := Render(tmpl, TemplateData{}); err != nil {
			t.Fatalf("accepted template fails with empty data: %v", err)
		}
		out, err := Render(tmpl, big)
		if len(out) > maxTemplateOutput && strings.Contains(tmpl, "{{") {
			t.Fatalf("rendered %d bytes", len(out))
		}
		if err != nil && !errors.Is(err, errTemplateTooLong) {
			t.Fatalf("accepted template fails with data: %v", err)
		}
	})
}

func checkErrorList(t *testing.T, err error) {
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 || len(list) > maxErrors+1 {
		t.Fatalf("error is %T with %d entries: %v", err, len(list), err)
	}
	for _, e := range list {
		if e.File != "f.yaml" || e.Msg == "" {
			t.Fatalf("malformed error %+v", e)
		}
	}
}

func checkResolve(t *testing.T, s *Spec, name string) {
	for _, mod := range []string{"example.com/m", ""} {
		r, err := s.Resolve(name, mod)
		if err != nil {
			continue // e.g. main "." without a module path, or names that clash once defaulted
		}
		if len(r.Binaries) == 0 || r.Goenv == nil || r.Env == nil || r.Labels == nil || r.Annotations == nil {
			t.Fatalf("Resolve(%q) = %+v", name, r)
		}
		for _, b := range r.Binaries {
			if checkBinaryName(b.Name) != nil || b.Name == "" || checkMainPath(b.Main) != nil {
				t.Fatalf("Resolve(%q): bad binary %+v", name, b)
			}
		}
	}
}
