// Package integration proves goscratch against a real buildkitd (runc
// worker), a real registry on 127.0.0.1 and the real docker buildx client.
// `make test` brings them up (hack/env-up.sh: internal/lab), builds and
// pushes the frontend image and sets GOSCRATCH_FRONTEND; the tests are
// skipped under -short. The lab is the one the environment names, with
// internal/lab's defaults (GOSCRATCH_ENV, GOSCRATCH_REGISTRY,
// GOSCRATCH_BUILDER; BUILDKIT_HOST overrides the lab's socket).
// Each file is one capability; each test can run alone with -run.
package integration

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	gslab "github.com/goscratch/goscratch/internal/lab"
	"github.com/moby/buildkit/client"
)

// lab is the environment the tests run against.
type lab struct {
	BuildkitAddr string // unix://.../buildkitd.sock
	Registry     string // 127.0.0.1:5000
	Frontend     string // the frontend image under test, in Registry
	Builder      string // docker buildx builder (remote driver) on BuildkitAddr
}

func requireLab(t *testing.T) *lab {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs the real buildkitd (run without -short, via make test)")
	}
	env := gslab.FromEnv(os.Getenv)
	l := &lab{
		BuildkitAddr: envOr("BUILDKIT_HOST", env.Addr()),
		Registry:     env.Registry,
		Frontend:     os.Getenv("GOSCRATCH_FRONTEND"),
		Builder:      env.Builder,
	}
	if l.Frontend == "" {
		t.Fatal("GOSCRATCH_FRONTEND is not set: run the suite with `make test`, which starts the lab and builds the frontend image (or hack/env-up.sh and GOSCRATCH_FRONTEND=$(hack/frontend-image.sh))")
	}
	return l
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func (l *lab) client(t *testing.T) *client.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.New(ctx, l.BuildkitAddr)
	if err != nil {
		t.Fatalf("connect to buildkitd at %s: %v", l.BuildkitAddr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ref returns a fresh image reference in the local registry.
func (l *lab) ref(name string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return l.Registry + "/it/" + name + ":" + hex.EncodeToString(b)
}

// buildx runs `docker buildx build` on the lab builder with the frontend
// under test selected through BUILDKIT_SYNTAX (what `# syntax=` resolves to).
func (l *lab) buildx(t *testing.T, dir string, args ...string) string {
	t.Helper()
	full := append([]string{"buildx", "build", "--builder", l.Builder, "--progress", "plain",
		"--build-arg", "BUILDKIT_SYNTAX=" + l.Frontend}, args...)
	full = append(full, dir)
	return run(t, "docker", full...)
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := runErr(name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func runErr(name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return buf.String(), err
}

// repoPath is a path relative to the repository root.
func repoPath(p string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", p)
}

// copyDir copies a directory tree (an example) to a temp dir the test may edit.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		dt, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, dt, info.Mode())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// writeTree writes files (slash paths -> contents) into a new temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runIn runs a command in dir with env added to the environment.
func runIn(dir string, env []string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err := cmd.Run()
	return buf.String(), err
}
