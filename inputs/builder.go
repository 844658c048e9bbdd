package inputs

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/distribution/reference"
	"github.com/goscratch/goscratch/llb/stepname"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Builder is the Go builder image for the build platform: its root file
// system and its configured environment (PATH, GOPATH, GOTOOLCHAIN...).
type Builder struct {
	State llb.State
	Env   []string
}

// ResolveBuilder pins the builder image ref by digest and reads its
// environment through resolver: the gateway's in the frontend, a BuildKit
// session's in the CLI, so that both resolve through the daemon that runs
// the build (its registry mirrors and credentials) and give the same graph.
func ResolveBuilder(ctx context.Context, resolver llb.ImageMetaResolver, ref string, p ocispecs.Platform, resolveMode string) (Builder, error) {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return Builder{}, fmt.Errorf("builder image %q: %w", ref, err)
	}
	name := reference.TagNameOnly(named).String()
	resolved, dgst, dt, err := resolver.ResolveImageConfig(ctx, name, sourceresolver.Opt{
		LogName:  stepname.ResolveBuilder(ref),
		ImageOpt: &sourceresolver.ResolveImageOpt{Platform: &p, ResolveMode: resolveMode},
	})
	if err != nil {
		// %v, not %w: BuildKit would send the inner gRPC status and drop this message
		return Builder{}, fmt.Errorf("builder image %s: %v (push it to the registry, choose another with `builder:` or `go:`, or pass one with --build-context %s=docker-image://IMAGE)", ref, err, ref)
	}
	var img dockerspec.DockerOCIImage
	if err := json.Unmarshal(dt, &img); err != nil {
		return Builder{}, fmt.Errorf("builder image %s: bad config: %w", ref, err)
	}
	if dgst != "" {
		if canon, err := reference.WithDigest(reference.TrimNamed(named), dgst); err == nil {
			resolved = canon.String()
		}
	}
	return Builder{State: BuilderState(resolved, ref, p), Env: ImageEnv(&img)}, nil
}

// BuilderState is the builder image's LLB source, named after the ref the
// spec chose.
func BuilderState(resolved, ref string, p ocispecs.Platform) llb.State {
	return llb.Image(resolved, llb.Platform(p), llb.WithCustomName(stepname.Builder(ref)))
}

// ImageEnv is an image's configured environment.
func ImageEnv(img *dockerspec.DockerOCIImage) []string {
	if img == nil {
		return nil
	}
	return img.Config.Env
}

// OfficialImageEnv is the environment of the official golang images
// (docker.io/library/golang), for a caller that cannot read the image's
// config (the CLI with no daemon to ask): PATH, GOLANG_VERSION from the
// tag, GOTOOLCHAIN=local, GOPATH.
func OfficialImageEnv(ref string) []string {
	env := []string{"PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
	if named, err := reference.ParseNormalizedNamed(ref); err == nil && reference.Path(named) == "library/golang" {
		if tagged, ok := named.(reference.Tagged); ok {
			version, _, _ := strings.Cut(tagged.Tag(), "-")
			env = append(env, "GOLANG_VERSION="+version)
		}
	}
	return append(env, "GOTOOLCHAIN=local", "GOPATH=/go")
}
