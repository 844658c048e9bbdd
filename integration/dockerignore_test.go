package integration

import (
	"path/filepath"
	"testing"
)

// Capability: a project whose .dockerignore is made for another Dockerfile
// (one that copies a prebuilt binary: `*` then `!app`) builds with
// goscratch through the spec's own ignore file, goscratch.yaml.dockerignore,
// which BuildKit reads instead; without it the error says so.

func TestSpecIgnoreFileReplacesDockerignore(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, ".dockerignore"), "# the release Dockerfile copies the prebuilt binary only\n*\n!app\n")
	writeFile(t, filepath.Join(dir, "app"), "a prebuilt binary\n")
	attrs := map[string]string{"platform": "linux/amd64"}

	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs)
	if err == nil {
		t.Fatal("the build succeeded without go.mod in the context")
	}
	wantContains(t, "the error", report(err, p), "no go.mod at go.mod in the build context: the ignore patterns leave it out",
		"BuildKit applies goscratch.yaml.dockerignore (next to the spec) instead of .dockerignore")

	writeFile(t, filepath.Join(dir, "goscratch.yaml.dockerignore"), "app\n")
	if _, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs); err != nil {
		t.Fatalf("with goscratch.yaml.dockerignore: %v\n%s", err, p.allLogs())
	}
}
