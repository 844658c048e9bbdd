package inputs

import (
	"cmp"
	"maps"

	"github.com/goscratch/goscratch/spec"
)

// Build args and frontend options that feed the templated fields.
const (
	ArgVersion     = "VERSION"
	ArgVCSRevision = "VCS_REVISION"
	ArgVCSSource   = "VCS_SOURCE"
	OptVCSRevision = "vcs:revision" // sent by buildx for a git checkout
	OptVCSSource   = "vcs:source"
)

// templateData is the request's part of the template data: version and VCS
// info (build args win over what buildx detected) and the build args, with
// the source's credentials removed.
func templateData(buildArgs, opts map[string]string) spec.TemplateData {
	args := maps.Clone(buildArgs)
	if src, ok := args[ArgVCSSource]; ok {
		args[ArgVCSSource] = spec.RedactSource(src)
	}
	return spec.TemplateData{
		Version:  buildArgs[ArgVersion],
		Revision: cmp.Or(buildArgs[ArgVCSRevision], opts[OptVCSRevision]),
		Source:   spec.RedactSource(cmp.Or(buildArgs[ArgVCSSource], opts[OptVCSSource])),
		Args:     args,
	}
}
