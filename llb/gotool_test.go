package llb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// TestGoToolEmbedsEverySource fails when a file is added to gotool/ but not
// to the embedded list: the builder would fail to compile gotool.
func TestGoToolEmbedsEverySource(t *testing.T) {
	paths, err := filepath.Glob("gotool/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range paths {
		if !strings.HasSuffix(p, "_test.go") {
			want = append(want, filepath.Base(p))
		}
	}
	got := slices.Sorted(slices.Values(goToolFiles))
	if !slices.Equal(got, want) {
		t.Errorf("embedded gotool files %v, want every non-test file of gotool/: %v", got, want)
	}
	for _, name := range goToolFiles {
		embedded, err := goToolSource.ReadFile("gotool/" + name)
		if err != nil {
			t.Fatalf("%s not embedded: %v", name, err)
		}
		onDisk, _ := os.ReadFile(filepath.Join("gotool", name))
		if string(embedded) != string(onDisk) {
			t.Errorf("%s: embedded copy differs from the file", name)
		}
	}
}

// TestPrebuiltToolMount: with a prebuilt gotool every Go step bind-mounts
// that one file of the frontend image (BuildKit keys the steps on its
// content), and nothing compiles gotool or carries its bytes in the LLB.
func TestPrebuiltToolMount(t *testing.T) {
	const img = "127.0.0.1:5000/goscratch/goscratch@sha256:0000000000000000000000000000000000000000000000000000000000000001"
	for _, mode := range []CacheMode{CacheMounts, CacheLayers} {
		opt := options(arm64)
		opt.Cache = mode
		opt.GoTool = &PrebuiltTool{Image: llb.Image(img), Path: "/bin/gotool"}
		_, g := convert(t, resolved(), opt)
		if c := g.execs("go", "build"); len(c) != 0 {
			t.Errorf("%s: gotool is compiled although a prebuilt one was given", mode)
		}
		steps := g.execs(toolBin)
		if len(steps) == 0 {
			t.Fatalf("%s: no gotool steps", mode)
		}
		for _, op := range steps {
			e := op.GetExec()
			m := mount(e, toolBin)
			if m == nil || !m.Readonly || m.Selector != "/bin/gotool" || m.ContentCache == pb.MountContentCache_OFF {
				t.Errorf("%s: %q mounts gotool as %v, want /bin/gotool of the image, read-only, content-hashed", mode, e.Meta.Args[1], m)
				continue
			}
			if src := g.input(op, m.Input).GetSource(); src == nil || src.Identifier != "docker-image://"+img {
				t.Errorf("%s: %q gotool comes from %v, want the frontend image", mode, e.Meta.Args[1], src)
			}
			if m := mount(e, toolDir); m != nil {
				t.Errorf("%s: %q also mounts %s", mode, e.Meta.Args[1], toolDir)
			}
		}
		assertDeterministic(t, resolved(), opt)
	}
}
