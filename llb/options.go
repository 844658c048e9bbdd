package llb

import (
	"github.com/goscratch/goscratch/spec"
	"time"

	"github.com/moby/buildkit/client/llb"
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
	// GoTool, when set, is a prebuilt gotool binary for BuildPlatform (the
	// frontend image carries one for its own platform): the steps use it
	// instead of compiling gotool in the builder first, which would put
	// a compile of part of the standard library on every cold build's
	// critical path.
	GoTool []byte
}

// Paths used inside the builder container.
const (
	srcDir      = "/goscratch/src"
	gomodDir    = "/goscratch/gomod"
	modCacheDir = "/goscratch/modcache"
	modSeedDir  = "/goscratch/modseed"  // the persistent module cache the download reads first
	depsDir     = "/goscratch/deps"     // the dependency list of one platform
	depLayerDir = "/goscratch/deplayer" // the precompiled dependencies (a build cache)
	buildCache  = "/goscratch/gocache"
	outDir      = "/goscratch/out"
	toolDir     = "/goscratch/tool"   // the compiled gotool helper
	reportDir   = "/goscratch/report" // the test target's result
)

// Epoch0 is the effective epoch: Epoch, or the Unix epoch when unset.
func (o Options) Epoch0() time.Time { return o.epoch() }

func (o Options) epoch() time.Time {
	if o.Epoch != nil {
		return o.Epoch.UTC()
	}
	return time.Unix(0, 0).UTC()
}

func (o Options) cacheID(name string) string {
	return o.CacheNS + "goscratch-" + name
}
