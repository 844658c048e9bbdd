package llb

import (
	"slices"
	"testing"

	"github.com/moby/buildkit/solver/pb"
)

// TestCacheMountsGraph: with CacheMounts the download still makes the
// module cache a layer (seeded from the persistent module cache, which no
// other step mounts), the build reads that layer read-only and Go's own
// build cache mount, and nothing lists or precompiles dependencies.
func TestCacheMountsGraph(t *testing.T) {
	opt := options(arm64)
	opt.Cache = CacheMounts
	r := resolved()
	_, g := convert(t, r, opt)
	modID, buildID := sharedID(r, opt, "gomodcache"), sharedID(r, opt, "gocache")

	dl := g.exec(toolBin, "download")
	if want := []string{toolBin, "download", "-seed", modSeedDir, "-slim"}; !slices.Equal(dl.Meta.Args, want) {
		t.Errorf("download args %q, want %q", dl.Meta.Args, want)
	}
	if m := mount(dl, modSeedDir); m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.ID != modID || m.CacheOpt.Sharing != pb.CacheSharingOpt_SHARED || m.Readonly {
		t.Errorf("download seed %v, want the writable shared cache mount %s", m, modID)
	}
	out := mount(dl, modCacheDir)
	if out == nil || out.Output < 0 || out.Input != -1 || out.MountType != pb.MountType_BIND {
		t.Fatalf("download output %v, want a module cache layer on scratch", out)
	}
	for _, m := range dl.Mounts {
		if m.Dest == srcDir {
			t.Errorf("download mounts the source; a source edit would re-run it")
		}
	}

	for _, maker := range []string{"imports", "prune", "precompile"} {
		if ops := g.execs(toolBin, maker); len(ops) > 0 {
			t.Errorf("CacheMounts graph has %d %q steps, want none", len(ops), maker)
		}
	}

	b := g.exec(toolBin, "build")
	if want := []string{toolBin, "build", "-trimpath", "-buildvcs=false", "-ldflags", "-s -w", "-o", "/goscratch/out/usr/local/bin/server", "./cmd/server"}; !slices.Equal(b.Meta.Args, want) {
		t.Errorf("build args\n got %q\nwant %q (Go's own GOCACHE, no cache program)", b.Meta.Args, want)
	}
	for _, m := range b.Mounts {
		if m.MountType == pb.MountType_CACHE && m.CacheOpt.ID == modID {
			t.Errorf("build mounts the shared module cache %v; only the download may", m)
		}
	}
	if m := mount(b, buildCache); m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.ID != buildID || m.Readonly {
		t.Errorf("build cache %v, want the writable persistent mount", m)
	}
	m := mount(b, modCacheDir)
	if m == nil || !m.Readonly || m.ContentCache != pb.MountContentCache_OFF {
		t.Fatalf("build mount of the module cache layer %v, want read-only, content cache off", m)
	}
	if e := g.input(g.opOf(b), m.Input).GetExec(); e == nil || !slices.Equal(e.Meta.Args, dl.Meta.Args) {
		t.Errorf("build's %s does not come from the download step", modCacheDir)
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
	// but GODEBUG=goindex=0, which changes how the go command finds
	// packages, not what it compiles (TestNoModuleIndexWithPrunedCaches)
	layersEnv := slices.DeleteFunc(slices.Clone(bl.Meta.Env), func(kv string) bool { return kv == "GODEBUG=goindex=0" })
	if len(layersEnv) != len(bl.Meta.Env)-1 || !slices.Equal(bm.Meta.Env, layersEnv) {
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

// TestNoModuleIndexWithPrunedCaches: in the layer mode every Go step runs
// with GODEBUG=goindex=0. The go command caches a module's package index in
// GOCACHE keyed by the module's directory alone, and the pruned module
// caches of two platforms hold different packages at the same directory:
// through the shared build cache one platform's build read the other's
// index and failed ("no required module provides package
// github.com/klauspost/compress/internal/cpuinfo" for amd64 after arm64
// had indexed its pruned copy). The mounts mode, which reads the whole
// module cache, keeps the index.
func TestNoModuleIndexWithPrunedCaches(t *testing.T) {
	for _, mode := range []CacheMode{CacheLayers, CacheMounts} {
		opt := options(arm64)
		opt.Cache = mode
		_, g := convert(t, resolved(), opt)
		var steps int
		for _, op := range g.ops {
			e := op.GetExec()
			if e == nil || len(e.Meta.Args) < 2 || e.Meta.Args[0] != toolBin || e.Meta.Args[1] == "toolchain" {
				continue // the toolchain copy reads no module
			}
			steps++
			got := envMap(e)["GODEBUG"]
			if want := map[CacheMode]string{CacheLayers: "goindex=0"}[mode]; got != want {
				t.Errorf("%v: %s runs with GODEBUG=%q, want %q", mode, e.Meta.Args[1], got, want)
			}
		}
		if steps < 2 {
			t.Fatalf("%v: %d Go steps found: the check proves nothing", mode, steps)
		}
	}
}

// TestGodebugKeepsGoindexOff: a GODEBUG from the spec's goenv or the builder
// image keeps its settings and gets goindex=0 appended (the go command takes
// a name's last setting), so neither can bring the index back in the layer
// mode; the mounts mode passes it on as it is.
func TestGodebugKeepsGoindexOff(t *testing.T) {
	for _, tc := range []struct {
		name           string
		goenv, builder string // "" = unset
		layers, mounts string
	}{
		{name: "none", layers: "goindex=0", mounts: ""},
		{name: "goenv", goenv: "http2client=0", layers: "http2client=0,goindex=0", mounts: "http2client=0"},
		{name: "goenv turns the index on", goenv: "goindex=1", layers: "goindex=1,goindex=0", mounts: "goindex=1"},
		{name: "builder", builder: "x509sha1=1", layers: "x509sha1=1,goindex=0", mounts: "x509sha1=1"},
		{name: "goenv over builder", goenv: "netdns=go", builder: "x509sha1=1", layers: "netdns=go,goindex=0", mounts: "netdns=go"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for mode, want := range map[CacheMode]string{CacheLayers: tc.layers, CacheMounts: tc.mounts} {
				r := resolved()
				if tc.goenv != "" {
					r.Goenv = map[string]string{"GODEBUG": tc.goenv}
				}
				opt := options(arm64)
				opt.Cache = mode
				if tc.builder != "" {
					opt.BuilderEnv = append(slices.Clone(opt.BuilderEnv), "GODEBUG="+tc.builder)
				}
				_, g := convert(t, r, opt)
				b := g.exec(toolBin, "build")
				if got := envMap(b)["GODEBUG"]; got != want {
					t.Errorf("%v: go build runs with GODEBUG=%q, want %q", mode, got, want)
				}
			}
		})
	}
}
