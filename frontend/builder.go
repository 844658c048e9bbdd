package frontend

import (
	"context"
	"fmt"

	"github.com/goscratch/goscratch/inputs"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// loadBuilder returns the builder image for the build platform and its
// configured environment. A named context with the image's name
// (`--build-context golang:1.26=...`) replaces it, as for a Dockerfile FROM.
func loadBuilder(ctx context.Context, bc *dockerui.Client, ref string, p ocispecs.Platform) (inputs.Builder, error) {
	st, img, err := namedImage(ctx, bc, ref, p, "the builder image")
	if err != nil {
		return inputs.Builder{}, err
	}
	if st != nil {
		return inputs.Builder{State: *st, Env: inputs.ImageEnv(img)}, nil
	}
	return inputs.ResolveBuilder(ctx, bc.GatewayClient(), ref, p, bc.ImageResolveMode.String())
}

// namedImage is the named context (`--build-context REF=...`) that
// replaces the image ref (what it is for the error) for platform p; nil
// when the request has none.
func namedImage(ctx context.Context, bc *dockerui.Client, ref string, p ocispecs.Platform, what string) (*llb.State, *dockerspec.DockerOCIImage, error) {
	nc, err := bc.NamedContext(ref, dockerui.ContextOpt{Platform: &p, ResolveMode: bc.ImageResolveMode.String()})
	if err != nil || nc == nil {
		return nil, nil, err
	}
	st, img, err := nc.Load(ctx)
	if err != nil {
		// %v, not %w: BuildKit would send the inner gRPC status and drop this message
		return nil, nil, fmt.Errorf("the --build-context %s that replaces %s: %v (check the context's image name or path)", ref, what, err)
	}
	return st, img, nil
}
