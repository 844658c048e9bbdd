package llb

import (
	"path"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/llb/stepname"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// depLayers are what the build of one dependency group mounts in the
// layer cache mode: the precompiled dependencies, the module cache pruned
// to the packages the build reads, and the precompiled own packages.
type depLayers struct {
	deps, mods, own llb.State
}

// dependencyLayer returns the precompiled dependencies of the binaries of
// one group (same tags, same PGO profile), for the target platform: a build
// cache (Go's GOCACHE layout) holding the compiled standard library and
// module packages they import, and the module cache pruned to those
// packages. Three steps make them, so that both are keyed only on
// go.mod/go.sum, the builder, the Go env, the compile flags, the profile
// and the set of imports, never on the rest of the project's source:
//
//   - `gotool imports` lists the standard and module packages the
//     project's own packages import (go list -deps with the source mounted
//     and no module cache at all): it re-runs on a source edit, but its
//     output is the same file unless the imports changed;
//   - `gotool prune`, in a directory holding only go.mod/go.sum, lists the
//     whole closure of those imports (the dependency list) and copies what
//     a build reads of the module cache: those packages' files and the
//     download metadata go checks them with (see gotool/prune.go). It
//     fetches the modules into a module cache of its own, from the shared
//     one the download filled first (prunesFetch), so no layer holds the
//     whole module cache; with secrets or ssh it reads the download's
//     module cache layer, offline. BuildKit keys it on the imports' content;
//   - `gotool precompile` compiles the dependency list in that directory,
//     with the pruned module cache, keyed on the list's content, so it stays
//     cached across source edits, and --cache-to/--cache-from carry it to a
//     fresh builder. With a profile it compiles them with -pgo, the profile
//     being the one file copied out of the context (see pgo.go), as the
//     build will.
//
// A fourth step makes the own packages' layer, so that a fresh runner's
// build of an edit in a main package compiles that package only: the
// imports step also copies the sources of the own packages the mains
// import (not the mains; see gotool/own.go), and `gotool precompile`
// compiles them there, over the dependency layer (read, not copied), keyed
// on that copy's content.
//
// Where it can, the frontend image makes the imports list and the own
// sources' copy instead of the builder (scanImports), so nothing keyed on
// the source waits for the builder image on a fresh runner.
//
// On a fresh runner whose imports did not change, prune and precompile come
// from the imported cache and the build mounts their small layers: no whole
// module cache is loaded, or exported. The shared build cache mount is a
// second tier: precompile takes entries from it (copying them into the
// layer) and adds its own to it. A vendored module has no module cache
// layer, so it gets no dependency layer (nil); neither does a build with
// CacheMounts, whose build cache mount is enough on a long-lived builder.
func dependencyLayer(r *spec.Resolved, mods *llb.State, g depGroup, target map[string]string, opt Options) *depLayers {
	if mods == nil || opt.Cache != CacheLayers || ownCode(r, "") {
		return nil // a -toolexec or cgo tool would run in the precompile step, which no source edit re-keys
	}
	plat := formatPlatform(opt.TargetPlatform)
	var listFlags []string
	for _, f := range opt.compileFlags(r, g.tags) {
		listFlags = append(listFlags, "-flag", f)
	}
	imports, ownSrc, ok := scanImports(r, g, opt)
	if !ok {
		importArgs := slices.Concat([]string{toolBin, "imports", "-o", path.Join(importsDir, "imports.txt")},
			ownCopyArgs, listFlags, g.mains)
		// the imports step may not fetch: no network (gotool also turns
		// fetching off)
		listImports := toolStep(r, nil, importArgs, target, stepname.ListImports(plat, g.mains), r.Pos, false, opt,
			llb.Network(llb.NetModeNone))
		imports, ownSrc = listImports.AddMount(importsDir, llb.Scratch()), listImports.AddMount(ownSrcDir, llb.Scratch())
	}

	pruneArgs := []string{toolBin, "prune", "-imports", path.Join(importsDir, "imports.txt"),
		"-o", prunedDir, "-deps", path.Join(depsDir, "deps.txt")}
	pruneMounts := []llb.RunOption{
		llb.AddMount(gomodDir, goModFiles(r, opt), llb.Readonly),
		llb.AddMount(importsDir, imports, llb.Readonly),
	}
	if prunesFetch(r, opt) {
		// mods is the download's empty output: mounted only so prune runs
		// after the download filled the seed
		pruneArgs = append(pruneArgs, "-fetch-seed", modSeedDir)
		pruneMounts = append(pruneMounts,
			llb.AddMount(downloadedDir, *mods, llb.Readonly),
			llb.AddMount(modSeedDir, llb.Scratch(), llb.AsPersistentCacheDir(opt.cacheID("gomodcache"), llb.CacheMountShared)))
	} else {
		pruneMounts = append(append(pruneMounts, llb.Network(llb.NetModeNone)), opt.layerMount(modCacheDir, *mods))
	}
	prune := goStep(r, slices.Concat(pruneArgs, listFlags), gomodDir, target, stepname.Prune(plat, g.mains), r.Pos, opt, pruneMounts...)
	list := prune.AddMount(depsDir, llb.Scratch())
	pruned := prune.AddMount(prunedDir, llb.Scratch())

	args := []string{toolBin, "precompile", "-list", path.Join(depsDir, "deps.txt"),
		"-cache-out", depLayerDir, "-cache-rw", buildCache}
	mounts := []llb.RunOption{
		llb.AddMount(gomodDir, goModFiles(r, opt), llb.Readonly),
		llb.AddMount(depsDir, list, llb.Readonly),
	}
	ownArgs := []string{toolBin, "precompile", "-list", ownListFile,
		"-cache-out", ownLayerDir, "-cache-ro", depLayerDir, "-cache-rw", buildCache}
	var pgo []llb.RunOption
	if g.profile != "" {
		args = append(args, "-pgo", path.Join(pgoDir, ProfileName))
		ownArgs = append(ownArgs, "-pgo", path.Join(pgoDir, ProfileName))
		pgo = append(pgo, opt.profileMount(g.profile, r.Pos))
	}
	args = append(append(args, "--"), opt.compileFlags(r, g.tags)...)
	run := goStep(r, args, gomodDir, target, stepname.Precompile(plat, g.profile), r.Pos, opt.compiles(), slices.Concat(mounts, pgo, opt.goInputs(&pruned, false))...)
	deps := run.AddMount(depLayerDir, llb.Scratch())

	// the own packages, in the copy of their sources (read-only, so BuildKit
	// keys the step on its content), over the dependency layer
	ownArgs = append(append(ownArgs, "--"), opt.compileFlags(r, g.tags)...)
	own := goStep(r, ownArgs, ownTreeDir, target, stepname.PrecompileOwn(plat, g.profile, g.mains), r.Pos, opt.compiles(), slices.Concat([]llb.RunOption{
		llb.AddMount(ownSrcDir, ownSrc, llb.Readonly),
		opt.layerMount(depLayerDir, deps),
	}, pgo, opt.goInputs(&pruned, false))...)
	return &depLayers{deps: deps, mods: pruned, own: own.AddMount(ownLayerDir, llb.Scratch())}
}

// scanImports lists the imports of the main packages of g and the own
// packages they reach, and copies those own packages, with no go command,
// in the frontend image (gotool scanimports), so that the layers keyed on
// them load while the builder image is pulled. Both outputs are the same
// for every platform (every build constraint is taken). ok is false where
// that is not possible: no prebuilt gotool for the build platform, or a
// workspace or local replacements (whose module paths the scan does not
// know).
func scanImports(r *spec.Resolved, g depGroup, opt Options) (imports, ownSrc llb.State, ok bool) {
	if opt.GoTool == nil || opt.Layout.Workspace != "" || len(opt.Layout.modFiles(r.Module)) > 2 {
		return imports, ownSrc, false
	}
	args := slices.Concat([]string{opt.GoTool.Path, "scanimports", "-o", path.Join(importsDir, "imports.txt")}, ownCopyArgs, g.mains)
	run := opt.GoTool.Image.Run(slices.Concat([]llb.RunOption{
		llb.Args(args),
		llb.Dir(path.Join(srcDir, r.Module)),
		llb.AddMount(srcDir, opt.Context, llb.Readonly),
		llb.Network(llb.NetModeNone),
		llb.WithCustomName(stepname.ScanImports(g.mains)),
	}, opt.runConstraints(r.Pos))...)
	return run.AddMount(importsDir, llb.Scratch()), run.AddMount(ownSrcDir, llb.Scratch()), true
}

// ownCopyArgs make gotool imports or scanimports copy the own packages'
// sources for the own-package layer.
var ownCopyArgs = []string{"-own-src", ownTreeDir, "-own-list", ownListFile, "-root", srcDir}

// depGroup is the main packages of the binaries that share one dependency
// layer: those with the same tags and the same PGO profile (the context
// path of its file, "" for none).
type depGroup struct {
	tags    []string
	profile string
	mains   []string
}

// key identifies the group's tags and profile.
func (g depGroup) key() string {
	return tagKey(g.tags) + "\x00" + g.profile
}

// depGroups groups r's binaries by tags and profile, in the order the
// groups first appear.
func depGroups(r *spec.Resolved, opt Options) []depGroup {
	var groups []depGroup
	index := map[string]int{}
	for _, b := range r.Binaries {
		g := depGroup{tags: b.Tags, profile: opt.profileOf(r, b.Main)}
		i, ok := index[g.key()]
		if !ok {
			i = len(groups)
			index[g.key()] = i
			groups = append(groups, g)
		}
		if !slices.Contains(groups[i].mains, b.Main) {
			groups[i].mains = append(groups[i].mains, b.Main)
		}
	}
	return groups
}

// tagKey identifies a set of build tags in any order (part of a depGroup's
// key).
func tagKey(tags []string) string {
	t := slices.Clone(tags)
	slices.Sort(t)
	return strings.Join(t, ",")
}
