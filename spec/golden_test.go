package spec

import (
	"encoding/json"
	"errors"
	"github.com/goscratch/goscratch/internal/golden"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// defaultGomod is the go.mod of a golden case that has none of its own.
const defaultGomod = "module example.com/acme/app\n\ngo 1.26.8\n"

// TestGolden parses testdata/<case>/spec.yaml and compares with expected.txt:
// the exact error text, or for a valid spec the builder image and every
// resolved target as JSON. A case may have its own go.mod.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/spec.yaml")
	if err != nil || len(dirs) < 30 {
		t.Fatalf("want at least 30 golden cases, found %d (%v)", len(dirs), err)
	}
	for _, specFile := range dirs {
		dir := filepath.Dir(specFile)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			got := goldenOutput(t, dir)
			golden.Check(t, filepath.Join(dir, "expected.txt"), got)
		})
	}
}

var errLine = regexp.MustCompile(`^spec\.yaml:\d+:\d+: `)

func goldenOutput(t *testing.T, dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		gomod = []byte(defaultGomod)
	}
	s, err := Parse("spec.yaml", data)
	if err != nil {
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("error is %T, want ErrorList", err)
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !errLine.MatchString(line) {
				t.Errorf("error without file:line:col: %q", line)
			}
		}
		return err.Error() + "\n"
	}
	return resolvedJSON(t, s, gomod)
}

// resolvedJSON is the builder image and every target of s, default first.
func resolvedJSON(t *testing.T, s *Spec, gomod []byte) string {
	out := struct {
		Builder  string
		Resolved []*Resolved
	}{}
	var err error
	if out.Builder, err = BuilderImage(s, gomod); err != nil {
		t.Fatalf("BuilderImage: %v", err)
	}
	names := s.TargetNames()
	if s.HasDefault() {
		names = append([]string{""}, names...)
	}
	if s.Test != nil {
		names = append(names, TestTarget)
	}
	for _, name := range names {
		r, err := s.Resolve(name, ModulePath(gomod))
		if err != nil {
			t.Fatalf("Resolve(%q): %v", name, err)
		}
		out.Resolved = append(out.Resolved, r)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}
