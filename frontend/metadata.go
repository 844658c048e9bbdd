package frontend

import (
	"fmt"
	"maps"
	"slices"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/exporter/containerimage/exptypes"
	"github.com/moby/buildkit/frontend/dockerui"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// addAnnotations puts the OCI annotations on every platform's manifest and,
// for a multi-platform result, on the index.
func addAnnotations(rb *dockerui.ResultBuilder, in *request, multi bool, platforms []ocispecs.Platform) error {
	for _, p := range platforms {
		opt := in.options
		opt.TargetPlatform = p
		a, err := gsllb.Annotations(in.target, opt)
		if err != nil {
			return err
		}
		for _, k := range slices.Sorted(maps.Keys(a)) {
			key := exptypes.AnnotationManifestKey(&p, k)
			if !multi {
				key = exptypes.AnnotationManifestKey(nil, k)
			}
			rb.AddMeta(key, []byte(a[k]))
		}
	}
	if !multi {
		return nil
	}
	a, err := gsllb.Annotations(in.target, in.options)
	if err != nil {
		return fmt.Errorf("index annotations: %w", err)
	}
	for _, k := range slices.Sorted(maps.Keys(a)) {
		rb.AddMeta(exptypes.AnnotationIndexKey(k), []byte(a[k]))
	}
	return nil
}
