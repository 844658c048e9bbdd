package inputs

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// DirRead reads the files of a build context directory on disk, leaving
// out what the .dockerignore patterns exclude, as BuildKit's transfer of
// the context does: the CLI's Read.
func DirRead(dir string, excludes []string) (Read, error) {
	pm, err := patternmatcher.New(excludes)
	if err != nil {
		return nil, err
	}
	return func(_ context.Context, paths []string, _ string) (map[string][]byte, error) {
		out := map[string][]byte{}
		for _, p := range paths {
			p = path.Clean(p)
			if excluded, err := pm.MatchesOrParentMatches(p); err != nil {
				return nil, err
			} else if excluded {
				continue
			}
			name := filepath.Join(dir, filepath.FromSlash(p))
			if PresenceOnly(p) {
				if st, err := os.Stat(name); err == nil && !st.IsDir() {
					out[p] = nil
				}
				continue
			}
			dt, err := os.ReadFile(name)
			if err != nil {
				if st, serr := os.Stat(name); errors.Is(serr, fs.ErrNotExist) || (serr == nil && st.IsDir()) {
					continue // missing (a directory of that name too), as from the gateway
				}
				return nil, err
			}
			out[p] = dt
		}
		return out, nil
	}, nil
}

// Excludes are the .dockerignore patterns BuildKit applies to the main
// context: <spec file>.dockerignore next to the spec file if there is
// one, else .dockerignore at the context's root.
func Excludes(contextDir, specFile string) ([]string, error) {
	for _, name := range []string{specFile + ".dockerignore", filepath.Join(contextDir, ".dockerignore")} {
		f, err := os.Open(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return ignorefile.ReadAll(f)
	}
	return nil, nil
}
