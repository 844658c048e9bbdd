package llb

import (
	"path"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/llb/stepname"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// dependencyLayer returns the precompiled dependencies of the binaries that
// share tags, for the target platform: a build cache (Go's GOCACHE layout)
// holding the compiled standard library and module packages they import,
// made in two steps so that it is keyed only on go.mod/go.sum, the builder,
// the Go env and the compile flags, never on the project's own source:
//
//   - `gotool deps` lists the packages (go list -deps, with the source
//     mounted): it re-runs on a source edit, but its output is the same
//     file unless the imports changed;
//   - `gotool precompile` compiles that list in a directory holding only
//     go.mod/go.sum, with the module cache layer; BuildKit keys it on the
//     list's content, so it stays cached across source edits, and
//     --cache-to/--cache-from carry it to a fresh builder.
//
// The shared build cache mount is a second tier: precompile takes entries
// from it (copying them into the layer) and adds its own to it. A vendored
// module has no module cache layer, so it gets no dependency layer (nil);
// neither does a build with CacheMounts, whose build cache mount is enough
// on a long-lived builder.
func dependencyLayer(r *spec.Resolved, mods *llb.State, tags []string, mains []string, target map[string]string, opt Options) *llb.State {
	if mods == nil || opt.Cache != CacheLayers || ownCode(r, "") {
		return nil // a -toolexec or cgo tool would run in the precompile step, which no source edit re-keys
	}
	plat := formatPlatform(opt.TargetPlatform)
	listArgs := []string{toolBin, "deps", "-o", path.Join(depsDir, "deps.txt")}
	for _, f := range opt.compileFlags(r, tags) {
		listArgs = append(listArgs, "-flag", f)
	}
	listArgs = append(listArgs, mains...)
	list := toolStep(r, mods, listArgs, target,
		stepname.ListDeps(plat, mains), r.Pos, false, opt).
		AddMount(depsDir, llb.Scratch())

	args := []string{toolBin, "precompile", "-list", path.Join(depsDir, "deps.txt"),
		"-cache-out", depLayerDir, "-cache-rw", buildCache, "--"}
	args = append(args, opt.compileFlags(r, tags)...)
	run := goStep(r, args, gomodDir, target, stepname.Precompile(plat), r.Pos, opt, append([]llb.RunOption{
		llb.AddMount(gomodDir, goModFiles(r, opt), llb.Readonly),
		llb.AddMount(depsDir, list, llb.Readonly),
	}, opt.goInputs(mods, false)...)...)
	st := run.AddMount(depLayerDir, llb.Scratch())
	return &st
}

// tagKey identifies a set of build tags, so binaries with the same tags share
// one dependency layer.
func tagKey(tags []string) string {
	t := slices.Clone(tags)
	slices.Sort(t)
	return strings.Join(t, ",")
}
