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
		read, ignore := dirReader(t, dir, file)
		return ReadModule(context.Background(), read, ignore, sp)
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

	// a .dockerignore that keeps go.mod but not go.sum (a module with
	// requirements): the go.sum error names the spec's ignore file too
	if err := os.Remove(file + ".dockerignore"); err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string]string{
		"go.mod":        "module example.com/app\n\ngo 1.26.8\n\nrequire golang.org/x/sync v0.19.0\n",
		"go.sum":        "golang.org/x/sync v0.19.0 h1:x\ngolang.org/x/sync v0.19.0/go.mod h1:y\n",
		".dockerignore": "*\n!app\n!go.mod\n!*.go\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read, ignore := dirReader(t, dir, file)
	_, err = Load(context.Background(), Request{Spec: sp, Read: read, Ignore: ignore})
	want = "no go.sum at go.sum in the build context: the ignore patterns leave it out; BuildKit applies goscratch.yaml.dockerignore"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("go.sum left out by .dockerignore: error %v\nwant it to say %q", err, want)
	}

	// without patterns, or patterns that keep go.mod, the error is about module:
	for _, ignore := range []Ignore{nil, func(context.Context) ([]string, error) { return []string{"*.log"}, nil }} {
		err := missingGoMod(context.Background(), "svc/go.mod", "goscratch.yaml", ignore)
		if !strings.Contains(err.Error(), "point `module:` at the directory holding go.mod") {
			t.Errorf("error %v", err)
		}
	}
}

// dirReader reads dir as the CLI does, with the ignore patterns of the
// spec file (its own .dockerignore, else dir's).
func dirReader(t *testing.T, dir, specFile string) (Read, Ignore) {
	t.Helper()
	excludes, err := Excludes(dir, specFile)
	if err != nil {
		t.Fatal(err)
	}
	read, err := DirRead(dir, excludes)
	if err != nil {
		t.Fatal(err)
	}
	return read, func(context.Context) ([]string, error) { return excludes, nil }
}
