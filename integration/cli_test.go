package integration

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// Capability: the goscratch CLI works with BuildKit without the frontend
// image: `goscratch llb | buildctl build`, and the ejected Dockerfile builds
// with BuildKit's Dockerfile frontend into an image that behaves the same.

var cliOnce struct {
	sync.Once
	path string
	err  error
}

// goscratchCLI builds cmd/goscratch once per test process.
func goscratchCLI(t *testing.T) string {
	t.Helper()
	cliOnce.Do(func() {
		dir, err := os.MkdirTemp("", "goscratch-cli-")
		if err != nil {
			cliOnce.err = err
			return
		}
		cliOnce.path = filepath.Join(dir, "goscratch")
		out, err := runErr("go", "build", "-C", repoPath("."), "-o", cliOnce.path, "./cmd/goscratch")
		if err != nil {
			cliOnce.err = &exec.Error{Name: "go build ./cmd/goscratch: " + out, Err: err}
		}
	})
	if cliOnce.err != nil {
		t.Fatal(cliOnce.err)
	}
	return cliOnce.path
}

func TestLLBThroughBuildctl(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	def := run(t, goscratchCLI(t), "llb", filepath.Join(dir, "goscratch.yaml"), "--platform", "linux/arm64")
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "buildctl", "--addr", l.BuildkitAddr, "build",
		"--local", "context="+dir, "--output", "type=local,dest="+out)
	cmd.Stdin = strings.NewReader(def)
	if log, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("goscratch llb | buildctl build: %v\n%s", err, log)
	}
	bin, err := os.ReadFile(filepath.Join(out, "usr/local/bin/hello"))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkStatic(bin, "arm64"); err != nil {
		t.Errorf("binary built from goscratch llb: %v", err)
	}
	for _, f := range []string{"etc/passwd", "etc/ssl/certs/ca-certificates.crt", "usr/share/zoneinfo/Europe/Paris"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing /%s", f)
		}
	}
}

func TestEjectedDockerfileBehavesTheSame(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	// the lab has no docker/dockerfile image: use the daemon's built-in
	// Dockerfile frontend, which reads the same syntax
	df := run(t, goscratchCLI(t), "dockerfile", "--syntax=", filepath.Join(dir, "goscratch.yaml"))
	writeFile(t, filepath.Join(dir, "Dockerfile"), df)
	ref := l.ref("hello-ejected")
	run(t, "buildctl", "--addr", l.BuildkitAddr, "build", "--frontend", "dockerfile.v0",
		"--local", "context="+dir, "--local", "dockerfile="+dir, "--opt", "platform=linux/amd64",
		"--output", "type=image,name="+ref+",push=true")
	ejected := images(t, ref)
	if len(ejected) != 1 {
		t.Fatalf("%d images, want 1", len(ejected))
	}
	var native *image
	nativeRef := helloImage(t, l)
	for _, img := range images(t, nativeRef) {
		if img.Platform.Architecture == "amd64" {
			native = img
		}
	}
	if native == nil {
		t.Fatal("no linux/amd64 image of examples/hello")
	}

	got := l.runInImage(t, ref, ejected[0], "-selfcheck")
	want := l.runInImage(t, nativeRef, native, "-selfcheck")
	if got != want || !strings.Contains(got, "hello from goscratch") {
		t.Errorf("-selfcheck differs\nejected Dockerfile:\n%s\ngoscratch frontend:\n%s", got, want)
	}

	gc, wc := ejected[0].Config.Config, native.Config.Config
	if !slices.Equal(gc.Entrypoint, wc.Entrypoint) || gc.User != wc.User || gc.WorkingDir != wc.WorkingDir ||
		!slices.Equal(keys(gc.ExposedPorts), keys(wc.ExposedPorts)) || !slices.Equal(gc.Env, wc.Env) {
		t.Errorf("image config differs\nejected: %+v\nfrontend: %+v", gc, wc)
	}
	gf, wf := ejected[0].files(t), native.files(t)
	if g, w := fileNames(gf), fileNames(wf); !slices.Equal(g, w) {
		t.Errorf("files differ\nejected: %q\nfrontend: %q", g, w)
	}
	for _, p := range []string{"/etc/passwd", "/etc/group"} {
		if !bytes.Equal(gf[p].Data, wf[p].Data) {
			t.Errorf("%s differs: %q vs %q", p, gf[p].Data, wf[p].Data)
		}
	}
	for p, perm := range map[string]int64{"/tmp/": 0o7777, "/home/nonroot/": 0o7777} {
		g, w := gf[p].Header, wf[p].Header
		if g == nil || w == nil || g.Mode&perm != w.Mode&perm || g.Uid != w.Uid || g.Gid != w.Gid {
			t.Errorf("%s: ejected %+v, frontend %+v", p, g, w)
		}
	}
}

// fileNames are the regular files of an image, sorted.
func fileNames(files map[string]entry) []string {
	var out []string
	for name, e := range files {
		if e.Header.Typeflag == '0' {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}
