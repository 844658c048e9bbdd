package llb

import (
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// goModFiles is a scratch state holding only the module's go.mod and go.sum,
// so the download step's cache key changes with them and nothing else.
func goModFiles(r *spec.Resolved, opt Options) llb.State {
	return llb.Scratch().File(
		llb.Copy(opt.Context, path.Join("/", r.Module), "/", &llb.CopyInfo{
			CopyDirContentsOnly: true,
			IncludePatterns:     []string{"go.mod", "go.sum"},
			AllowEmptyWildcard:  true,
		}),
		opt.at(r.FieldPos("module"), llb.WithCustomName("copy go.mod go.sum"))...,
	)
}

// download runs `go mod download` on the build platform with the module
// cache on a shared persistent cache mount. Its root is the base of every
// build step, which orders the builds after it.
func download(r *spec.Resolved, opt Options) llb.State {
	run := opt.Builder.Run(append([]llb.RunOption{
		llb.Args([]string{"go", "mod", "download"}),
		llb.Dir(gomodDir),
		opt.goEnv(r, nil),
		llb.AddMount(gomodDir, goModFiles(r, opt), llb.Readonly),
		llb.AddMount(modCacheDir, llb.Scratch(), llb.AsPersistentCacheDir(opt.cacheID("gomodcache"), llb.CacheMountShared)),
		llb.WithCustomName("go mod download"),
	}, opt.runConstraints(r.Pos)...)...)
	return run.Root()
}

// build runs `go build` for one binary and one target platform and returns a
// state holding only the binary at spec.BinDir/<name>.
func build(r *spec.Resolved, b spec.ResolvedBinary, base llb.State, target map[string]string, opt Options) llb.State {
	out := path.Join(outDir, spec.BinDir, b.Name)
	args := []string{"go", "build", "-trimpath", "-buildvcs=false"}
	args = append(args, r.Goflags...)
	if len(b.Tags) > 0 {
		args = append(args, "-tags", strings.Join(b.Tags, ","))
	}
	args = append(args, "-ldflags", b.Ldflags, "-o", out, b.Main)

	run := base.Run(append([]llb.RunOption{
		llb.Args(args),
		llb.Dir(path.Join(srcDir, r.Module)),
		opt.goEnv(r, target),
		llb.AddMount(srcDir, opt.Context, llb.Readonly),
		llb.AddMount(modCacheDir, llb.Scratch(), llb.AsPersistentCacheDir(opt.cacheID("gomodcache"), llb.CacheMountShared)),
		llb.AddMount(buildCache, llb.Scratch(), llb.AsPersistentCacheDir(opt.cacheID("gocache"), llb.CacheMountShared)),
		llb.WithCustomNamef("[%s] go build %s", formatPlatform(opt.TargetPlatform), b.Main),
	}, opt.runConstraints(b.Pos)...)...)
	return run.AddMount(outDir, llb.Scratch())
}

// goEnv is the environment of a Go step: the builder image's env, then the
// cache locations, then CGO_ENABLED=0 and the target platform's variables,
// then the spec's goenv, which may override CGO_ENABLED (the static check
// catches the result) but never the platform variables.
func (o Options) goEnv(r *spec.Resolved, target map[string]string) llb.StateOption {
	env := map[string]string{}
	for _, kv := range o.BuilderEnv {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	env["PATH"] = withGoBin(env["PATH"])
	env["GOMODCACHE"] = modCacheDir
	env["GOCACHE"] = buildCache
	env["GOTOOLCHAIN"] = "local"
	env["CGO_ENABLED"] = "0"
	maps.Copy(env, r.Goenv)
	maps.Copy(env, target)
	return func(s llb.State) llb.State {
		for _, k := range slices.Sorted(maps.Keys(env)) {
			s = s.AddEnv(k, env[k])
		}
		return s
	}
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
