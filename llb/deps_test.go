package llb

import (
	"slices"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/solver/pb"
)

// TestDependencyLayerKeys checks what the precompile step can see: go.mod
// and go.sum, the module cache layer, the dependency list and the build
// cache, never the source, so a source edit keeps its cache key (the list's
// content is the same) and --cache-from can bring it to a fresh builder.
func TestDependencyLayerKeys(t *testing.T) {
	r := resolved()
	r.Binaries[0].Tags = []string{"netgo"}
	r.Goflags = []string{"-v"}
	_, g := convert(t, r, options(armv7))
	pre := g.exec(toolBin, "precompile")
	wantArgs := []string{toolBin, "precompile", "-list", depsDir + "/deps.txt", "-cache-out", depLayerDir, "-cache-rw", buildCache, "--",
		"-trimpath", "-buildvcs=false", "-v", "-tags", "netgo"}
	if !slices.Equal(pre.Meta.Args, wantArgs) {
		t.Errorf("precompile args\n got %q\nwant %q", pre.Meta.Args, wantArgs)
	}
	if m := mount(pre, srcDir); m != nil {
		t.Errorf("precompile mounts the source: a source edit would re-run it")
	}
	if m := mount(pre, depLayerDir); m == nil || m.Output < 0 || m.Input != -1 || m.MountType != pb.MountType_BIND {
		t.Errorf("dependency layer mount %v: want an output on scratch (a real layer, not a cache mount)", m)
	}
	if m := mount(pre, gomodDir); m == nil || !m.Readonly {
		t.Errorf("go.mod mount %v", m)
	}
	list := mount(pre, depsDir)
	if list == nil || !list.Readonly || list.ContentCache == pb.MountContentCache_OFF {
		t.Fatalf("deps list mount %v: want read-only and content-hashed (its content is the key)", list)
	}
	lister := g.input(g.opOf(pre), list.Input).GetExec()
	if lister == nil || lister.Meta.Args[1] != "deps" {
		t.Fatalf("deps list mount does not come from gotool deps: %v", lister)
	}
	if want := []string{toolBin, "deps", "-o", depsDir + "/deps.txt", "-flag", "-trimpath", "-flag", "-buildvcs=false", "-flag", "-v", "-flag", "-tags", "-flag", "netgo", "./cmd/server"}; !slices.Equal(lister.Meta.Args, want) {
		t.Errorf("deps args\n got %q\nwant %q", lister.Meta.Args, want)
	}
	// the same target env in the three steps, so the action ids match
	build := g.exec(toolBin, "build")
	for _, e := range []*pb.ExecOp{lister, pre} {
		env := envMap(e)
		for _, k := range []string{"GOOS", "GOARCH", "GOARM", "CGO_ENABLED", "GOFLAGS", "GOCACHE"} {
			if env[k] != envMap(build)[k] {
				t.Errorf("%s: %s=%q, the build has %q", e.Meta.Args[1], k, env[k], envMap(build)[k])
			}
		}
		if p := g.opOf(e).Platform; p.Architecture != "amd64" {
			t.Errorf("%s runs on %s, want the build platform", e.Meta.Args[1], p.Architecture)
		}
	}
	// the build's compile flags are the precompile's
	i := slices.Index(build.Meta.Args, "--")
	j := slices.Index(build.Meta.Args, "-ldflags")
	if i < 0 || j < 0 || !slices.Equal(build.Meta.Args[i+1:j], wantArgs[slices.Index(wantArgs, "--")+1:]) {
		t.Errorf("build compile flags %q differ from the precompile's", build.Meta.Args)
	}
}

func TestDependencyLayerPerTagSet(t *testing.T) {
	for _, tc := range []struct {
		name string
		bins []spec.ResolvedBinary
		want int
	}{
		{"one binary", nil, 1},
		{"same tags", []spec.ResolvedBinary{{Main: "./cmd/b", Name: "b", Tags: nil}}, 1},
		{"other tags", []spec.ResolvedBinary{{Main: "./cmd/b", Name: "b", Tags: []string{"x"}}}, 2},
		{"tags in another order", []spec.ResolvedBinary{
			{Main: "./cmd/b", Name: "b", Tags: []string{"x", "y"}},
			{Main: "./cmd/c", Name: "c", Tags: []string{"y", "x"}},
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := resolved()
			r.Binaries = append(r.Binaries, tc.bins...)
			_, g := convert(t, r, options(arm64))
			if n := len(g.execs(toolBin, "precompile")); n != tc.want {
				t.Errorf("%d precompile steps, want %d", n, tc.want)
			}
			if n := len(g.execs(toolBin, "deps")); n != tc.want {
				t.Errorf("%d deps steps, want %d", n, tc.want)
			}
		})
	}
}

func TestVendoredHasNoDependencyLayer(t *testing.T) {
	opt := options(amd64)
	opt.Layout = Layout{Vendor: true}
	_, g := convert(t, resolved(), opt)
	if n := len(g.execs(toolBin, "precompile")) + len(g.execs(toolBin, "download")); n != 0 {
		t.Errorf("%d download/precompile steps for a vendored module", n)
	}
	if b := g.exec(toolBin, "build"); slices.Contains(b.Meta.Args, "-cache-ro") {
		t.Errorf("vendored build reads a dependency layer: %q", b.Meta.Args)
	}
}
