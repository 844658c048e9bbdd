package llb

import (
	"github.com/goscratch/goscratch/llb/stepname"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// toolchainDir is where `gotool toolchain` writes the compile steps' root
// filesystem.
const toolchainDir = "/goscratch/toolchain"

// toolchainRoot is the root filesystem of the layers mode's compile steps
// (precompile, own precompile, go build): what go build reads of the
// builder's Go toolchain, copied at its paths by `gotool toolchain` (the
// go command, the build tools, the standard library without tests and
// testdata; see llb/gotool/toolchain.go), or nil to compile on the whole
// builder image. On a fresh runner every step before the compiles comes
// from the imported cache, so this layer (about 39 MB compressed for Go
// 1.26, against 66 MB for the lab's toolchain-only golang image and more
// for an official one) is what the one-line rebuild unpacks instead of the
// builder image. The go command computes the same action IDs from the same
// files, so the binary is the one the builder makes
// (TestToolchainBuildsTheSameBinary in gotool; in integration,
// TestPGOBinaryIsBuiltWithTheProfile's same digest in both cache modes).
//
// Only without cgo and -toolexec: those run programs (a C compiler, the
// author's tool) that only the builder image has.
func toolchainRoot(r *spec.Resolved, opt Options) *llb.State {
	if opt.Cache != CacheLayers || r.Goenv["CGO_ENABLED"] == "1" || ownCode(r, "") {
		return nil
	}
	run := opt.Builder.Run(append([]llb.RunOption{
		llb.Args([]string{toolBin, "toolchain", "-o", toolchainDir}),
		opt.envOf(map[string]string{"GOTOOLCHAIN": "local"}),
		opt.toolMount(),
		llb.Network(llb.NetModeNone),
		llb.WithCustomName(stepname.Toolchain),
	}, opt.runConstraints(r.Pos)...)...)
	st := run.AddMount(toolchainDir, llb.Scratch())
	return &st
}

// compiles is o for making a compile step, or a gotool step that runs no
// go command (setcap): on the toolchain root when there is one.
func (o Options) compiles() Options {
	o.onToolchain = o.toolchain != nil
	return o
}

// rootfs is the root filesystem of the step being made: the toolchain for
// a compile step (see compiles), else the builder image.
func (o Options) rootfs() llb.State {
	if o.onToolchain {
		return *o.toolchain
	}
	return o.Builder
}
