// Package stepname is the one place that names the build steps goscratch
// shows in BuildKit's progress and says which phase of a build each name
// belongs to. llb/ and inputs/ name their steps with it; the benchmark
// (bench/) reads BuildKit's progress stream with Phase, so a renamed step
// cannot silently fall out of the benchmark's per-phase breakdown. It
// imports nothing but the standard library.
package stepname

import (
	"fmt"
	"strings"
)

// The phases of a goscratch build that its step names tell apart.
const (
	PhaseBuilder    = "builder"    // the builder image (and the frontend image gotool comes from): resolve, pull, unpack
	PhaseDownload   = "download"   // go mod download: the module cache layer
	PhaseDeps       = "deps"       // gotool imports and prune: the dependency list and the pruned module cache per platform (layer cache mode)
	PhasePrecompile = "precompile" // gotool precompile: the dependency layer and the own packages' layer per platform (layer cache mode)
	PhaseBuild      = "build"      // go build: compile the module's own packages and link, per binary and platform
)

// Download names the module download step (one per request).
const Download = "go mod download"

// Toolchain names the step that copies what go build reads of the builder
// image's Go toolchain, the root filesystem of the layers mode's compiles
// (a builder phase: on a fresh runner it is what is unpacked instead of
// the builder image).
const Toolchain = builderPrefix + "toolchain for the compile steps"

// FrontendImage names the frontend image source whose gotool the Go steps mount.
const FrontendImage = "goscratch frontend image (prebuilt gotool)"

// ResolveFrontendImage names the frontend's resolve of its own image (for gotool).
const ResolveFrontendImage = "resolve the frontend image for gotool"

const (
	resolveBuilderPrefix = "load builder image "
	builderPrefix        = "builder "
	listImportsPrefix    = "list imports of "
	scanImportsPrefix    = "scan imports of "
	prunePrefix          = "module packages of "
	precompileStep       = "precompile dependencies"
	precompileOwnPrefix  = "precompile own packages of "
	buildPrefix          = "go build "
)

// Builder names the builder image's source, after the ref the spec chose.
func Builder(ref string) string { return builderPrefix + ref }

// ResolveBuilder names the frontend's resolve of the builder image's config.
func ResolveBuilder(ref string) string { return resolveBuilderPrefix + ref }

// ListImports names the step that lists the standard and module packages
// the project's packages import, for mains and one target platform
// ("linux/arm64").
func ListImports(platform string, mains []string) string {
	return fmt.Sprintf("[%s] %s%s", platform, listImportsPrefix, strings.Join(mains, " "))
}

// ScanImports names the step that lists, in the frontend image, the
// imports of mains and the own packages they reach and copies those
// packages, for every platform.
func ScanImports(mains []string) string {
	return scanImportsPrefix + strings.Join(mains, " ")
}

// Prune names the step that lists the dependencies of mains for one target
// platform and copies the module packages they are to the build's pruned
// module cache.
func Prune(platform string, mains []string) string {
	return fmt.Sprintf("[%s] %s%s", platform, prunePrefix, strings.Join(mains, " "))
}

// Precompile names the step that compiles the dependency layer for one
// target platform, with the PGO profile at that context path ("": none).
func Precompile(platform, profile string) string {
	name := fmt.Sprintf("[%s] %s", platform, precompileStep)
	if profile != "" {
		name += " with " + profile
	}
	return name
}

// PrecompileOwn names the step that compiles, for one target platform, the
// project's own packages that mains import (not mains themselves), with
// the PGO profile at that context path ("": none).
func PrecompileOwn(platform, profile string, mains []string) string {
	name := fmt.Sprintf("[%s] %s%s", platform, precompileOwnPrefix, strings.Join(mains, " "))
	if profile != "" {
		name += " with " + profile
	}
	return name
}

// Build names the go build step of main packages (one go build for
// binaries that share flags) for one target platform.
func Build(platform string, mains ...string) string {
	return fmt.Sprintf("[%s] %s%s", platform, buildPrefix, strings.Join(mains, " "))
}

// Phase is the phase of a goscratch step name, or "" for a step outside
// these phases (the context, the image's file layers, the merge).
func Phase(name string) string {
	switch {
	case name == Download:
		return PhaseDownload
	case strings.HasPrefix(name, scanImportsPrefix):
		return PhaseDeps
	case name == FrontendImage, name == ResolveFrontendImage,
		strings.HasPrefix(name, builderPrefix), strings.HasPrefix(name, resolveBuilderPrefix):
		return PhaseBuilder
	}
	rest, ok := platformStep(name)
	switch {
	case !ok:
		return ""
	case strings.HasPrefix(rest, listImportsPrefix), strings.HasPrefix(rest, prunePrefix):
		return PhaseDeps
	case strings.HasPrefix(rest, precompileStep), strings.HasPrefix(rest, precompileOwnPrefix):
		return PhasePrecompile
	case strings.HasPrefix(rest, buildPrefix):
		return PhaseBuild
	}
	return ""
}

// platformStep cuts the "[platform] " a per-platform step name starts with.
func platformStep(name string) (string, bool) {
	if !strings.HasPrefix(name, "[") {
		return "", false
	}
	_, rest, ok := strings.Cut(name, "] ")
	return rest, ok
}
