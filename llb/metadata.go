package llb

import (
	"fmt"
	"maps"
	"time"

	"github.com/goscratch/goscratch/spec"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// templateData completes the request's template data for one platform.
func templateData(r *spec.Resolved, opt Options) spec.TemplateData {
	d := opt.Template
	epoch := opt.epoch()
	d.Date = epoch.Format(time.RFC3339)
	d.Epoch = epoch.Unix()
	d.Target = r.Target
	if len(r.Binaries) > 0 {
		d.Name = r.Binaries[0].Name
	}
	if d.Args == nil {
		d.Args = map[string]string{}
	}
	if opt.TargetPlatform.OS != "" {
		p := opt.TargetPlatform
		d.OS, d.Arch, d.Variant, d.Platform = p.OS, p.Architecture, p.Variant, formatPlatform(p)
	}
	return d
}

// ociMetadata is the standard org.opencontainers.image.* set goscratch fills
// in, as labels and annotations: created from the epoch, title from the
// first binary, version/revision/source when the request gave them.
func ociMetadata(d spec.TemplateData) map[string]string {
	m := map[string]string{
		ocispecs.AnnotationCreated: d.Date,
		ocispecs.AnnotationTitle:   d.Name,
	}
	for k, v := range map[string]string{
		ocispecs.AnnotationVersion:  d.Version,
		ocispecs.AnnotationRevision: d.Revision,
		ocispecs.AnnotationSource:   d.Source,
	} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

// renderAll renders the templated values of m over base, which it does not change.
func renderAll(field string, base, m map[string]string, d spec.TemplateData) (map[string]string, error) {
	out := maps.Clone(base)
	for k, v := range m {
		s, err := spec.Render(v, d)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", field, k, err)
		}
		out[k] = s
	}
	return out, nil
}

// Annotations are the OCI annotations of the manifest for opt.TargetPlatform,
// or of the index when opt.TargetPlatform is zero: the standard set, then the
// spec's (templated) annotations over it.
func Annotations(r *spec.Resolved, opt Options) (map[string]string, error) {
	d := templateData(r, opt)
	return renderAll("annotations", ociMetadata(d), r.Annotations, d)
}

// labels are the image config labels: the standard set, the spec's
// (templated) labels, then the request's --label values.
func labels(r *spec.Resolved, d spec.TemplateData, opt Options) (map[string]string, error) {
	l, err := renderAll("labels", ociMetadata(d), r.Labels, d)
	if err != nil {
		return nil, err
	}
	maps.Copy(l, opt.Labels)
	return l, nil
}

// ldflags renders a binary's ldflags for this platform.
func ldflags(b spec.ResolvedBinary, d spec.TemplateData) (string, error) {
	d.Name = b.Name
	s, err := spec.Render(b.Ldflags, d)
	if err != nil {
		return "", fmt.Errorf("ldflags of %s: %w", b.Name, err)
	}
	return s, nil
}
