package cli

import (
	"context"
	"fmt"

	"github.com/containerd/platforms"
	"github.com/goscratch/goscratch/inputs"
	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client"
	gateway "github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/util/apicaps"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// resolved is what the daemon tells about a build: its platform, the
// builder image pinned with its environment, the frontend image's gotool.
type resolved struct {
	buildPlatform ocispecs.Platform
	builder       inputs.Builder
	goTool        *gsllb.PrebuiltTool
	caps          apicaps.CapSet // the daemon's LLB capabilities
}

// resolveThrough asks the BuildKit daemon at addr, in one gateway session,
// what the frontend would ask it through its gateway: the worker's
// platform (unless buildPlatform is given), the builder image (package
// inputs, the frontend's code) and, if frontend is set, its pinned digest.
func resolveThrough(ctx context.Context, addr, builderRef, frontend, buildPlatform string) (*resolved, error) {
	c, err := client.New(ctx, addr)
	if err != nil {
		return nil, fmt.Errorf("--addr %s: %w", addr, err)
	}
	defer c.Close()
	out := &resolved{}
	_, err = c.Build(ctx, client.SolveOpt{}, "goscratch", func(ctx context.Context, gc gateway.Client) (*gateway.Result, error) {
		if err := gsllb.CheckDaemon(gc.BuildOpts().Caps); err != nil {
			return nil, fmt.Errorf("--addr %s: %w", addr, err)
		}
		out.caps = gc.BuildOpts().LLBCaps
		if buildPlatform != "" {
			p, err := spec.ParsePlatform(buildPlatform)
			if err != nil {
				return nil, usageErr("--build-platform: %v", err)
			}
			out.buildPlatform = p
		} else if w := gc.BuildOpts().Workers; len(w) > 0 && len(w[0].Platforms) > 0 {
			out.buildPlatform = w[0].Platforms[0]
		} else {
			out.buildPlatform = platforms.DefaultSpec()
		}
		b, err := inputs.ResolveBuilder(ctx, gc, builderRef, out.buildPlatform, "default")
		if err != nil {
			return nil, err
		}
		out.builder = b
		if frontend != "" {
			pinned, config, err := inputs.PinImage(ctx, gc, frontend, out.buildPlatform, true)
			if err != nil {
				return nil, fmt.Errorf("--frontend: %w", err)
			}
			tool, err := inputs.FrontendGoTool(config)
			if err != nil {
				return nil, fmt.Errorf("--frontend %s: %w", frontend, err)
			}
			out.goTool = inputs.PrebuiltGoTool(pinned, tool, out.buildPlatform)
		}
		return gateway.NewResult(), nil
	}, nil)
	if err != nil {
		return nil, err
	}
	return out, nil
}
