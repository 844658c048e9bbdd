package inputs

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	gsllb "github.com/goscratch/goscratch/llb"
	"golang.org/x/mod/modfile"
)

// The module's layout in the build context: a vendor directory, a go.work
// workspace above or at the module, local replacements. The frontend reads
// the few files that decide it (probePaths) in one small transfer, and for a
// workspace the used modules' go.mod files in a second one.

// probePaths are the files read first: the module's go.mod, and for the
// module directory and each directory above it up to the context root, the
// go.work the go command would find there and a vendor/modules.txt.
func probePaths(module string) []string {
	paths := []string{path.Join(module, "go.mod"), path.Join(module, "vendor/modules.txt")}
	for d := module; ; d = path.Dir(d) {
		paths = append(paths, path.Join(d, "go.work"))
		if d != module {
			paths = append(paths, path.Join(d, "vendor/modules.txt"))
		}
		if d == "." {
			return paths
		}
	}
}

// findWork is the go.work that applies to module: the nearest one at or
// above it, as the go command looks, unless GOWORK=off.
func findWork(module string, files map[string][]byte, gowork string) (string, []byte) {
	if gowork == "off" {
		return "", nil
	}
	for d := module; ; d = path.Dir(d) {
		if data, ok := files[path.Join(d, "go.work")]; ok {
			return d, data
		}
		if d == "." {
			return "", nil
		}
	}
}

// readMore reads more context files; missing ones are left out.
type readMore func(paths []string) (map[string][]byte, error)

// moduleLayout works the layout out from the probed files. For a
// workspace it reads every used module's go.mod with more, and returns the
// go.work contents.
func moduleLayout(module string, files map[string][]byte, gowork string, more readMore) (gsllb.Layout, []byte, error) {
	gomodPath := path.Join(module, "go.mod")
	workDir, work := findWork(module, files, gowork)
	if work == nil {
		replaced, err := localReplacements(module, gomodPath, files[gomodPath])
		if err != nil {
			return gsllb.Layout{}, nil, err
		}
		_, vendored := files[path.Join(module, "vendor/modules.txt")]
		mods := append([]string{gomodPath, path.Join(module, "go.sum")}, replaced...)
		return gsllb.Layout{Vendor: vendored, ModFiles: sorted(mods)}, nil, nil
	}
	l, err := workspaceLayout(module, workDir, work, more)
	if err != nil {
		return gsllb.Layout{}, nil, err
	}
	_, l.Vendor = files[path.Join(workDir, "vendor/modules.txt")]
	return l, work, nil
}

func workspaceLayout(module, workDir string, work []byte, more readMore) (gsllb.Layout, error) {
	workPath := path.Join(workDir, "go.work")
	uses, wf, err := WorkspaceUses(workDir, work)
	if err != nil {
		return gsllb.Layout{}, err
	}
	mods := []string{workPath, path.Join(workDir, "go.work.sum")}
	var gomods []string
	inWork := false
	for _, dir := range uses {
		inWork = inWork || dir == module
		gomods = append(gomods, path.Join(dir, "go.mod"))
		mods = append(mods, path.Join(dir, "go.mod"), path.Join(dir, "go.sum"))
	}
	if !inWork {
		return gsllb.Layout{}, fmt.Errorf("%s applies to module %s but does not use it: add `use ./%s` to it, or set GOWORK: off in goenv",
			workPath, module, relTo(workDir, module))
	}
	read, err := more(gomods)
	if err != nil {
		return gsllb.Layout{}, err
	}
	for _, p := range gomods {
		data, ok := read[p]
		if !ok {
			return gsllb.Layout{}, fmt.Errorf("%s uses %s, which has no go.mod in the build context (check .dockerignore)", workPath, path.Dir(p))
		}
		replaced, err := localReplacements(path.Dir(p), p, data)
		if err != nil {
			return gsllb.Layout{}, err
		}
		mods = append(mods, replaced...)
	}
	for _, r := range wf.Replace {
		if r.New.Version != "" || !modfile.IsDirectoryPath(r.New.Path) {
			continue
		}
		dir, err := contextDir(workDir, r.New.Path)
		if err != nil {
			return gsllb.Layout{}, fmt.Errorf("%s: replace %s => %s: %w", workPath, r.Old.Path, r.New.Path, err)
		}
		mods = append(mods, path.Join(dir, "go.mod"))
	}
	return gsllb.Layout{Workspace: workDir, ModFiles: sorted(mods)}, nil
}

