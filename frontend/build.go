// Package frontend is the BuildKit gateway glue: it reads the spec and the
// build request through dockerui, loads the builder image, runs the pure
// converter once per target platform, solves, and returns a multi-platform
// result. Everything about what the graph looks like lives in package llb.
package frontend

import (
	"context"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Build is the frontend's entrypoint (a gateway client.BuildFunc).
func Build(ctx context.Context, c client.Client) (_ *client.Result, retErr error) {
	if err := gsllb.CheckDaemon(c.BuildOpts().Caps); err != nil {
		return nil, err
	}
	bc, err := dockerui.NewClient(c)
	if err != nil {
		return nil, err
	}
	src, err := bc.ReadEntrypoint(ctx, "yaml")
	if err != nil {
		return nil, err
	}
	if res, ok, err := handleSubrequest(ctx, bc, src); err != nil || ok {
		return res, err
	}
	ctx, st := withStats(ctx, bc)
	defer func() {
		if retErr != nil {
			st.report(ctx, src) // what a refused request cost
		}
	}()
	sp, err := spec.Parse(src.Filename, src.Data)
	if err != nil {
		return nil, withSpecSource(err, src.SourceMap)
	}
	in, err := loadRequest(ctx, bc, sp, src.SourceMap)
	if err != nil {
		return nil, err
	}
	if in.target.Test == nil {
		if err := choosePlatforms(bc, sp); err != nil {
			return nil, withSpecSource(err, src.SourceMap)
		}
	}
	if bc.BuildArgs[argLLB] == "1" {
		return emitLLB(ctx, bc, in)
	}
	if in.target.Test != nil {
		return buildTest(ctx, bc, in)
	}
	warnLint(ctx, src, lintInput(bc, sp, in.in.Module))

	imgs := &built{}
	rb, err := bc.Build(ctx, func(ctx context.Context, p *ocispecs.Platform, _ int) (*dockerui.BuildResult, error) {
		return buildPlatform(ctx, bc, in, *p, imgs)
	})
	if err != nil {
		return nil, err
	}
	if err := attachSBOM(ctx, bc, rb, in, imgs); err != nil {
		return nil, err
	}
	if err := addAnnotations(rb, in, bc.MultiPlatformRequested, bc.TargetPlatforms); err != nil {
		return nil, withSpecSource(err, src.SourceMap)
	}
	st.report(ctx, src)
	return rb.Finalize()
}

// platformOptions are the converter's options for target platform p: the
// request's, and the named context that replaces the debug image (loaded
// for p) when the target has the debug shell.
func (in *request) platformOptions(ctx context.Context, bc *dockerui.Client, p ocispecs.Platform) (gsllb.Options, error) {
	opt := in.options
	opt.TargetPlatform = p
	if in.target.Debug {
		st, _, err := namedImage(ctx, bc, spec.DebugImage, p, "the debug shell's image")
		if err != nil {
			return opt, err
		}
		opt.DebugImage = st
	}
	return opt, nil
}

// buildPlatform converts and solves the image for one target platform.
func buildPlatform(ctx context.Context, bc *dockerui.Client, in *request, p ocispecs.Platform, imgs *built) (*dockerui.BuildResult, error) {
	opt, err := in.platformOptions(ctx, bc, p)
	if err != nil {
		return nil, err
	}
	res, err := gsllb.Convert(in.target, opt)
	if err != nil {
		return nil, err
	}
	ref, err := solveState(ctx, bc, res.State)
	if err != nil {
		return nil, in.explainFailure(ctx, err)
	}
	// solves are lazy: the builds run when the check reads the binaries,
	// each from its own layer, so the image's merge stays lazy too (the
	// exporter takes the layers as they are)
	bins := make([]client.Reference, len(res.Binaries))
	for i, st := range res.Binaries {
		if bins[i], err = solveState(ctx, bc, st); err != nil {
			return nil, in.explainFailure(ctx, err)
		}
	}
	if err := verifyBinaries(ctx, bins, in, p); err != nil {
		return nil, in.explainFailure(ctx, err)
	}
	if res.Debug != nil {
		if err := verifyDebugShell(ctx, bc, *res.Debug, in, p); err != nil {
			return nil, err
		}
	}
	imgs.put(p, builtImage{ref: ref, state: res.State, bins: bins})
	return &dockerui.BuildResult{Reference: ref, Image: res.Image, Epoch: in.epoch}, nil
}
