package integration

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
)

// Capability: no lock-in. The Dockerfile `goscratch dockerfile` ejects for
// every target of every example, vendored and workspace modules included,
// builds with BuildKit's own Dockerfile frontend into the same binaries,
// byte for byte, as the goscratch frontend builds.

func TestEjectedDockerfilesBuildTheSameBinaries(t *testing.T) {
	l := requireLab(t)
	for _, ex := range exampleTargets(t, false) {
		file, target := ex.file, ex.target
		if filepath.Base(ex.dir) == "private" {
			continue // needs a private module proxy and its secrets: integration/private_test.go builds it
		}
		t.Run(ex.name, func(t *testing.T) {
			dir := copyDir(t, filepath.Dir(file))
			args := []string{"dockerfile", "--syntax=", filepath.Join(dir, "goscratch.yaml")}
			if target != "" {
				args = append(args, "--target", target)
			}
			writeFile(t, filepath.Join(dir, "Dockerfile"), run(t, goscratchCLI(t), args...))

			ejected, native := t.TempDir(), t.TempDir()
			run(t, "buildctl", "--addr", l.BuildkitAddr, "build", "--frontend", "dockerfile.v0",
				"--local", "context="+dir, "--local", "dockerfile="+dir, "--opt", "platform=linux/amd64",
				"--output", "type=local,dest="+ejected)
			fargs := []string{"--addr", l.BuildkitAddr, "build",
				"--frontend", "gateway.v0", "--opt", "source=" + l.Frontend,
				"--local", "context=" + dir, "--local", "dockerfile=" + dir, "--opt", "filename=goscratch.yaml",
				"--opt", "platform=linux/amd64", "--output", "type=local,dest=" + native}
			if target != "" {
				fargs = append(fargs, "--opt", "target="+target)
			}
			run(t, "buildctl", fargs...)

			got, want := binaries(t, ejected), binaries(t, native)
			if len(want) == 0 {
				t.Fatal("the frontend's image has no binaries")
			}
			if !slices.Equal(got, want) {
				t.Errorf("binaries (name sha256) differ\nejected Dockerfile: %v\ngoscratch frontend: %v", got, want)
			}
		})
	}
}

// binaries lists the image's /usr/local/bin as "name sha256" lines.
func binaries(t *testing.T, root string) []string {
	t.Helper()
	dir := filepath.Join(root, strings.TrimPrefix(spec.BinDir, "/"))
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		dt, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(dt)
		out = append(out, e.Name()+" "+hex.EncodeToString(sum[:]))
	}
	return out
}
