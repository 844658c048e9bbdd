package inputs

import (
	"context"
	"encoding/json"
	"fmt"
	"path"

	"github.com/distribution/reference"
	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/llb/stepname"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// GoToolName is gotool's file name: the frontend image has it next to the
// frontend binary (the repository's Dockerfile in /bin, goscratch.yaml in
// /usr/local/bin).
const GoToolName = "gotool"

// PinImage returns ref pinned by digest, resolved through resolver for
// platform p, and with withConfig its image config (a ref that already has
// a digest is not resolved without it).
func PinImage(ctx context.Context, resolver llb.ImageMetaResolver, ref string, p ocispecs.Platform, withConfig bool) (string, []byte, error) {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return "", nil, fmt.Errorf("image %q: %w", ref, err)
	}
	if _, ok := named.(reference.Digested); ok && !withConfig {
		return named.String(), nil, nil
	}
	_, dgst, config, err := resolver.ResolveImageConfig(ctx, named.String(), sourceresolver.Opt{
		LogName:  stepname.ResolveFrontendImage,
		ImageOpt: &sourceresolver.ResolveImageOpt{Platform: &p},
	})
	if err != nil {
		return "", nil, fmt.Errorf("image %s: %v", ref, err)
	}
	if _, ok := named.(reference.Digested); ok {
		return named.String(), config, nil
	}
	if dgst == "" {
		return "", nil, fmt.Errorf("image %s: the registry gave no digest", ref)
	}
	pinned, err := reference.WithDigest(reference.TrimNamed(named), dgst)
	if err != nil {
		return "", nil, err
	}
	return pinned.String(), config, nil
}

// FrontendGoTool is where gotool is in a frontend image with this config:
// next to its entrypoint.
func FrontendGoTool(config []byte) (string, error) {
	var img dockerspec.DockerOCIImage
	if err := json.Unmarshal(config, &img); err != nil {
		return "", fmt.Errorf("image config: %w", err)
	}
	if len(img.Config.Entrypoint) == 0 || !path.IsAbs(img.Config.Entrypoint[0]) {
		return "", fmt.Errorf("the image has no absolute entrypoint (%q): is it a goscratch frontend image?", img.Config.Entrypoint)
	}
	return path.Join(path.Dir(img.Config.Entrypoint[0]), GoToolName), nil
}

// PrebuiltGoTool is the gotool at path in the frontend image pinned (for
// the build platform p), as the steps mount it.
func PrebuiltGoTool(pinned, path string, p ocispecs.Platform) *gsllb.PrebuiltTool {
	img := llb.Image(pinned, llb.Platform(p), llb.WithCustomName(stepname.FrontendImage))
	return &gsllb.PrebuiltTool{Image: img, Path: path}
}
