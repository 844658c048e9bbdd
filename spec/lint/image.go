package lint

import (
	"path"
	"strings"

	"github.com/goscratch/goscratch/spec"
)

// Rules about the image: what its entrypoint runs.

var entrypointNotInImage = &Rule{
	ID:          "EntrypointNotInImage",
	Description: "the entrypoint names a file the scratch image does not have",
	check: func(r *run) {
		r.eachResolved(func(b block, res *spec.Resolved) {
			if len(res.Entrypoint) == 0 {
				return
			}
			at := b
			if b.t.Entrypoint == nil {
				at = block{t: &r.Spec.Target}
			}
			if at.t.Entrypoint == nil || inImage(res, res.Entrypoint[0]) {
				return // the default entrypoint is always the first binary
			}
			var bins []string
			for _, bin := range res.Binaries {
				bins = append(bins, path.Join(spec.BinDir, bin.Name))
			}
			r.report(at.at("entrypoint", 0), "%s is not in the image, which holds only %s and the files: entries; a FROM scratch image has no shell or other programs", res.Entrypoint[0], strings.Join(bins, ", "))
		})
	},
}

// inImage reports whether the image of res has the program prog: a binary,
// or a file copied with files:. A name without / is looked up in PATH.
func inImage(res *spec.Resolved, prog string) bool {
	if !strings.Contains(prog, "/") {
		for _, b := range res.Binaries {
			if b.Name == prog {
				return true
			}
		}
		prog = path.Join(spec.BinDir, prog)
	} else if !path.IsAbs(prog) {
		prog = path.Join(res.Workdir, prog)
	}
	prog = path.Clean(prog)
	for _, b := range res.Binaries {
		if prog == path.Join(spec.BinDir, b.Name) {
			return true
		}
	}
	for _, f := range res.Files {
		dst := path.Clean(f.Dst)
		if prog == dst || strings.HasPrefix(prog, dst+"/") || (strings.HasSuffix(f.Dst, "/") && prog == path.Join(dst, path.Base(f.Src))) {
			return true
		}
	}
	return false
}
