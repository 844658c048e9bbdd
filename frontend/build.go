// Package frontend is the BuildKit gateway glue: it reads the spec and the
// build request through dockerui, loads the builder image, runs the pure
// converter once per target platform, solves, and returns a multi-platform
// result. Everything about what the graph looks like lives in package llb.
package frontend

import (
	"context"
	"fmt"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Build is the frontend's entrypoint (a gateway client.BuildFunc).
func Build(ctx context.Context, c client.Client) (*client.Result, error) {
	bc, err := dockerui.NewClient(c)
	if err != nil {
		return nil, err
	}
	src, err := bc.ReadEntrypoint(ctx, "yaml")
	if err != nil {
		return nil, err
	}
	sp, err := spec.Parse(src.Filename, src.Data)
	if err != nil {
		return nil, withSpecSource(err, src.SourceMap)
	}
	in, err := loadInputs(ctx, bc, sp, src.SourceMap)
	if err != nil {
		return nil, err
	}
	if in.target.Test != nil {
		return buildTest(ctx, bc, in)
	}
	if err := choosePlatforms(bc, sp); err != nil {
		return nil, withSpecSource(err, src.SourceMap)
	}

	rb, err := bc.Build(ctx, func(ctx context.Context, p *ocispecs.Platform, _ int) (*dockerui.BuildResult, error) {
		return buildPlatform(ctx, bc, in, *p)
	})
	if err != nil {
		return nil, err
	}
	return rb.Finalize()
}

// buildPlatform converts and solves the image for one target platform.
func buildPlatform(ctx context.Context, bc *dockerui.Client, in *inputs, p ocispecs.Platform) (*dockerui.BuildResult, error) {
	opt := in.options
	opt.TargetPlatform = p
	res, err := gsllb.Convert(in.target, opt)
	if err != nil {
		return nil, err
	}
	def, err := res.State.Marshal(ctx, llb.WithCaps(bc.BuildOpts().LLBCaps))
	if err != nil {
		return nil, fmt.Errorf("marshal LLB for %s: %w", p.Architecture, err)
	}
	r, err := bc.GatewayClient().Solve(ctx, client.SolveRequest{
		Definition:   def.ToPB(),
		CacheImports: bc.CacheImports,
	})
	if err != nil {
		return nil, err
	}
	ref, err := r.SingleRef()
	if err != nil {
		return nil, err
	}
	return &dockerui.BuildResult{Reference: ref, Image: res.Image, Epoch: in.epoch}, nil
}
