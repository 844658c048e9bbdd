package frontend

import (
	"context"
	"fmt"

	"github.com/goscratch/goscratch/inputs"
	"github.com/moby/buildkit/frontend/dockerui"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// loadBuilder returns the builder image for the build platform and its
// configured environment. A named context with the image's name
// (`--build-context golang:1.26=...`) replaces it, as for a Dockerfile FROM.
func loadBuilder(ctx context.Context, bc *dockerui.Client, ref string, p ocispecs.Platform) (inputs.Builder, error) {
	nc, err := bc.NamedContext(ref, dockerui.ContextOpt{Platform: &p, ResolveMode: bc.ImageResolveMode.String()})
	if err != nil {
		return inputs.Builder{}, err
	}
	if nc != nil {
		st, img, err := nc.Load(ctx)
		if err != nil {
			// %v, not %w: BuildKit would send the inner gRPC status and drop this message
			return inputs.Builder{}, fmt.Errorf("the --build-context %s that replaces the builder image: %v (check the context's image name or path)", ref, err)
		}
		if st != nil {
			return inputs.Builder{State: *st, Env: inputs.ImageEnv(img)}, nil
		}
	}
	return inputs.ResolveBuilder(ctx, bc.GatewayClient(), ref, p, bc.ImageResolveMode.String())
}
