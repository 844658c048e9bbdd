package inputs

import (
	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/util/apicaps"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Env is what the caller turns into LLB states: where the build runs, the
// build context, the builder image and the request's extras.
type Env struct {
	BuildPlatform ocispecs.Platform
	Context       llb.State // the main build context
	Builder       Builder
	GoTool        *gsllb.PrebuiltTool // nil: gotool is compiled in the graph
	Labels        map[string]string   // --label
	CacheNS       string              // BUILDKIT_CACHE_MOUNT_NS
	SourceMap     *llb.SourceMap
	Constraints   []llb.ConstraintsOpt
	Caps          *apicaps.CapSet // the daemon's LLBCaps; nil: all
}

// Options are the converter's options for these inputs in env, for every
// target platform (the caller sets TargetPlatform).
func (in *Inputs) Options(env Env) gsllb.Options {
	return gsllb.Options{
		GoTool:        env.GoTool,
		BuildPlatform: env.BuildPlatform,
		Context:       env.Context,
		Builder:       env.Builder.State,
		BuilderEnv:    env.Builder.Env,
		Epoch:         in.Epoch,
		Labels:        env.Labels,
		Template:      in.Template,
		CacheNS:       env.CacheNS,
		SourceMap:     env.SourceMap,
		Constraints:   env.Constraints,
		Caps:          env.Caps,
		Layout:        in.Layout,
		Cache:         in.Cache,
	}
}
