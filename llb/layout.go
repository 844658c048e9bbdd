package llb

import (
	"path"
	"slices"
)

// Layout is what the frontend found in the build context about the module:
// a vendor directory, a go.work workspace, and the files `go mod download`
// needs. The zero Layout is a lone module with go.mod and go.sum.
type Layout struct {
	// Vendor means the module (or workspace) has vendor/modules.txt: every
	// Go step runs with -mod=vendor and there is no download step.
	Vendor bool
	// Workspace is the context-relative directory of the go.work that
	// applies to the module, "" when none.
	Workspace string
	// ModFiles are the context-relative files the download step sees, at
	// the same paths: go.mod and go.sum of the module, of every workspace
	// module and of every local replacement, go.work and go.work.sum. Empty
	// means <module>/go.mod and <module>/go.sum.
	ModFiles []string
	// Profiles are the main packages (relative to the module, as in the
	// spec) whose directory has a ProfileName file, which go build uses for
	// them (see pgo.go). Only the dependency layer needs to know.
	Profiles []string
}

// modFiles are the files copied into the download step, sorted.
func (l Layout) modFiles(module string) []string {
	files := l.ModFiles
	if len(files) == 0 {
		files = []string{path.Join(module, "go.mod"), path.Join(module, "go.sum")}
	}
	out := slices.Clone(files)
	slices.Sort(out)
	return slices.Compact(out)
}
