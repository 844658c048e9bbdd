package cli

import (
	"errors"
	"flag"
	"fmt"
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

	"github.com/goscratch/goscratch/spec"
	"golang.org/x/mod/modfile"
)

var _ = register(&command{
	name:    "init",
	summary: "Write a starter goscratch.yaml for the Go module in the current directory.",
	help: `
Reads go.mod in the current directory (or --dir), finds the module's main
packages by reading package clauses (no go command needed; vendor, testdata,
hidden and _ directories and nested modules are skipped) and writes a spec
that builds them for linux/amd64 and linux/arm64, with the # syntax line and
the yaml-language-server schema modeline. It refuses to overwrite an
existing file unless --force.`,
	flags: func(fs *flag.FlagSet) func(*ctx, []string) error {
		dir := fs.String("dir", ".", "module `DIR` (holds go.mod)")
		out := fs.String("o", "goscratch.yaml", "spec `FILE` to write, relative to --dir; - for stdout")
		force := fs.Bool("force", false, "overwrite an existing spec")
		return func(c *ctx, args []string) error {
			if len(args) > 0 {
				return usageErr("init takes no arguments; use --dir")
			}
			return c.init(*dir, *out, *force)
		}
	},
})

// syntaxImage is the frontend image a new spec selects.
const syntaxImage = "ghcr.io/goscratch/goscratch:v1"

func (c *ctx) init(dir, out string, force bool) error {
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return fmt.Errorf("no Go module here: %w (run it where go.mod is, or pass --dir)", err)
	}
	f, err := modfile.ParseLax("go.mod", gomod, nil)
	if err != nil || f.Module == nil {
		return fmt.Errorf("cannot read go.mod: %v", err)
	}
	mains, err := mainPackages(dir)
	if err != nil {
		return err
	}
	if len(mains) == 0 {
		return fmt.Errorf("module %s has no main package to build", f.Module.Mod.Path)
	}
	text := starterSpec(mains)
	if _, err := spec.Parse(out, []byte(text)); err != nil {
		return fmt.Errorf("internal error: the starter spec is invalid: %w", err)
	}
	if out == "-" {
		_, err := fmt.Fprint(c.stdout, text)
		return err
	}
	target := filepath.Join(dir, out)
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	w, err := os.OpenFile(target, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists; use --force to overwrite it", target)
	}
	if err != nil {
		return err
	}
	if _, err := w.WriteString(text); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "wrote %s: %s\nbuild it: docker buildx build -f %s --platform linux/amd64,linux/arm64 -t IMAGE .\n",
		target, strings.Join(mains, ", "), target)
	return nil
}

// starterSpec builds mains (module-relative main packages) for two platforms.
func starterSpec(mains []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# syntax=%s\n", syntaxImage)
	fmt.Fprintf(&b, "# yaml-language-server: $schema=%s\n", schemaURL)
	if len(mains) == 1 {
		fmt.Fprintf(&b, "main: %s\n", mains[0])
	} else {
		b.WriteString("binaries:\n")
		for _, m := range mains {
			fmt.Fprintf(&b, "  - main: %s\n", m)
		}
	}
	b.WriteString("platforms: [linux/amd64, linux/arm64]\n")
	return b.String()
}

// schemaURL is the published schema (spec/internal/schemagen SchemaID).
const schemaURL = "https://raw.githubusercontent.com/goscratch/goscratch/main/spec/schema.json"

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