// WorkspaceUses parses the go.work in workDir (context-relative) and
// returns the directories of the modules it uses, context-relative and
// clean, in its order; an absolute directory or one outside the context is
// an error, as a build sees nothing else.
func WorkspaceUses(workDir string, work []byte) ([]string, *modfile.WorkFile, error) {
	workPath := path.Join(workDir, "go.work")
	wf, err := modfile.ParseWork(workPath, work, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read %s: %w", workPath, err)
	}
	var uses []string
	for _, u := range wf.Use {
		dir, err := contextDir(workDir, u.Path)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: use %s: %w", workPath, u.Path, err)
		}
		if !slices.Contains(uses, dir) {
			uses = append(uses, dir)
		}
	}
	return uses, wf, nil
}

// localReplacements are the go.mod files of the directories go.mod's
// replace directives point at: go mod download needs them. The lax parser
// keeps the syntax of directives it does not interpret, so this also works
// for go.mod files newer than x/mod.
func localReplacements(dir, name string, gomod []byte) ([]string, error) {
	f, err := modfile.ParseLax(name, gomod, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	var out []string
	for _, line := range replaceLines(f.Syntax) {
		arrow := slices.Index(line.Token, "=>")
		if arrow < 0 || len(line.Token) != arrow+2 {
			continue // malformed, or a module version: nothing local
		}
		target := unquote(line.Token[arrow+1])
		if !modfile.IsDirectoryPath(target) {
			continue
		}
		d, err := contextDir(dir, target)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: replace %s: %w", name, line.Start.Line, target, err)
		}
		out = append(out, path.Join(d, "go.mod"))
	}
	return out, nil
}

// replaceLines are the replace directives of a go.mod, single or in blocks,
// with the verb dropped from single lines so both read `old [v] => new [v]`.
func replaceLines(f *modfile.FileSyntax) []*modfile.Line {
	var out []*modfile.Line
	for _, stmt := range f.Stmt {
		switch s := stmt.(type) {
		case *modfile.Line:
			if len(s.Token) > 0 && s.Token[0] == "replace" {
				out = append(out, &modfile.Line{Start: s.Start, Token: s.Token[1:]})
			}
		case *modfile.LineBlock:
			if len(s.Token) == 1 && s.Token[0] == "replace" {
				out = append(out, s.Line...)
			}
		}
	}
	return out
}

func unquote(tok string) string {
	if strings.HasPrefix(tok, `"`) {
		if s, err := strconv.Unquote(tok); err == nil {
			return s
		}
	}
	return tok
}

// contextDir resolves a directory written relative to base (a go.work's or
// go.mod's directory) to a clean context-relative path, refusing absolute
// paths and paths that leave the context.
func contextDir(base, dir string) (string, error) {
	dir = strings.ReplaceAll(dir, `\`, "/")
	if path.IsAbs(dir) {
		return "", fmt.Errorf("%s is absolute; only directories in the build context can be used", dir)
	}
	p := path.Join(base, dir)
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", fmt.Errorf("%s is outside the build context; build from a directory that contains it", dir)
	}
	return p, nil
}

func relTo(base, p string) string {
	if base == "." {
		return p
	}
	return strings.TrimPrefix(p, base+"/")
}

func sorted(paths []string) []string {
	out := slices.Clone(paths)
	slices.Sort(out)
	return slices.Compact(out)
}
