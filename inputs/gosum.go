package inputs

import (
	"bufio"
	"bytes"
	"fmt"
	"path"
	"strings"

	"golang.org/x/mod/modfile"
)

// checkGoSum fails early, naming the modules, when go.mod requires modules
// that go.sum has no entry for (or there is no go.sum at all). The download
// step cannot add them — go.sum is read-only there so that a build only
// fetches what the repository vouches for — and go's own message ("updating
// go.sum: read-only file system") would not say what to do.
func checkGoSum(moduleDir string, gomod, gosum []byte, hasGoSum bool) error {
	f, err := modfile.Parse(path.Join(moduleDir, "go.mod"), gomod, nil)
	if err != nil {
		return nil // not for this check: BuilderImage reports a go.mod that does not parse, and go one it does not know
	}
	replaced := map[string]bool{}
	for _, r := range f.Replace {
		replaced[r.Old.Path] = true
	}
	have := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(gosum))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if fields := strings.Fields(sc.Text()); len(fields) == 3 {
			have[fields[0]+" "+strings.TrimSuffix(fields[1], "/go.mod")] = true
		}
	}
	var missing []string
	for _, r := range f.Require {
		if !replaced[r.Mod.Path] && !have[r.Mod.Path+" "+r.Mod.Version] {
			missing = append(missing, r.Mod.Path+"@"+r.Mod.Version)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	what := strings.Join(missing, ", ")
	if len(missing) > 3 {
		what = strings.Join(missing[:3], ", ") + fmt.Sprintf(" and %d more", len(missing)-3)
	}
	sum := path.Join(moduleDir, "go.sum")
	if !hasGoSum {
		return fmt.Errorf("no %s in the build context, and go.mod requires %s: run `go mod tidy` in %s and commit go.sum (or check .dockerignore)", sum, what, moduleDir)
	}
	return fmt.Errorf("%s has no entry for %s, which go.mod requires: run `go mod tidy` in %s and commit go.sum", sum, what, moduleDir)
}
