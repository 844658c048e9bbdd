package llb

import (
	"slices"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// TestDependencyLayerKeys checks what the precompile and prune steps can
// see: go.mod and go.sum, the module cache layer, the dependency list (the
// imports list) and the build cache, never the source, so a source edit
// keeps their cache keys (the lists' content is the same) and --cache-from
// can bring them to a fresh builder; that the imports step needs no module
// cache and the build reads the pruned one; and that the own packages'
// precompile sees only the copy of their sources.
func TestDependencyLayerKeys(t *testing.T) {
	r := resolved()
	r.Binaries[0].Tags = []string{"netgo"}
	r.Goflags = []string{"-v"}
	_, g := convert(t, r, options(armv7))
	pre := g.exec(depPrecompile...)
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
	prune := g.input(g.opOf(pre), list.Input).GetExec()
	listFlags := []string{"-flag", "-trimpath", "-flag", "-buildvcs=false", "-flag", "-v", "-flag", "-tags", "-flag", "netgo"}
	if want := slices.Concat([]string{toolBin, "prune", "-imports", importsDir + "/imports.txt", "-o", prunedDir, "-deps", depsDir + "/deps.txt",
		"-fetch-seed", modSeedDir}, listFlags); prune == nil || !slices.Equal(prune.Meta.Args, want) {
		t.Fatalf("deps list mount does not come from gotool prune %q: %v", want, prune)
	}
	// prune sees go.mod/go.sum, the imports (content-hashed) and the shared
	// module cache the download filled (it fetches from there what it
	// copies), never the source; no module cache layer exists
	if m := mount(prune, srcDir); m != nil {
		t.Errorf("prune mounts the source: a source edit would re-run it")
	}
	if m := mount(prune, modCacheDir); m != nil {
		t.Errorf("prune mounts a module cache layer %v: it fetches into its own", m)
	}
	if m := mount(prune, modSeedDir); m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.Sharing != pb.CacheSharingOpt_SHARED {
		t.Errorf("prune's seed %v: want the shared module cache mount", m)
	} else if dl := mount(g.exec(toolBin, "download"), modSeedDir); dl == nil || dl.CacheOpt.ID != m.CacheOpt.ID {
		t.Errorf("prune's seed %q is not the download's %v", m.CacheOpt.ID, dl)
	}
	if m := mount(prune, downloadedDir); m == nil || !m.Readonly || g.input(g.opOf(prune), m.Input).GetExec().Meta.Args[1] != "download" {
		t.Errorf("prune does not run after the download: %v", m)
	}
	if prune.Network == pb.NetMode_NONE {
		t.Errorf("prune runs without network: it cannot fetch what the seed lacks")
	}
	imp := mount(prune, importsDir)
	if imp == nil || !imp.Readonly || imp.ContentCache == pb.MountContentCache_OFF {
		t.Fatalf("imports mount %v: want read-only and content-hashed (its content is the key)", imp)
	}
	lister := g.input(g.opOf(prune), imp.Input).GetExec()
	if want := slices.Concat([]string{toolBin, "imports", "-o", importsDir + "/imports.txt", "-own-src", ownTreeDir, "-own-list", ownListFile, "-root", srcDir}, listFlags, []string{"./cmd/server"}); lister == nil || !slices.Equal(lister.Meta.Args, want) {
		t.Fatalf("imports step\n got %v\nwant %q", lister, want)
	}
	// imports reads the source and no module cache: a fresh runner runs it
	// without loading the module cache layer
	if m := mount(lister, srcDir); m == nil || !m.Readonly {
		t.Errorf("imports source mount %v", m)
	}
	if m := mount(lister, modCacheDir); m != nil {
		t.Errorf("imports mounts the module cache %v", m)
	}
	for _, e := range []*pb.ExecOp{lister} {
		if e.Network != pb.NetMode_NONE {
			t.Errorf("%s runs with network %v, want none: it must not fetch", e.Meta.Args[1], e.Network)
		}
	}
	// the precompile and the build read the pruned module cache, keyed by
	// the prune step
	if m := mount(pre, modCacheDir); m == nil || g.input(g.opOf(pre), m.Input).GetExec() != prune {
		t.Errorf("the precompile's module cache %v is not prune's output", m)
	}
	build := g.exec(toolBin, "build")
	if m := mount(build, modCacheDir); m == nil || g.input(g.opOf(build), m.Input).GetExec() != prune || m.ContentCache != pb.MountContentCache_OFF {
		t.Errorf("the build's module cache %v is not prune's output", m)
	} else if out, in := mount(prune, prunedDir), g.opOf(build).Inputs[m.Input]; out == nil || in.Index != out.Output {
		t.Errorf("the build mounts prune's output %d, want the pruned module cache %v", in.Index, out)
	}
	// the own packages' step: in the imports step's copy of their sources
	// (content-hashed: an edit in a main package keeps its key), over the
	// dependency layer and the pruned module cache; the build reads its layer
	own := g.exec(ownPrecompile...)
	if want := slices.Concat([]string{toolBin, "precompile", "-list", ownListFile, "-cache-out", ownLayerDir, "-cache-ro", depLayerDir, "-cache-rw", buildCache},
		wantArgs[slices.Index(wantArgs, "--"):]); !slices.Equal(own.Meta.Args, want) {
		t.Errorf("own precompile args\n got %q\nwant %q", own.Meta.Args, want)
	}
	if own.Meta.Cwd != ownTreeDir+"/." && own.Meta.Cwd != ownTreeDir {
		t.Errorf("own precompile runs in %s, want the copy %s", own.Meta.Cwd, ownTreeDir)
	}
	if m := mount(own, srcDir); m != nil {
		t.Errorf("own precompile mounts the source: an edit in a main package would re-run it")
	}
	if m := mount(own, ownSrcDir); m == nil || !m.Readonly || m.ContentCache == pb.MountContentCache_OFF || g.input(g.opOf(own), m.Input).GetExec() != lister {
		t.Errorf("own sources mount %v: want the imports step's output, read-only and content-hashed", m)
	} else if out, in := mount(lister, ownSrcDir), g.opOf(own).Inputs[m.Input]; out == nil || in.Index != out.Output {
		t.Errorf("own precompile mounts the imports step's output %d, want its own sources %v", in.Index, out)
	}
	for dest, maker := range map[string]*pb.ExecOp{depLayerDir: pre, modCacheDir: prune} {
		if m := mount(own, dest); m == nil || !m.Readonly || m.ContentCache != pb.MountContentCache_OFF || g.input(g.opOf(own), m.Input).GetExec() != maker {
			t.Errorf("own precompile's %s mount %v: want %s's layer, keyed by the step", dest, m, maker.Meta.Args[1])
		}
	}
	if m := mount(build, ownLayerDir); m == nil || m.ContentCache != pb.MountContentCache_OFF || g.input(g.opOf(build), m.Input).GetExec() != own {
		t.Errorf("the build's own packages' layer %v is not the own precompile's output", m)
	}
	if !slices.Contains(build.Meta.Args, ownLayerDir) {
		t.Errorf("the build does not read the own packages' layer: %q", build.Meta.Args)
	}
	// the same target env in the five steps, so the action ids match
	for _, e := range []*pb.ExecOp{lister, prune, pre, own} {
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

// TestNoModuleCacheLayer: in the layer cache mode no step's output holds
// the whole module cache (--cache-to mode=max would export it): the
// download only fills the shared module cache, and its output, which
// prune mounts to run after it, is no step's module cache. A spec with
// secrets or an ssh agent keeps the module cache layer: the fetch needs
// them, and they stay in the download step; prune then reads that layer
// with no network.
func TestNoModuleCacheLayer(t *testing.T) {
	for _, private := range []bool{false, true} {
		r := resolved()
		if private {
			r.SSH = true
		}
		_, g := convert(t, r, options(arm64))
		dl := g.exec(toolBin, "download")
		if got := slices.Contains(dl.Meta.Args, "-seed-only"); got == private {
			t.Errorf("private=%v: download args %q", private, dl.Meta.Args)
		}
		prune := g.exec(toolBin, "prune")
		m := mount(prune, modCacheDir)
		if private {
			if m == nil || g.input(g.opOf(prune), m.Input).GetExec() != dl || prune.Network != pb.NetMode_NONE || slices.Contains(prune.Meta.Args, "-fetch-seed") {
				t.Errorf("private: prune %q (network %v) does not read the download's layer offline: %v", prune.Meta.Args, prune.Network, m)
			}
			continue
		}
		for _, op := range g.ops {
			e := op.GetExec()
			if e == nil {
				continue
			}
			if m := mount(e, modCacheDir); m != nil && m.Input >= 0 && g.input(op, m.Input).GetExec() == dl {
				t.Errorf("%q mounts the download's output as its module cache", e.Meta.Args)
			}
		}
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
			if n := len(g.execs(depPrecompile...)); n != tc.want {
				t.Errorf("%d precompile steps, want %d", n, tc.want)
			}
			if n := len(g.execs(ownPrecompile...)); n != tc.want {
				t.Errorf("%d own precompile steps, want %d", n, tc.want)
			}
			if n := len(g.execs(toolBin, "imports")); n != tc.want {
				t.Errorf("%d imports steps, want %d", n, tc.want)
			}
		})
	}
}

func TestVendoredHasNoDependencyLayer(t *testing.T) {
	opt := options(amd64)
	opt.Layout = Layout{Vendor: true}
	_, g := convert(t, resolved(), opt)
	if n := len(g.execs(depPrecompile...)) + len(g.execs(toolBin, "download")); n != 0 {
		t.Errorf("%d download/precompile steps for a vendored module", n)
	}
	if b := g.exec(toolBin, "build"); slices.Contains(b.Meta.Args, "-cache-ro") {
		t.Errorf("vendored build reads a dependency layer: %q", b.Meta.Args)
	}
}

// TestImportsScannedWithoutTheBuilder: with a prebuilt gotool, the imports
// list prune is keyed on and the own sources' copy the own precompile
// reads come from gotool scanimports run in the frontend image (no
// builder, no network, no module or build cache), and no go list step is
// left on the builder, so a fresh runner loads the layers keyed on them
// while the builder image is pulled; a
// workspace, local replacements or no prebuilt gotool keep the go list
// step on the builder.
func TestImportsScannedWithoutTheBuilder(t *testing.T) {
	const img = "127.0.0.1:5000/goscratch/goscratch@sha256:0000000000000000000000000000000000000000000000000000000000000001"
	prebuilt := &PrebuiltTool{Image: llb.Image(img), Path: "/bin/gotool"}
	for _, tc := range []struct {
		name    string
		tool    *PrebuiltTool
		layout  Layout
		scanned bool
	}{
		{"one module", prebuilt, Layout{}, true},
		{"workspace", prebuilt, Layout{Workspace: ".", ModFiles: []string{"go.work", "go.mod", "go.sum", "lib/go.mod"}}, false},
		{"local replacement", prebuilt, Layout{ModFiles: []string{"go.mod", "go.sum", "third_party/x/go.mod"}}, false},
		{"no prebuilt gotool", nil, Layout{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := options(arm64)
			opt.GoTool, opt.Layout = tc.tool, tc.layout
			_, g := convert(t, resolved(), opt)
			prune := g.exec(toolBin, "prune")
			m := mount(prune, importsDir)
			if m == nil {
				t.Fatal("prune has no imports mount")
			}
			from := g.input(g.opOf(prune), m.Input).GetExec()
			// the own packages' precompile reads the same step's copy of
			// their sources
			own := g.exec(ownPrecompile...)
			if src := mount(own, ownSrcDir); src == nil || g.input(g.opOf(own), src.Input).GetExec() != from {
				t.Errorf("the own precompile's sources %v do not come from the step that lists the imports", src)
			} else if out, in := mount(from, ownSrcDir), g.opOf(own).Inputs[src.Input]; out == nil || in.Index != out.Output {
				t.Errorf("the own precompile mounts output %d of the imports step, want its own sources %v", in.Index, out)
			}
			if !tc.scanned {
				if from == nil || len(from.Meta.Args) < 2 || from.Meta.Args[1] != "imports" {
					t.Errorf("prune's imports come from %v, want the go list step", from)
				}
				return
			}
			if want := []string{"/bin/gotool", "scanimports", "-o", importsDir + "/imports.txt", "-own-src", ownTreeDir, "-own-list", ownListFile, "-root", srcDir, "./cmd/server"}; from == nil || !slices.Equal(from.Meta.Args, want) {
				t.Fatalf("prune's imports come from %v, want %q", from, want)
			}
			if n := len(g.execs(toolBin, "imports")); n != 0 {
				t.Errorf("%d go list imports steps on the builder besides the scan", n)
			}
			scan := g.opOf(from)
			if root := mount(from, "/"); root == nil || g.input(scan, root.Input).GetSource().GetIdentifier() != "docker-image://"+img {
				t.Errorf("scanimports runs on %v, want the frontend image", root)
			}
			if from.Network != pb.NetMode_NONE {
				t.Errorf("scanimports runs with network %v", from.Network)
			}
			if src := mount(from, srcDir); src == nil || !src.Readonly {
				t.Errorf("scanimports source mount %v, want the context read-only", src)
			}
			for _, dest := range []string{modCacheDir, buildCache, toolBin} {
				if m := mount(from, dest); m != nil {
					t.Errorf("scanimports mounts %s: %v", dest, m)
				}
			}
		})
	}
}
