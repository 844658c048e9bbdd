package llb

import (
	_ "embed"
	"path"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// goToolSource is gotool/main.go: the helper that runs the private download
// and the test target inside the builder. It is compiled there, on the
// build platform, so it works with any builder image and never ships.
//
//go:embed gotool/main.go
var goToolSource []byte

var toolBin = path.Join(toolDir, "gotool")

// goTool compiles gotool in the builder and returns a state holding only
// the binary, at gotool in its root (mount it at toolDir). The build cache
// mount is shared with the Go builds; the user's goenv does not apply.
func goTool(opt Options) llb.State {
	const src, out = "/goscratch/gotool-src", "/goscratch/gotool-out"
	files := llb.Scratch().File(llb.Mkfile("/main.go", 0o644, goToolSource),
		opt.constraints(llb.WithCustomName("gotool source"))...)
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
		llb.Args([]string{"go", "build", "-trimpath", "-o", path.Join(out, "gotool"), "main.go"}),
		llb.Dir(src),
		opt.envOf(env),
		llb.AddMount(src, files, llb.Readonly),
		llb.AddMount(buildCache, llb.Scratch(), llb.AsPersistentCacheDir(opt.cacheID("gocache"), llb.CacheMountShared)),
		llb.WithCustomName("compile gotool (goscratch's helper for the download and test steps)"),
	}, opt.runConstraints(spec.Pos{})...)...)
	return run.AddMount(out, llb.Scratch())
}
