package llb

import (
	"slices"
	"testing"

	"github.com/moby/buildkit/solver/pb"
)

// TestCacheMountsGraph: with CacheMounts the download writes into the
// persistent module cache, the build reads it and Go's own build cache
// mount after the download, and nothing lists or precompiles dependencies.
func TestCacheMountsGraph(t *testing.T) {
	opt := options(arm64)
	opt.Cache = CacheMounts
	r := resolved()
	_, g := convert(t, r, opt)
	modID, buildID := sharedID(r, opt, "gomodcache"), sharedID(r, opt, "gocache")

	dl := g.exec(toolBin, "download")
	if want := []string{toolBin, "download"}; !slices.Equal(dl.Meta.Args, want) {
		t.Errorf("download args %q, want %q", dl.Meta.Args, want)
	}
	if m := mount(dl, modCacheDir); m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.ID != modID || m.CacheOpt.Sharing != pb.CacheSharingOpt_SHARED || m.Readonly {
		t.Errorf("download module cache %v, want the writable shared cache mount %s", m, modID)
	}
	if m := mount(dl, modSeedDir); m != nil {
		t.Errorf("download has a seed mount %v; CacheMounts downloads into the mount itself", m)
	}
	done := mount(dl, modDoneDir)
	if done == nil || done.Output < 0 || done.Input != -1 {
		t.Fatalf("download output %v, want an (empty) output on scratch that orders the builds", done)
	}
	for _, m := range dl.Mounts {
		if m.Dest == srcDir {
			t.Errorf("download mounts the source; a source edit would re-run it")
		}
	}

	for _, maker := range []string{"deps", "precompile"} {
		if ops := g.execs(toolBin, maker); len(ops) > 0 {
			t.Errorf("CacheMounts graph has %d %q steps, want none", len(ops), maker)
		}
	}

	b := g.exec(toolBin, "build")
	if want := []string{toolBin, "build", "-trimpath", "-buildvcs=false", "-ldflags", "-s -w", "-o", "/goscratch/out/usr/local/bin/server", "./cmd/server"}; !slices.Equal(b.Meta.Args, want) {
		t.Errorf("build args\n got %q\nwant %q (Go's own GOCACHE, no cache program)", b.Meta.Args, want)
	}
	if m := mount(b, modCacheDir); m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.ID != modID || !m.Readonly {
		t.Errorf("build module cache %v, want the persistent mount, read-only", m)
	}
	if m := mount(b, buildCache); m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.ID != buildID || m.Readonly {
		t.Errorf("build cache %v, want the writable persistent mount", m)
	}
	m := mount(b, modDoneDir)
	if m == nil || !m.Readonly || m.ContentCache != pb.MountContentCache_OFF {
		t.Fatalf("build mount of the download's output %v, want read-only, content cache off", m)
	}
	if e := g.input(g.opOf(b), m.Input).GetExec(); e == nil || !slices.Equal(e.Meta.Args, dl.Meta.Args) {
		t.Errorf("build's %s does not come from the download step", modDoneDir)
	}
	if m := mount(b, depLayerDir); m != nil {
		t.Errorf("build mounts a dependency layer %v with CacheMounts", m)
	}
	assertDeterministic(t, resolved(), opt)
}

// TestCacheModesSameBuild: the mode changes where caches live, never what
// is compiled: the build's env, flags and the image's layers are the same.
func TestCacheModesSameBuild(t *testing.T) {
	mounts, layers := options(armv7), options(armv7)
	mounts.Cache = CacheMounts
	rm, gm := convert(t, resolved(), mounts)
	rl, gl := convert(t, resolved(), layers)
	bm, bl := gm.exec(toolBin, "build"), gl.exec(toolBin, "build")
	if !slices.Equal(bm.Meta.Env, bl.Meta.Env) {
		t.Errorf("build env differs:\n mounts %q\n layers %q", bm.Meta.Env, bl.Meta.Env)
	}
	i := slices.Index(bl.Meta.Args, "--")
	if i < 0 || !slices.Equal(bm.Meta.Args[2:], bl.Meta.Args[i+1:]) {
		t.Errorf("go build flags differ:\n mounts %q\n layers %q", bm.Meta.Args, bl.Meta.Args)
	}
	if len(rm.Image.History) != len(rl.Image.History) {
		t.Errorf("history: %d entries with mounts, %d with layers", len(rm.Image.History), len(rl.Image.History))
	}
	if got, want := len(gm.root().Inputs), len(gl.root().Inputs); got != want {
		t.Errorf("final image merges %d layers with mounts, %d with layers", got, want)
	}
}
