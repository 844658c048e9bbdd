package llb

import (
	"embed"
	"path"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// goToolSource holds gotool's source: the helper that runs the Go builds,
// the private download and the test target inside the builder. The
// frontend image carries it prebuilt for its own platform (Options.GoTool);
// for any other build platform it is compiled in the builder from this
// source, so it works with any builder image.
//
//go:embed gotool/main.go gotool/build.go gotool/cacheprog.go gotool/deps.go gotool/own.go gotool/prune.go gotool/scan.go gotool/seed.go gotool/setcap.go gotool/toolchain.go
var goToolSource embed.FS

// goToolFiles are gotool's source files, in a fixed order.
var goToolFiles = []string{"main.go", "build.go", "cacheprog.go", "deps.go", "own.go", "prune.go", "scan.go", "seed.go", "setcap.go", "toolchain.go"}

var toolBin = path.Join(toolDir, "gotool")

// toolMount mounts gotool at toolBin: the prebuilt one from
// Options.GoTool, else one compiled in the builder from the embedded
// source (see compiledGoTool).
func (o Options) toolMount() llb.RunOption {
	if o.GoTool != nil {
		return llb.AddMount(toolBin, o.GoTool.Image, llb.SourcePath(o.GoTool.Path), llb.Readonly)
	}
	return llb.AddMount(toolDir, compiledGoTool(o), llb.Readonly)
}

// compiledGoTool returns a state holding only the gotool binary, at gotool
// in its root (mount it at toolDir), compiled in the builder from the
// embedded source. The build cache mount is shared with the Go builds; the
// user's goenv does not apply.
func compiledGoTool(opt Options) llb.State {
	const src, out = "/goscratch/gotool-src", "/goscratch/gotool-out"
	var fa *llb.FileAction
	for _, name := range goToolFiles {
		dt, err := goToolSource.ReadFile("gotool/" + name)
		if err != nil {
			panic(err) // embedded at build time: cannot happen
		}
		if fa == nil {
			fa = llb.Mkfile("/"+name, 0o644, dt)
		} else {
			fa = fa.Mkfile("/"+name, 0o644, dt)
		}
	}
	files := llb.Scratch().File(fa, opt.constraints(llb.WithCustomName("gotool source"))...)
	env := map[string]string{
		"GOCACHE":     buildCache,
		"GOTOOLCHAIN": "local",
		"CGO_ENABLED": "0",
		"GOFLAGS":     "",
		"GOWORK":      "off",
		"GO111MODULE": "on",
		"GOENV":       "off",
	}
	run := opt.Builder.Run(append([]llb.RunOption{
		llb.Args(append([]string{"go", "build", "-trimpath", "-o", path.Join(out, "gotool")}, goToolFiles...)),
		llb.Dir(src),
		opt.envOf(env),
		llb.AddMount(src, files, llb.Readonly),
		llb.AddMount(buildCache, llb.Scratch(), llb.AsPersistentCacheDir(opt.cacheID("gocache"), llb.CacheMountShared)),
		llb.WithCustomName("compile gotool (goscratch's helper for the download and test steps)"),
	}, opt.runConstraints(spec.Pos{})...)...)
	return run.AddMount(out, llb.Scratch())
}
