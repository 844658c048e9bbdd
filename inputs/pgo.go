package inputs

import (
	"context"
	"path"
	"slices"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
)

// profiles returns the main packages of r whose directory has a PGO
// profile (llb.ProfileFile), in one read. Only the dependency layer needs
// them (go build finds a profile by itself), so a build without one reads
// nothing: one made with cache mounts, or of a vendored module.
func profiles(ctx context.Context, read Read, r *spec.Resolved, layout gsllb.Layout, cache gsllb.CacheMode) ([]string, error) {
	if cache != gsllb.CacheLayers || layout.Vendor {
		return nil, nil
	}
	var mains, paths []string
	for _, b := range r.Binaries {
		mains = append(mains, b.Main)
		paths = append(paths, gsllb.ProfileFile(r.Module, b.Main))
	}
	found, err := read(ctx, paths, "find PGO profiles")
	if err != nil {
		return nil, err
	}
	var out []string
	for i, p := range paths {
		if _, ok := found[p]; ok && !slices.Contains(out, mains[i]) {
			out = append(out, mains[i])
		}
	}
	return out, nil
}

// PresenceOnly says whether only the presence of the context file p counts,
// not its content, so a Read need not transfer it: vendor/modules.txt and
// a PGO profile, which may be megabytes.
func PresenceOnly(p string) bool {
	switch path.Base(p) {
	case "modules.txt", gsllb.ProfileName:
		return true
	}
	return false
}
