package inputs

import (
	"context"
	"fmt"

	"github.com/distribution/reference"
	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// FrontendGoTool is where the frontend image (the repository's
// Dockerfile) puts gotool, next to the frontend binary.
const FrontendGoTool = "/bin/gotool"

// PinImage returns ref pinned by digest, resolved through resolver for
// platform p; a ref that already has a digest is returned as it is.
func PinImage(ctx context.Context, resolver llb.ImageMetaResolver, ref string, p ocispecs.Platform) (string, error) {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", fmt.Errorf("image %q: %w", ref, err)
	}
	if _, ok := named.(reference.Digested); ok {
		return named.String(), nil
	}
	_, dgst, _, err := resolver.ResolveImageConfig(ctx, reference.TagNameOnly(named).String(), sourceresolver.Opt{
		LogName:  "resolve the frontend image for gotool",
		ImageOpt: &sourceresolver.ResolveImageOpt{Platform: &p},
	})
	if err != nil {
		return "", fmt.Errorf("image %s: %v", ref, err)
	}
	if dgst == "" {
		return "", fmt.Errorf("image %s: the registry gave no digest", ref)
	}
	pinned, err := reference.WithDigest(reference.TrimNamed(named), dgst)
	if err != nil {
		return "", err
	}
	return pinned.String(), nil
}

// PrebuiltGoTool is the gotool at path in the frontend image pinned (for
// the build platform p), as the steps mount it.
func PrebuiltGoTool(pinned, path string, p ocispecs.Platform) *gsllb.PrebuiltTool {
	img := llb.Image(pinned, llb.Platform(p), llb.WithCustomName("goscratch frontend image (prebuilt gotool)"))
	return &gsllb.PrebuiltTool{Image: img, Path: path}
}
