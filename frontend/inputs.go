package frontend

import (
	"context"
	"time"

	"github.com/goscratch/goscratch/inputs"
	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// request is everything read from the build request before per-platform
// conversion: the inputs (package inputs derives them from the context's
// files, read through the gateway) and the converter's options.
type request struct {
	specFile  string
	sourceMap *llb.SourceMap
	in        *inputs.Inputs
	target    *spec.Resolved
	options   gsllb.Options // TargetPlatform is filled per platform
	epoch     *time.Time    // set only when the request gave SOURCE_DATE_EPOCH
	// explainFailure turns a failed solve into the builder error when the
	// builder image has no go command (checked only after a failure, so a
	// good build pays no extra solve); else it returns err.
	explainFailure func(ctx context.Context, err error) error
}

func loadRequest(ctx context.Context, bc *dockerui.Client, sp *spec.Spec, sm *llb.SourceMap) (*request, error) {
	// the prebuilt gotool (two gateway round trips) does not depend on the
	// context: find it while the context's files are read
	tool := make(chan *gsllb.PrebuiltTool, 1)
	go func() { tool <- prebuiltGoTool(ctx, bc, buildPlatform0(bc)) }()
	in, err := inputs.Load(ctx, inputs.Request{
		Spec: sp, Target: bc.Target, BuildArgs: bc.BuildArgs, FrontendOpts: bc.BuildOpts().Opts,
		ImportsCache: len(bc.CacheImports) > 0,
		Read:         gatewayRead(bc),
		Ignore:       bc.DockerIgnorePatterns,
		ContextEpoch: bc.ResolveMainContextSourceDateEpoch,
	})
	if err != nil {
		return nil, withSpecSource(err, sm)
	}
	if err := checkFileSources(ctx, bc, in.Target, sp.File()); err != nil {
		return nil, withSpecSource(err, sm)
	}
	env, err := requestEnv(ctx, bc, in, sm, <-tool)
	if err != nil {
		return nil, withSpecSource(in.BuilderError(sp, err), sm)
	}
	return &request{
		specFile:  sp.File(),
		sourceMap: sm,
		in:        in,
		target:    in.Target,
		epoch:     in.Epoch,
		explainFailure: func(ctx context.Context, err error) error {
			if berr := checkBuilderHasGo(ctx, bc, env.Builder.State, env.Builder.Env, in.BuilderRef); berr != nil {
				return withSpecSource(in.BuilderError(sp, berr), sm)
			}
			return err
		},
		options: in.Options(env),
	}, nil
}

// requestEnv turns the request into the states the converter builds on:
// the main context, the builder image (or the named context that replaces
// it), the prebuilt gotool, and the request's labels and cache options.
func requestEnv(ctx context.Context, bc *dockerui.Client, in *inputs.Inputs, sm *llb.SourceMap, tool *gsllb.PrebuiltTool) (inputs.Env, error) {
	main, err := bc.MainContext(ctx)
	if err != nil {
		return inputs.Env{}, err
	}
	buildPlatform := buildPlatform0(bc)
	builder, err := loadBuilder(ctx, bc, in.BuilderRef, buildPlatform)
	if err != nil {
		return inputs.Env{}, err
	}
	var constraints []llb.ConstraintsOpt
	if bc.IsNoCache(bc.Target) {
		constraints = append(constraints, llb.IgnoreCache)
	}
	caps := bc.BuildOpts().LLBCaps
	return inputs.Env{
		Caps:          &caps,
		BuildPlatform: buildPlatform,
		Context:       *main,
		Builder:       builder,
		GoTool:        tool,
		Labels:        bc.Labels,
		CacheNS:       bc.CacheIDNamespace,
		SourceMap:     sm,
		Constraints:   constraints,
	}, nil
}

// gatewayRead reads files from the main context in one transfer that holds
// only them; missing files are left out of the result. Of a file
// inputs.PresenceOnly names only the existence matters, so it is not read.
func gatewayRead(bc *dockerui.Client) inputs.Read {
	return func(ctx context.Context, paths []string, name string) (map[string][]byte, error) {
		st, err := bc.MainContext(ctx, llb.FollowPaths(paths), dockerui.WithInternalName(name))
		if err != nil {
			return nil, err
		}
		ref, err := solve(ctx, bc, *st, nil)
		if err != nil {
			return nil, err
		}
		out := map[string][]byte{}
		for _, p := range paths {
			if inputs.PresenceOnly(p) {
				if st, err := ref.StatFile(ctx, client.StatRequest{Path: p}); err == nil && !st.IsDir() {
					out[p] = nil
				}
				continue
			}
			if dt, err := ref.ReadFile(ctx, client.ReadRequest{Filename: p}); err == nil {
				out[p] = dt
			}
		}
		return out, nil
	}
}
