package llb

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

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

// download runs `go mod download` on the build platform with the module
// cache on a shared persistent cache mount. Its root is the base of every
// build step, which orders the builds after it. With the spec's secrets or
// ssh, gotool runs it with them mounted (in this step only) and explains a
// failure. A vendored module has no download step: the base is the builder.
func download(r *spec.Resolved, opt Options) llb.State {
	if opt.Layout.Vendor {
		return opt.Builder
	}
	args := []string{"go", "mod", "download"}
	var private []llb.RunOption
	pos := r.Pos
	if needsPrivate(r) {
		args = append([]string{toolBin, "download"}, privateArgs(r)...)
		private = privateRunOptions(r, opt)
		if len(r.Secrets) > 0 {
			pos = r.Secrets[0].Pos // a failure shows the secrets
		}
	}
	run := opt.Builder.Run(append(append([]llb.RunOption{
		llb.Args(args),
		llb.Dir(path.Join(gomodDir, r.Module)),
		opt.goEnv(r, nil),
		llb.AddMount(gomodDir, goModFiles(r, opt), llb.Readonly),
		llb.AddMount(modCacheDir, llb.Scratch(), llb.AsPersistentCacheDir(opt.cacheID("gomodcache"), llb.CacheMountShared)),
		llb.WithCustomName("go mod download"),
	}, private...), opt.runConstraints(pos)...)...)
	return run.Root()
}

// goCaches mounts the module cache (unless vendored) and the build cache.
func (o Options) goCaches() []llb.RunOption {
	var opts []llb.RunOption
	if !o.Layout.Vendor {
		opts = append(opts, llb.AddMount(modCacheDir, llb.Scratch(), llb.AsPersistentCacheDir(o.cacheID("gomodcache"), llb.CacheMountShared)))
	}
	return append(opts, llb.AddMount(buildCache, llb.Scratch(), llb.AsPersistentCacheDir(o.cacheID("gocache"), llb.CacheMountShared)))
}

// buildFlags are the flags every go build, vet and test step gets first.
func (o Options) buildFlags(r *spec.Resolved) []string {
	var flags []string
	if o.Layout.Vendor {
		flags = append(flags, "-mod=vendor")
	}
	return append(flags, r.Goflags...)
}

// build runs `go build` for one binary and one target platform and returns a
// state holding only the binary at spec.BinDir/<name>.
func build(r *spec.Resolved, b spec.ResolvedBinary, base llb.State, target map[string]string, opt Options) llb.State {
	out := path.Join(outDir, spec.BinDir, b.Name)
	// gotool build runs go build and, when a package needs cgo, says why
	// goscratch builds static and what to do
	args := []string{toolBin, "build", "-trimpath", "-buildvcs=false"}
	args = append(args, opt.buildFlags(r)...)
	if len(b.Tags) > 0 {
		args = append(args, "-tags", strings.Join(b.Tags, ","))
	}
	args = append(args, "-ldflags", b.Ldflags, "-o", out, b.Main)

	name := fmt.Sprintf("[%s] go build %s", formatPlatform(opt.TargetPlatform), b.Main)
	return toolStep(r, base, args, target, name, b.Pos, opt).AddMount(outDir, llb.Scratch())
}

// toolStep runs a gotool command (go build or go test through goscratch's
// helper) in the module directory, after base (the download step): the
// source read-only, gotool, the Go caches, the Go env for target (nil: the
// build platform's own), and the spec position it came from.
func toolStep(r *spec.Resolved, base llb.State, args []string, target map[string]string, name string, pos spec.Pos, opt Options) llb.ExecState {
	return base.Run(slices.Concat([]llb.RunOption{
		llb.Args(args),
		llb.Dir(path.Join(srcDir, r.Module)),
		opt.goEnv(r, target),
		llb.AddMount(srcDir, opt.Context, llb.Readonly),
		llb.AddMount(toolDir, goTool(opt), llb.Readonly),
	}, opt.goCaches(), []llb.RunOption{
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
	maps.Copy(env, target)
	return o.envOf(env)
}

// envOf is the builder image's environment, with a PATH that finds go, and
// over on top of it; set in sorted order so the LLB is deterministic.
func (o Options) envOf(over map[string]string) llb.StateOption {
	env := map[string]string{}
	for _, kv := range o.BuilderEnv {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	env["PATH"] = withGoBin(env["PATH"])
	maps.Copy(env, over)
	return func(s llb.State) llb.State {
		for _, k := range slices.Sorted(maps.Keys(env)) {
			s = s.AddEnv(k, env[k])
		}
		return s
	}
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
