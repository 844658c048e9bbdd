package integration

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/solver/errdefs"
)

// Capability: mistakes are shown at the spec line that made them — spec
// errors before anything runs, and a failing `go build` at its main: line
// with the compiler's output and the platform named.

func TestSpecErrorCarriesSourceLine(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), "# syntax=ghcr.io/goscratch/goscratch:v1\nmain: .\nexpose: [8080, 70000]\n")
	_, _, err := l.solveSpec(t, dir, "goscratch.yaml", nil)
	if err == nil {
		t.Fatal("a spec with a port out of range built")
	}
	if !strings.Contains(err.Error(), "goscratch.yaml:3:16: expose[1]: port 70000 is out of range") {
		t.Errorf("error %q does not name the file, line, column and field", err)
	}
	assertSourceLine(t, err, 3)
}

func TestCompileErrorPointsAtMain(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), "# syntax=ghcr.io/goscratch/goscratch:v1\nplatforms: [linux/arm64]\nmain: .\n")
	writeFile(t, filepath.Join(dir, "broken.go"), "package main\n\nvar broken int = \"not an int "+nonce()+"\"\n")
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", nil)
	if err == nil {
		t.Fatal("a module that does not compile built")
	}
	assertSourceLine(t, err, 3)
	failed := p.vertex("[linux/arm64] go build .")
	if len(failed) != 1 || failed[0].Error == "" {
		t.Fatalf("no failed vertex named [linux/arm64] go build .; vertexes: %q", p.names())
	}
	if logs := string(p.logs[failed[0].Digest]); !strings.Contains(logs, "broken.go:3:") || !strings.Contains(logs, "cannot use") {
		t.Errorf("the failed go build's output lacks the compiler error:\n%s", logs)
	}

	// the same through docker buildx: snippet with the line marked, compiler output, platform
	out, err := runErr("docker", "buildx", "build", "--builder", l.Builder, "--progress", "plain",
		"--build-arg", "BUILDKIT_SYNTAX="+l.Frontend, "-f", filepath.Join(dir, "goscratch.yaml"), dir)
	if err == nil {
		t.Fatal("docker buildx built a module that does not compile")
	}
	for _, want := range []string{"[linux/arm64] go build .", "broken.go:3:", "goscratch.yaml:3", ">>> main: ."} {
		if !strings.Contains(out, want) {
			t.Errorf("buildx output lacks %q:\n%s", want, out)
		}
	}
}

// assertSourceLine checks that err carries the spec as its source with line marked.
func assertSourceLine(t *testing.T, err error, line int) {
	t.Helper()
	srcs := errdefs.Sources(err)
	if len(srcs) == 0 {
		t.Fatalf("error carries no source location: %v", err)
	}
	s := srcs[0]
	if s.Info == nil || s.Info.Filename != "goscratch.yaml" || len(s.Ranges) == 0 {
		t.Fatalf("source %+v: want goscratch.yaml with a range", s)
	}
	if got := int(s.Ranges[0].Start.Line); got != line {
		t.Errorf("error points at line %d, want %d: %v", got, line, err)
	}
}
