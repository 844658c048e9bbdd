package llb

import (
	"github.com/goscratch/goscratch/spec"
	"time"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/util/apicaps"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Options are everything the converter needs besides the spec. The frontend
// fills them from the build request; tests fill them by hand.
type Options struct {
	// BuildPlatform is where every Go step runs (never emulated).
	BuildPlatform ocispecs.Platform
	// TargetPlatform is the platform of the image being made.
	TargetPlatform ocispecs.Platform
	// Context is the main build context (the source tree).
	Context llb.State
	// Builder is the Go builder image's root filesystem for BuildPlatform.
	Builder llb.State
	// BuilderEnv is the builder image's configured environment (PATH, GOPATH ...).
	BuilderEnv []string
	// Epoch is the time given to every file and to the image's created
	// time. Nil means the Unix epoch, so images are reproducible by default.
	Epoch *time.Time
	// Labels from the build request (`--label`); they override spec labels.
	Labels map[string]string
	// Template is the request's part of the data for templated fields
	// (version, VCS info, build args); the converter adds the platform, epoch
	// and names.
	Template spec.TemplateData
	// CacheNS prefixes the ids of the persistent cache mounts (BUILDKIT_CACHE_MOUNT_NS).
	CacheNS string
	// SourceMap, when set, attaches spec positions to the steps.
	SourceMap *llb.SourceMap
	// Constraints are added to every op (e.g. dockerui's no-cache and metadata options).
	Constraints []llb.ConstraintsOpt
	// Layout is the module's vendor directory, workspace and go.mod files.
	Layout Layout
	// GoTool, when set, is where a prebuilt gotool for BuildPlatform is
	// (the frontend image carries one for its own platform): the steps
	// mount it instead of compiling gotool in the builder first, which
	// would put a compile of part of the standard library on every cold
	// build's critical path.
	GoTool *PrebuiltTool
	// Cache is where the Go steps keep modules and compiled packages:
	// persistent cache mounts only (CacheMounts, the zero value), or also
	// the module and dependency layers that --cache-to/--cache-from carry
	// (CacheLayers). See CacheMode.
	Cache CacheMode
	// Caps are the LLB capabilities of the daemon that solves the graph (the
	// gateway's LLBCaps). An optional feature it lacks is left out where the
	// image is the same without it (see supports); nil means every
	// capability of the BuildKit this is built with.
	Caps *apicaps.CapSet
	// DebugImage is the root filesystem of the debug variant's image for
	// TargetPlatform (a named context replacing spec.DebugImage); nil:
	// spec.DebugImage from its registry. Used only when the target asks
	// for the debug shell.
	DebugImage *llb.State

	// cacheNS is the namespace of the cache ids (see cacheNamespace),
	// set by Convert and ConvertTest.
	cacheNS string
	// toolchain is the root filesystem of the compile steps when it is
	// not Builder (see toolchainRoot), set by Convert; onToolchain says
	// the step being made is one of them (see compiles).
	toolchain   *llb.State
	onToolchain bool
}

// PrebuiltTool is a gotool binary at Path in Image's filesystem. The steps
// bind-mount that one file, read-only: BuildKit keys them on its content,
// so a new frontend image with the same gotool keeps every cached step.
type PrebuiltTool struct {
	Image llb.State
	Path  string
}

// CacheMode chooses how the Go steps cache modules and compiled packages.
// Both give the same image; they differ in what a rebuild can reuse.
type CacheMode int

const (
	// CacheMounts keeps the Go build cache on a persistent cache mount, as
	// a long-lived builder wants: a source edit runs only go build, with
	// Go's own build cache. The modules are a layer in both modes (see
	// modules). BuildKit never exports cache mounts, so a fresh builder
	// compiles everything again.
	CacheMounts CacheMode = iota
	// CacheLayers also makes the module download a real layer and, per
	// target platform, tag set and PGO profile, a layer of precompiled
	// dependencies
	// (see dependencyLayer), so --cache-to exports them and a fresh builder
	// with --cache-from compiles only the project's own packages and
	// touches no network. Each source edit pays for listing the imports.
	CacheLayers
)

func (m CacheMode) String() string {
	if m == CacheLayers {
		return "layers"
	}
	return "mounts"
}

// Paths used inside the builder container.
const (
	srcDir        = "/goscratch/src"
	gomodDir      = "/goscratch/gomod"
	modCacheDir   = "/goscratch/modcache"
	modSeedDir    = "/goscratch/modseed"    // the persistent module cache the download reads first
	downloadedDir = "/goscratch/downloaded" // the seed-only download's empty output (prune's order)
	importsDir    = "/goscratch/imports"    // the imports of the project's packages, one platform
	prunedDir     = "/goscratch/pruned"     // the module cache pruned to the packages a build reads
	depsDir       = "/goscratch/deps"       // the dependency list of one platform
	depLayerDir   = "/goscratch/deplayer"   // the precompiled dependencies (a build cache)
	ownSrcDir     = "/goscratch/own"        // the own non-main packages' sources and list, one platform
	ownTreeDir    = ownSrcDir + "/src"      // those sources, at their paths in the context
	ownListFile   = ownSrcDir + "/packages.txt"
	ownLayerDir   = "/goscratch/ownlayer" // the precompiled own non-main packages (a build cache)
	pgoDir        = "/goscratch/pgo"      // the profile the dependencies are precompiled with
	buildCache    = "/goscratch/gocache"
	outDir        = "/goscratch/out"
	toolDir       = "/goscratch/tool"   // the compiled gotool helper
	reportDir     = "/goscratch/report" // the test target's result
)

// Epoch0 is the effective epoch: Epoch, or the Unix epoch when unset.
func (o Options) Epoch0() time.Time { return o.epoch() }

func (o Options) epoch() time.Time {
	if o.Epoch != nil {
		return o.Epoch.UTC()
	}
	return time.Unix(0, 0).UTC()
}

// cacheID is the id of a persistent cache mount: the request's
// BUILDKIT_CACHE_MOUNT_NS, the name, and the namespace of the builder and
// go settings (see trust.go).
func (o Options) cacheID(name string) string {
	id := o.CacheNS + "goscratch-" + name
	if o.cacheNS != "" {
		id += "-" + o.cacheNS
	}
	return id
}
