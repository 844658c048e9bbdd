package llb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// Shared caches on a shared daemon.
//
// The module cache and the Go build cache are persistent cache mounts that
// every build on a BuildKit daemon can share, and the go command trusts
// what it finds there: it does not re-verify an extracted module tree, and
// a build cache entry maps an action id (a hash of the inputs) to an output
// that is used as is. So a step that can run code chosen by the spec's
// author must never write where another build reads. Three rules keep one
// build from changing another's result:
//
//  1. The caches are namespaced by everything that decides which programs
//     run in the Go steps and what the go command trusts: the builder image
//     (its LLB definition, so an image pinned by digest or a named context),
//     its environment, the spec's goenv (build args included) and goflags.
//     A build shares caches only with builds that would run the same
//     toolchain the same way, so a hostile builder image or GOPROXY poisons
//     only its own namespace.
//  2. The module cache is read-only in every step but the download, which
//     runs only the go command and gotool and verifies every module against
//     go.sum (spec validation refuses the goenv that would change that).
//  3. A step that runs the author's own code, the test target, or a build
//     with -toolexec or cgo tools and flags from goenv, reads the shared
//     build cache read-only and writes to a cache of its own that is thrown
//     away (ownCode).

// cacheNamespace is the suffix of this build's cache ids: a hash of the
// builder (definition and environment), the goenv and the goflags.
func cacheNamespace(r *spec.Resolved, opt Options) string {
	h := sha256.New()
	if def, err := opt.Builder.Marshal(context.Background()); err == nil {
		for _, dt := range def.Def {
			fmt.Fprintf(h, "builder %x\n", sha256.Sum256(dt))
		}
	} else {
		fmt.Fprintf(h, "builder error %v\n", err) // an unmarshalable builder fails later anyway
	}
	for _, kv := range opt.BuilderEnv {
		fmt.Fprintf(h, "env %q\n", kv)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Goenv)) {
		fmt.Fprintf(h, "goenv %q=%q\n", k, r.Goenv[k])
	}
	for _, f := range r.Goflags {
		fmt.Fprintf(h, "goflag %q\n", f)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// withCacheNamespace returns opt with the cache namespace of r set, as
// Convert and ConvertTest do before making any step.
func withCacheNamespace(r *spec.Resolved, opt Options) Options {
	opt.cacheNS = cacheNamespace(r, opt)
	return opt
}

// ownCode says whether a go build with r's settings and these ldflags runs
// programs of the author's choosing (besides the builder's toolchain): a
// -toolexec, or with cgo on, C tools and flags from goenv or the external
// linker from ldflags. The test target always does, and is not asked.
func ownCode(r *spec.Resolved, ldflags string) bool {
	flags := slices.Clone(r.Goflags)
	flags = append(flags, strings.Fields(r.Goenv["GOFLAGS"])...)
	for _, f := range flags {
		name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if name == "toolexec" || name == "exec" {
			return true
		}
	}
	if r.Goenv["CGO_ENABLED"] != "1" {
		return false // no C toolchain runs, and the go command refuses external linking
	}
	for k := range r.Goenv {
		switch {
		case k == "CC", k == "CXX", k == "FC", k == "AR", k == "PKG_CONFIG", k == "GCCGO":
			return true
		case strings.HasPrefix(k, "CGO_") && k != "CGO_ENABLED":
			return true
		}
	}
	for _, f := range strings.Fields(ldflags) {
		if strings.HasPrefix(strings.TrimLeft(f, "-"), "ext") {
			return true // -extld, -extldflags, -extar
		}
	}
	return false
}

// privateCache is where a step that runs the author's code writes its
// build cache: an empty directory of that step's own, never shared.
const privateCache = "/goscratch/gocache-private"

// buildCacheMounts mounts the shared build cache: read-write for a step
// that runs only the toolchain, read-only (plus an empty private cache) for
// one that runs the author's code.
func (o Options) buildCacheMounts(own bool) []llb.RunOption {
	shared := llb.AsPersistentCacheDir(o.cacheID("gocache"), llb.CacheMountShared)
	if !own {
		return []llb.RunOption{llb.AddMount(buildCache, llb.Scratch(), shared)}
	}
	return []llb.RunOption{
		llb.AddMount(buildCache, llb.Scratch(), shared, llb.Readonly),
		llb.AddMount(privateCache, llb.Scratch()),
	}
}

// cacheArgs are gotool's build cache flags for a step: the private cache
// over the shared one for the author's code (then deplayer, if any).
func cacheArgs(own bool, deplayer bool) []string {
	var args []string
	if own {
		args = append(args, "-cache-rw", privateCache, "-cache-ro", buildCache)
	} else if deplayer {
		args = append(args, "-cache-rw", buildCache)
	}
	if deplayer {
		args = append(args, "-cache-ro", depLayerDir, "-cache-ro", ownLayerDir)
	}
	return args
}

// CacheMountIDs are the ids of the persistent cache mounts a build of r
// with opt uses (the module cache seed and the build cache), namespaced as
// Convert namespaces them: what `--call outline` lists.
func CacheMountIDs(r *spec.Resolved, opt Options) []string {
	opt.Builder = opt.Builder.Platform(opt.BuildPlatform)
	opt = withCacheNamespace(r, opt)
	return []string{opt.cacheID("gomodcache"), opt.cacheID("gocache")}
}
