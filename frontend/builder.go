package frontend

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerui"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// loadBuilder returns the builder image for the build platform and its
// configured environment. A named context with the image's name
// (`--build-context golang:1.26=...`) replaces it, as for a Dockerfile FROM.
func loadBuilder(ctx context.Context, bc *dockerui.Client, ref string, p ocispecs.Platform) (llb.State, []string, error) {
	nc, err := bc.NamedContext(ref, dockerui.ContextOpt{Platform: &p, ResolveMode: bc.ImageResolveMode.String()})
	if err != nil {
		return llb.State{}, nil, err
	}
	if nc != nil {
		st, img, err := nc.Load(ctx)
		if err != nil {
			// %v, not %w: BuildKit would send the inner gRPC status and drop this message
			return llb.State{}, nil, fmt.Errorf("the --build-context %s that replaces the builder image: %v (check the context's image name or path)", ref, err)
		}
		if st != nil {
			return *st, imageEnv(img), nil
		}
	}
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return llb.State{}, nil, fmt.Errorf("builder image %q: %w", ref, err)
	}
	name := reference.TagNameOnly(named).String()
	resolved, dgst, dt, err := bc.GatewayClient().ResolveImageConfig(ctx, name, sourceresolver.Opt{
		LogName:  "load builder image " + ref,
		ImageOpt: &sourceresolver.ResolveImageOpt{Platform: &p, ResolveMode: bc.ImageResolveMode.String()},
	})
	if err != nil {
		// %v, not %w: BuildKit would send the inner gRPC status and drop this message
		return llb.State{}, nil, fmt.Errorf("builder image %s: %v (push it to the registry, choose another with `builder:` or `go:`, or pass one with --build-context %s=docker-image://IMAGE)", ref, err, ref)
	}
	var img dockerspec.DockerOCIImage
	if err := json.Unmarshal(dt, &img); err != nil {
		return llb.State{}, nil, fmt.Errorf("builder image %s: bad config: %w", ref, err)
	}
	if dgst != "" {
		if canon, err := reference.WithDigest(reference.TrimNamed(named), dgst); err == nil {
			resolved = canon.String()
		}
	}
	st := llb.Image(resolved, llb.Platform(p), llb.WithCustomName("builder "+ref))
	return st, imageEnv(&img), nil
}

func imageEnv(img *dockerspec.DockerOCIImage) []string {
	if img == nil {
		return nil
	}
	return img.Config.Env
}
