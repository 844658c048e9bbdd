package cli

import (
	"fmt"
	"github.com/goscratch/goscratch/inputs"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/modfile"
)

// What init finds: the build context (the directory of the go.work that
// applies to --dir, else the module's own), the modules a build there sees
// and their main packages.

// initProject is a lone module, or a go.work workspace and its used modules.
type initProject struct {
	root    string        // the build context directory, as the user would name it (--dir joined with ..)
	name    string        // root's base name: the repository's, when go.mod or go.work is at its top
	work    bool          // root holds the go.work that applies to --dir
	workOff bool          // GOWORK=off while root holds a go.work: the build must ignore it too
	here    string        // --dir relative to root ("." or "services/api", slash-separated)
	hereMod *initModule   // the module holding --dir; nil in a workspace directory without go.mod
	modules []*initModule // the lone module, or go.work's used modules in its order
}

// initModule is one module of the build context.
type initModule struct {
	dir   string // relative to the context root, slash-separated, "." for the root
	path  string // its module path
	mains []string
}

// initMain is a main package found in a module.
type initMain struct {
	dir string // relative to the context root, slash-separated: "." or "api/cmd/server"
	mod *initModule
}

// findProject reads --dir the way the go command would: the nearest go.work
// at or above it applies (unless GOWORK=off), and then every module it uses
// is part of the build; else the go.mod in dir is a lone module.
func findProject(dir string) (*initProject, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	gowork := os.Getenv("GOWORK")
	workDir := ""
	if gowork != "off" {
		workDir = nearestWork(abs)
	}
	if workDir == "" {
		return loneModule(dir, abs, gowork == "off")
	}
	return workspace(dir, abs, workDir)
}

// nearestWork is the directory of the nearest go.work at or above dir, "" when none.
func nearestWork(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "go.work")); err == nil && !st.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func loneModule(dir, abs string, workOff bool) (*initProject, error) {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("no Go module here: %w (run it where go.mod is, or pass --dir)", err)
	}
	modPath, err := readModulePath("go.mod", gomod)
	if err != nil {
		return nil, err
	}
	mains, err := mainPackages(dir)
	if err != nil {
		return nil, err
	}
	m := &initModule{dir: ".", path: modPath, mains: mains}
	_, werr := os.Stat(filepath.Join(dir, "go.work"))
	return &initProject{root: dir, name: filepath.Base(abs), workOff: workOff && werr == nil,
		here: ".", hereMod: m, modules: []*initModule{m}}, nil
}

func readModulePath(name string, gomod []byte) (string, error) {
	f, err := modfile.ParseLax(name, gomod, nil)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %v", name, err)
	}
	if f.Module == nil || f.Module.Mod.Path == "" {
		return "", fmt.Errorf("cannot read %s: no module line", name)
	}
	return f.Module.Mod.Path, nil
}

// workspace reads the go.work in workDir (an absolute directory at or above
// abs, the absolute --dir) and every module it uses. The build context is
// workDir: the frontend refuses modules outside it, and so does init.
func workspace(dir, abs, workDir string) (*initProject, error) {
	rel, err := filepath.Rel(abs, workDir)
	if err != nil {
		return nil, err
	}
	root := filepath.Join(dir, rel)
	here, err := filepath.Rel(workDir, abs)
	if err != nil {
		return nil, err
	}
	here = filepath.ToSlash(here)
	workName := filepath.Join(root, "go.work")
	data, err := os.ReadFile(workName)
	if err != nil {
		return nil, err
	}
	// the frontend's reading of go.work: the used modules, inside the context
	uses, _, err := inputs.WorkspaceUses(".", data)
	if err != nil {
		return nil, fmt.Errorf("%v (the build context is the directory of go.work, %s)", err, root)
	}
	p := &initProject{root: root, name: filepath.Base(workDir), work: true, here: here}
	for _, d := range uses {
		modDir := filepath.Join(root, filepath.FromSlash(d))
		gomod, err := os.ReadFile(filepath.Join(modDir, "go.mod"))
		if err != nil {
			return nil, fmt.Errorf("%s uses ./%s, which has no go.mod: %w", workName, d, err)
		}
		modPath, err := readModulePath(filepath.Join(modDir, "go.mod"), gomod)
		if err != nil {
			return nil, err
		}
		mains, err := mainPackages(modDir)
		if err != nil {
			return nil, err
		}
		p.modules = append(p.modules, &initModule{dir: d, path: modPath, mains: mains})
	}
	// --dir's own module, as the go command finds it: the nearest go.mod at
	// or above it inside the workspace, which go.work must use.
	for d := here; ; d = path.Dir(d) {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(d), "go.mod")); err == nil {
			i := slices.IndexFunc(p.modules, func(m *initModule) bool { return m.dir == d })
			if i < 0 {
				return nil, fmt.Errorf("%s applies to the module in %s but does not use it: add `use ./%s` to it, or run init with GOWORK=off",
					workName, filepath.Join(root, filepath.FromSlash(d)), d)
			}
			p.hereMod = p.modules[i]
			break
		}
		if d == "." {
			break
		}
	}
	return p, nil
}

// mains are every main package of the project, in path order.
func (p *initProject) mains() []initMain {
	var out []initMain
	for _, m := range p.modules {
		for _, dir := range m.mains {
			out = append(out, initMain{dir: path.Join(m.dir, dir), mod: m})
		}
	}
	slices.SortFunc(out, func(a, b initMain) int { return strings.Compare(a.dir, b.dir) })
	return out
}

// mainPackages are the directories under root (module-relative, "." or
// "./cmd/x", sorted) whose non-test Go files for linux say package main.
func mainPackages(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if p != root {
			if name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
		}
		isMain, err := isMainPackage(p)
		if err != nil || !isMain {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); rel != "." {
			rel = "./" + rel
		}
		out = append(out, rel)
		return nil
	})
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(path.Clean(a), path.Clean(b)) })
	return out, err
}

// isMainPackage reports whether the Go files in dir that build for linux
// (test files and files excluded by build constraints or file names left
// out) are package main.
func isMainPackage(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || !forLinux(name) {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			continue // not Go we can read; go build will say more
		}
		if excluded(f.Comments, f.Package) {
			continue
		}
		return f.Name.Name == "main", nil
	}
	return false, nil
}

// forLinux is false for files named for another OS (x_windows.go).
func forLinux(name string) bool {
	base := strings.TrimSuffix(name, ".go")
	for _, goos := range []string{"windows", "darwin", "freebsd", "netbsd", "openbsd", "plan9", "solaris", "js", "wasip1", "aix", "android", "ios", "illumos", "dragonfly"} {
		if strings.HasSuffix(base, "_"+goos) || strings.Contains(base, "_"+goos+"_") {
			return false
		}
	}
	return true
}

// excluded reports whether a //go:build line before the package clause
// rules the file out of a plain linux build (e.g. //go:build ignore).
func excluded(comments []*ast.CommentGroup, pkg token.Pos) bool {
	for _, g := range comments {
		if g.Pos() >= pkg {
			break
		}
		for _, c := range g.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				return true
			}
			return !expr.Eval(func(tag string) bool {
				return tag == "linux" || tag == "unix" || tag == "gc" || strings.HasPrefix(tag, "go1.")
			})
		}
	}
	return false
}
