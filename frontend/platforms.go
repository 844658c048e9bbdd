package frontend

import (
	"github.com/containerd/platforms"
	"github.com/goscratch/goscratch/inputs"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/frontend/dockerui"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// choosePlatforms applies the platform rule: the request's --platform list
// wins; otherwise the spec's platforms; otherwise the build platform. Every
// platform is checked with the spec's rules so a bad --platform gets the same
// clear error as a bad spec entry.
func choosePlatforms(bc *dockerui.Client, sp *spec.Spec) error {
	if len(bc.TargetPlatforms) == 0 {
		for i, s := range sp.Platforms {
			p, err := spec.ParsePlatform(s)
			if err != nil {
				return inputs.SpecError(sp, "platforms["+itoa(i)+"]", err)
			}
			bc.TargetPlatforms = append(bc.TargetPlatforms, p)
		}
		if len(bc.TargetPlatforms) > 1 {
			bc.MultiPlatformRequested = true
		}
	}
	if len(bc.TargetPlatforms) == 0 {
		bc.TargetPlatforms = []ocispecs.Platform{buildPlatform0(bc)}
	}
	for _, p := range bc.TargetPlatforms {
		if err := spec.CheckPlatform(p); err != nil {
			return err
		}
	}
	return nil
}

func buildPlatform0(bc *dockerui.Client) ocispecs.Platform {
	if len(bc.BuildPlatforms) > 0 {
		return bc.BuildPlatforms[0]
	}
	return platforms.DefaultSpec()
}
