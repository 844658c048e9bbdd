package inputs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
)

// TestIgnoredGoModNamesTheSpecIgnoreFile: a .dockerignore made for another
// Dockerfile (`*`, `!app`) leaves go.mod out, and the error names the
// spec's own ignore file, which BuildKit (and DirRead) reads first and
// which makes the context whole again.
func TestIgnoredGoModNamesTheSpecIgnoreFile(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"go.mod":         "module example.com/app\n\ngo 1.26.8\n",
		"main.go":        "package main\n\nfunc main() {}\n",
		"app":            "a prebuilt binary\n",
		"goscratch.yaml": "main: .\n",
		".dockerignore":  "*\n!app\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "goscratch.yaml")
	sp, err := spec.Parse("goscratch.yaml", []byte("main: .\n"))
	if err != nil {
		t.Fatal(err)
	}
	load := func() (*Module, error) {
		excludes, err := Excludes(dir, file)
		if err != nil {
			t.Fatal(err)
		}
		read, err := DirRead(dir, excludes)
		if err != nil {
			t.Fatal(err)
		}
		return ReadModule(context.Background(), read, func(context.Context) ([]string, error) { return excludes, nil }, sp)
	}
	_, err = load()
	want := "no go.mod at go.mod in the build context: the ignore patterns leave it out; BuildKit applies goscratch.yaml.dockerignore (next to the spec) instead of .dockerignore when it exists"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v\nwant it to say %q", err, want)
	}
	if err := os.WriteFile(file+".dockerignore", []byte("app\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if mod, err := load(); err != nil || !strings.Contains(string(mod.GoMod), "example.com/app") {
		t.Errorf("with goscratch.yaml.dockerignore: %v", err)
	}

	// without patterns, or patterns that keep go.mod, the error is about module:
	for _, ignore := range []Ignore{nil, func(context.Context) ([]string, error) { return []string{"*.log"}, nil }} {
		err := missingGoMod(context.Background(), "svc/go.mod", "goscratch.yaml", ignore)
		if !strings.Contains(err.Error(), "point `module:` at the directory holding go.mod") {
			t.Errorf("error %v", err)
		}
	}
}
