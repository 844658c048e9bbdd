package frontend

import (
	"fmt"
	"maps"
	"slices"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/exporter/containerimage/exptypes"
	"github.com/moby/buildkit/frontend/dockerui"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Build args and options that feed the templated fields.
const (
	argVersion     = "VERSION"
	argVCSRevision = "VCS_REVISION"
	argVCSSource   = "VCS_SOURCE"
	optVCSRevision = "vcs:revision" // sent by buildx for a git checkout
	optVCSSource   = "vcs:source"
)

// templateData is the request's part of the template data: version and VCS
// info (build args win over what buildx detected) and the build args.
func templateData(bc *dockerui.Client) spec.TemplateData {
	opts := bc.BuildOpts().Opts
	first := func(vals ...string) string {
		for _, v := range vals {
			if v != "" {
				return v
			}
		}
		return ""
	}
	return spec.TemplateData{
		Version:  bc.BuildArgs[argVersion],
		Revision: first(bc.BuildArgs[argVCSRevision], opts[optVCSRevision]),
		Source:   spec.RedactSource(first(bc.BuildArgs[argVCSSource], opts[optVCSSource])),
		Args:     templateArgs(bc.BuildArgs),
	}
}

// templateArgs are the build args for {{index .Args "NAME"}}, VCS_SOURCE
// redacted as {{.Source}} is.
func templateArgs(buildArgs map[string]string) map[string]string {
	args := maps.Clone(buildArgs)
	if src, ok := args[argVCSSource]; ok {
		args[argVCSSource] = spec.RedactSource(src)
	}
	return args
}

// addAnnotations puts the OCI annotations on every platform's manifest and,
// for a multi-platform result, on the index.
func addAnnotations(rb *dockerui.ResultBuilder, in *inputs, multi bool, platforms []ocispecs.Platform) error {
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
