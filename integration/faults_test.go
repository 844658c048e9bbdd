package integration

import (
	"context"
	"maps"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/tonistiigi/fsutil"
)

// Capability: the faults of real CI. On a buildkitd and a registry of the
// test's own (the lab's are shared and never killed): buildkitd killed with
// SIGKILL in the middle of a build and restarted on the same root, then the
// next build succeeds with the right digest; all caches pruned between builds,
// same digest; the registry killed while a build is about to push, a clear
// error naming the registry, and the retry pushes a complete image.

func TestDaemonFaults(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/hello")
	attrs := map[string]string{"platform": "linux/amd64"}
	// the digest of a build on the lab's daemon: what every build below must give
	want := digestOf(l.pushSpec(t, dir, "goscratch.yaml", attrs))

	work := t.TempDir()
	reg := startPrivateRegistry(t, work)
	bk := startPrivateBuildkitd(t, l, reg.Addr)
	pl := bk.on(l)
	c := pl.client(t)
	parent := t // the clients live as long as the whole test, not one subtest
	nocache := map[string]string{"platform": "linux/amd64", "no-cache": ""}

	t.Run("buildkitd killed mid-build", func(t *testing.T) {
		var once sync.Once
		killed := false
		_, err := pl.solveWatching(c, dir, nocache, nil, func(v *client.Vertex) {
			if v.Started != nil && v.Completed == nil && strings.HasPrefix(v.Name, "[linux/amd64] go build") {
				once.Do(func() { killed = true; bk.kill(t, syscall.SIGKILL) })
			}
		})
		if !killed {
			t.Fatalf("the go build step never started (err %v)", err)
		}
		if err == nil {
			t.Fatal("the build whose daemon was killed succeeded")
		}
		t.Logf("the build failed as its daemon died: %v", err)
		bk.restart(t)
		c = pl.client(parent)
		got, err := pl.solveWatching(c, dir, attrs, pushTo(reg.Addr, "after-kill"), nil)
		if err != nil {
			t.Fatalf("build after the restart: %v\n%s", err, bk.tail())
		}
		if got != want {
			t.Errorf("after a killed build and a restart: digest %s, want %s (the lab's)", got, want)
		}
	})

	t.Run("caches pruned between builds", func(t *testing.T) {
		run(t, "buildctl", "--addr", bk.Addr, "prune", "--all")
		got, err := pl.solveWatching(c, dir, attrs, pushTo(reg.Addr, "after-prune"), nil)
		if err != nil {
			t.Fatalf("build after prune --all: %v", err)
		}
		if got != want {
			t.Errorf("after prune --all: digest %s, want %s", got, want)
		}
	})

	t.Run("registry killed during push", func(t *testing.T) {
		var once sync.Once
		ref := reg.Addr + "/it/fault:push"
		// the registry goes when the binary is built: the push that follows must fail
		_, err := pl.solveWatching(c, dir, nocache, map[string]string{"name": ref, "push": "true"}, func(v *client.Vertex) {
			if v.Completed != nil && strings.HasPrefix(v.Name, "[linux/amd64] go build") {
				once.Do(func() { reg.kill(t, syscall.SIGKILL) })
			}
		})
		if err == nil {
			t.Fatal("a push to a dead registry succeeded")
		}
		msg := err.Error()
		for _, w := range []string{reg.Addr, "push"} {
			if !strings.Contains(msg, w) {
				t.Errorf("the push error does not name %q: %v", w, msg)
			}
		}
		t.Logf("push to the killed registry: %v", msg)
		reg.up(t)
		got, err := pl.solveWatching(c, dir, attrs, map[string]string{"name": ref, "push": "true"}, nil)
		if err != nil {
			t.Fatalf("retry after the registry came back: %v", err)
		}
		if got != want {
			t.Errorf("retried push: digest %s, want %s", got, want)
		}
		// complete: the manifest, config and every layer can be read back
		imgs := images(t, reg.Addr+"/it/fault@"+got)
		if len(imgs) != 1 {
			t.Fatalf("%d images at %s", len(imgs), ref)
		}
		if files := imgs[0].files(t); files["/usr/local/bin/hello"].Header == nil {
			t.Errorf("the pushed image lacks its binary; files: %d", len(files))
		}
	})
}

// pushTo is an image export to reg.
func pushTo(reg, name string) map[string]string {
	return map[string]string{"name": reg + "/it/fault:" + name + "-" + nonce(), "push": "true"}
}

// solveWatching builds examples/hello-like dir's goscratch.yaml through the
// frontend, calls watch with every vertex update, and returns the image
// digest when export (image exporter attributes) is given. It never calls t.
func (l *lab) solveWatching(c *client.Client, dir string, attrs, export map[string]string, watch func(*client.Vertex)) (string, error) {
	fs, err := fsutil.NewFS(dir)
	if err != nil {
		return "", err
	}
	fa := map[string]string{"source": l.Frontend, "filename": "goscratch.yaml"}
	maps.Copy(fa, attrs)
	var exports []client.ExportEntry
	if export != nil {
		exports = []client.ExportEntry{{Type: client.ExporterImage, Attrs: export}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	ch := make(chan *client.SolveStatus)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range ch {
			for _, v := range s.Vertexes {
				if watch != nil {
					watch(v)
				}
			}
		}
	}()
	res, err := c.Solve(ctx, nil, client.SolveOpt{
		Frontend:      "gateway.v0",
		FrontendAttrs: fa,
		LocalMounts:   map[string]fsutil.FS{"context": fs, "dockerfile": fs},
		Exports:       exports,
	}, ch)
	<-done
	if err != nil {
		return "", err
	}
	return res.ExporterResponse["containerimage.digest"], nil
}
