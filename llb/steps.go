package llb

import (
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/llb/stepname"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// goModFiles is a scratch state holding only the files `go mod download`
// needs (go.mod and go.sum; for a workspace also go.work and every module's
// go.mod and go.sum), at their paths in the context, so the download step's
// cache key changes with them and nothing else.
func goModFiles(r *spec.Resolved, opt Options) llb.State {
	files := opt.Layout.modFiles(r.Module)
	return llb.Scratch().File(
		llb.Copy(opt.Context, "/", "/", &llb.CopyInfo{
			CopyDirContentsOnly: true,
			IncludePatterns:     files,
			AllowEmptyWildcard:  true,
		}),
		opt.at(r.FieldPos("module"), llb.WithCustomName("copy "+strings.Join(files, " ")))...,
	)
}

// modules runs `go mod download` on the build platform and returns the
// state the later Go steps mount to find the modules (nil for a vendored
// module, which has no download). The step's key is only the go.mod/go.sum
// files (and the builder, go env and secrets' ids), so a source edit never
// re-runs it. With the spec's secrets or ssh, gotool runs it with them
// mounted (in this step only) and explains a failure.
//
// The modules go to a fresh module cache, the step's output: a real layer
// that the later steps mount read-only, that --cache-to exports and
// --cache-from gives to a fresh BuildKit without touching the network. The
// persistent module cache mount is only its seed, read and written by this
// step alone: modules an earlier download fetched are read from there first,
// so a go.sum change on a long-lived builder only fetches what is new. The
// zips and cache/vcs are dropped from the layer (the builds read the
// extracted trees). Being a layer, the module cache can never be out of
// step with BuildKit's cache of this step (a cache mount can: BuildKit keys
// steps without their cache mounts' ids, and prunes mounts on its own), and
// no later step, which may run the author's code, sees another build's
// modules.
//
// With seedOnly (see prunesFetch) the step only fills the persistent module
// cache and its output stays empty: the prune steps fetch from that seed
// what their builds read, so no layer carries the whole module cache.
func modules(r *spec.Resolved, opt Options, seedOnly bool) *llb.State {
	if opt.Layout.Vendor {
		return nil
	}
	args := []string{toolBin, "download", "-seed", modSeedDir, "-slim"}
	if seedOnly {
		args = append(args, "-seed-only")
	}
	persistent := llb.AsPersistentCacheDir(opt.cacheID("gomodcache"), llb.CacheMountShared)
	mounts := []llb.RunOption{
		llb.AddMount(gomodDir, goModFiles(r, opt), llb.Readonly),
		llb.AddMount(modSeedDir, llb.Scratch(), persistent),
	}
	pos := r.Pos
	if needsPrivate(r) {
		args = append(args, privateArgs(r)...)
		mounts = append(mounts, privateRunOptions(r, opt)...)
		if len(r.Secrets) > 0 {
			pos = r.Secrets[0].Pos // a failure shows the secrets
		}
	}
	run := goStep(r, args, gomodDir, nil, stepname.Download, pos, opt, mounts...)
	st := run.AddMount(modCacheDir, llb.Scratch())
	return &st
}

// prunesFetch says whether the layer cache mode's prune steps fetch the
// modules they copy (from the download step's seed, then GOPROXY) instead of
// reading a module cache layer: whenever every build gets a dependency layer
// (see dependencyLayer) and the fetch needs no credentials (the spec's
// secrets and ssh agent stay in the download step alone). --cache-to
// mode=max exports every layer a build made, so only then does the whole
// module cache stay out of the exported cache.
func prunesFetch(r *spec.Resolved, opt Options) bool {
	return opt.Cache == CacheLayers && !opt.Layout.Vendor && !ownCode(r, "") && !needsPrivate(r)
}

// goInputs mounts what every Go step after the download reads: the module
// cache layer, read-only (keyed by the download step, so BuildKit need not
// hash its content), and the shared build cache (read-only for a step that
// runs the author's own code, which gets a private one over it: see
// trust.go).
func (o Options) goInputs(mods *llb.State, own bool) []llb.RunOption {
	var opts []llb.RunOption
	if mods != nil { // nil: vendored
		opts = append(opts, o.layerMount(modCacheDir, *mods))
	}
	return append(opts, o.buildCacheMounts(own)...)
}

// buildFlags are the flags every go build, vet and test step gets first.
func (o Options) buildFlags(r *spec.Resolved) []string {
	var flags []string
	if o.Layout.Vendor {
		flags = append(flags, "-mod=vendor")
	}
	return append(flags, r.Goflags...)
}

// compileFlags are the go build flags that decide how packages compile (the
// dependency layer is made with the same ones, so the build finds it).
func (o Options) compileFlags(r *spec.Resolved, tags []string) []string {
	flags := append([]string{"-trimpath", "-buildvcs=false"}, o.buildFlags(r)...)
	if len(tags) > 0 {
		flags = append(flags, "-tags", strings.Join(tags, ","))
	}
	return flags
}

// build runs `go build` for the binaries of one build group (the same
// tags, ldflags and dependency layer; see buildGroups) and one target
// platform, and returns a state holding only the binaries, each at
// spec.BinDir/<name>. Several binaries are one go invocation (gotool build
// -exe): the source is loaded and the dependencies checked once, the links
// run in parallel. The build cache is the shared cache mount over the
// dependency layer (layers, nil when there is none): on a fresh builder the
// layer alone makes every dependency a hit; with it, the module cache is
// the pruned one that holds only the packages the build reads.
func build(r *spec.Resolved, bins []spec.ResolvedBinary, mods *llb.State, layers *depLayers, target map[string]string, opt Options) llb.State {
	b := bins[0]
	// gotool build runs go build and, when a package needs cgo, says why
	// goscratch builds static and what to do
	args := []string{toolBin, "build"}
	own := ownCode(r, b.Ldflags)
	var extra []llb.RunOption
	cache := cacheArgs(own, layers != nil)
	mains := []string{b.Main}
	if len(bins) > 1 {
		mains = nil
		for _, b := range bins {
			cache = append(cache, "-exe", b.Name+"="+b.Main)
			mains = append(mains, b.Main)
		}
		cache = append(cache, "-out", path.Join(outDir, spec.BinDir))
	}
	if len(cache) > 0 {
		args = append(append(args, cache...), "--")
	}
	if layers != nil {
		extra = append(extra, opt.layerMount(depLayerDir, layers.deps), opt.layerMount(ownLayerDir, layers.own))
		mods = &layers.mods // the pruned module cache
	}
	args = append(args, opt.compileFlags(r, b.Tags)...)
	args = append(args, "-ldflags", b.Ldflags)
	if len(bins) == 1 {
		args = append(args, "-o", path.Join(outDir, spec.BinDir, b.Name), b.Main)
	}

	name := stepname.Build(formatPlatform(opt.TargetPlatform), mains...)
	return toolStep(r, mods, args, target, name, b.Pos, own, opt.compiles(), extra...).AddMount(outDir, llb.Scratch())
}

// buildGroups are the binaries one go build makes together, as indexes of
// bins in spec order, the groups in the order of their first binary: those
// with the same tags, ldflags (templates applied) and dependency layer
// (depKey). Binaries that differ in any of these would compile their
// packages differently, so each such set is a go build of its own.
func buildGroups(bins []spec.ResolvedBinary, depKey func(spec.ResolvedBinary) string) [][]int {
	var groups [][]int
	index := map[string]int{}
	for i, b := range bins {
		k := depKey(b) + "\x00" + b.Ldflags
		g, ok := index[k]
		if !ok {
			g = len(groups)
			index[k] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	return groups
}

// toolStep runs a gotool command (go build, go list or go test through
// goscratch's helper) in the module directory of the source, mounted
// read-only, with the module cache layer and the build cache; own says
// the step runs the author's code (see trust.go).
func toolStep(r *spec.Resolved, mods *llb.State, args []string, target map[string]string, name string, pos spec.Pos, own bool, opt Options, extra ...llb.RunOption) llb.ExecState {
	return goStep(r, args, srcDir, target, name, pos, opt, slices.Concat([]llb.RunOption{
		llb.AddMount(srcDir, opt.Context, llb.Readonly),
	}, opt.goInputs(mods, own), extra)...)
}

// goStep runs a gotool command on the builder in the module's directory
// under root, with gotool mounted, the Go env for target (nil: the build
// platform's own), mounts, and the spec position it came from.
func goStep(r *spec.Resolved, args []string, root string, target map[string]string, name string, pos spec.Pos, opt Options, mounts ...llb.RunOption) llb.ExecState {
	return opt.rootfs().Run(slices.Concat([]llb.RunOption{
		llb.Args(args),
		llb.Dir(path.Join(root, r.Module)),
		opt.goEnv(r, target),
		opt.toolMount(),
	}, mounts, []llb.RunOption{
		llb.WithCustomName(name),
	}, opt.runConstraints(pos))...)
}

// goEnv is the environment of a Go step: the builder image's env, then the
// cache locations, then CGO_ENABLED=0 and the target platform's variables,
// then the spec's goenv, which may override CGO_ENABLED (the static check
// catches the result) but never the platform variables.
func (o Options) goEnv(r *spec.Resolved, target map[string]string) llb.StateOption {
	env := map[string]string{
		"GOMODCACHE":  modCacheDir,
		"GOCACHE":     buildCache,
		"GOTOOLCHAIN": "local",
		"CGO_ENABLED": "0",
	}
	maps.Copy(env, r.Goenv)
	if o.Cache == CacheLayers {
		// the go command caches a module cache module's package index in
		// GOCACHE keyed by its directory alone (the module cache being
		// immutable), but the pruned module caches of two platforms hold
		// different packages of a module at the same path: with the
		// shared build cache, one platform's build would read the other's
		// index and miss a package (klauspost/compress/internal/cpuinfo,
		// amd64 only, in the frontend's own build)
		env["GODEBUG"] = o.godebugWith(r, "goindex=0")
	}
	maps.Copy(env, target)
	return o.envOf(env)
}

// godebugWith is a Go step's GODEBUG with setting appended to the one it
// would have (the spec's goenv, else the builder image's): the other
// settings stay, and as the last setting of a name wins, neither can turn
// setting off.
func (o Options) godebugWith(r *spec.Resolved, setting string) string {
	base, ok := r.Goenv["GODEBUG"]
	if !ok {
		base = o.builderEnv()["GODEBUG"]
	}
	if base == "" {
		return setting
	}
	return base + "," + setting
}

// envOf is the builder image's environment, with a PATH that finds go, and
// over on top of it; set in sorted order so the LLB is deterministic.
func (o Options) envOf(over map[string]string) llb.StateOption {
	env := o.builderEnv()
	env["PATH"] = withGoBin(env["PATH"])
	maps.Copy(env, over)
	return func(s llb.State) llb.State {
		for _, k := range slices.Sorted(maps.Keys(env)) {
			s = s.AddEnv(k, env[k])
		}
		return s
	}
}

// builderEnv is the builder image's configured environment as a map (a
// later entry of a name wins, as in an image config).
func (o Options) builderEnv() map[string]string {
	env := map[string]string{}
	for _, kv := range o.BuilderEnv {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	return env
}

// BuilderPath is the PATH every Go step runs with for a builder image whose
// configured environment is env: the image's PATH, plus where golang images
// keep the go command.
func BuilderPath(env []string) string {
	path := ""
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	return withGoBin(path)
}

// goBin is where the official golang images (and goscratch's lab images)
// keep the go command.
const goBin = "/usr/local/go/bin"

// withGoBin makes sure PATH finds the go command of a golang-style image even
// when the image's config lost its PATH (e.g. a named context made with LLB).
func withGoBin(path string) string {
	if path == "" {
		return goBin + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	}
	if slices.Contains(strings.Split(path, ":"), goBin) {
		return path
	}
	return path + ":" + goBin
}

func (o Options) constraints(extra ...llb.ConstraintsOpt) []llb.ConstraintsOpt {
	return append(slices.Clone(o.Constraints), extra...)
}

// at is constraints plus the spec position the step came from.
func (o Options) at(pos spec.Pos, extra ...llb.ConstraintsOpt) []llb.ConstraintsOpt {
	return o.constraints(append(o.location(pos), extra...)...)
}

// runConstraints are the constraints of a Go step: the common ones and the
// spec position the step came from.
func (o Options) runConstraints(pos spec.Pos) []llb.RunOption {
	var opts []llb.RunOption
	for _, c := range o.at(pos) {
		opts = append(opts, c)
	}
	return opts
}

// location points a step at the spec line it came from, so BuildKit shows
// that line when the step fails.
func (o Options) location(pos spec.Pos) []llb.ConstraintsOpt {
	if o.SourceMap == nil || pos.Line == 0 {
		return nil
	}
	line := int32(pos.Line)
	return []llb.ConstraintsOpt{o.SourceMap.Location([]*pb.Range{{
		Start: &pb.Position{Line: line},
		End:   &pb.Position{Line: line},
	}})}
}
