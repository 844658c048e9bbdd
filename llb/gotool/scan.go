package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ---- scanimports: the imports list and own sources without the go command ----
//
// `gotool imports` needs the builder image (it runs go list), so on a
// fresh runner the cached layers keyed on its output start loading only
// once the builder is pulled and unpacked. scanimports makes the same kind
// of list with no go command at all, so it runs in the frontend image: it
// reads the main packages' files and those of the own packages they reach,
// ignoring build constraints, and writes every other import path, standard
// or outside. The list is a superset of any one platform's imports, which
// is safe: prune takes their closure with go list -e for the platform,
// where a path that does not build there (or is in no required module)
// only gets no files. A file that does not parse gets the whole module
// cache (allPackages), as `gotool imports` does when go list fails.
//
// With -own-src it also copies the own packages it reached (not the mains)
// for the own-package layer (see own.go), so that nothing keyed on the
// source waits for the builder either: each package directory's files
// without tests, the files its //go:embed patterns match, and the module's
// go.mod and go.sum. That copy is a superset too (a package may not build
// for the platform: gotool precompile leaves it out).
//
//	gotool scanimports -o FILE [-own-src DIR -own-list FILE -root DIR] PKG...   (in the main module's directory)
func scanImports(args []string) int {
	fs := flag.NewFlagSet("scanimports", flag.ExitOnError)
	outFile := fs.String("o", "", "file to write")
	ownSrc := fs.String("own-src", "", "directory to fill with the own non-main packages' sources")
	ownList := fs.String("own-list", "", "file to write: those packages (with -own-src)")
	root := fs.String("root", "", "the source's root (with -own-src)")
	_ = fs.Parse(args)
	if *outFile == "" || (*ownSrc != "" && (*root == "" || *ownList == "")) {
		fatalf("scanimports: -o is required, and -root and -own-list with -own-src")
	}
	s, err := scanOwn(".", fs.Args())
	if err != nil {
		fmt.Fprintf(os.Stderr, "goscratch: scanning the imports failed, so the build gets the whole module cache: %v\n", err)
		s = scanned{imports: []string{allPackages}}
	}
	if err := writeLines(*outFile, s.imports); err != nil {
		fatalf("%v", err)
	}
	fmt.Printf("goscratch: %d standard and module packages imported (all platforms)\n", len(s.imports))
	if *ownSrc != "" {
		if err := copyScanned(s.own, *root, *ownSrc, *ownList); err != nil {
			fatalf("copying the own packages: %v", err)
		}
		fmt.Printf("goscratch: %d own packages copied for the own-package layer\n", len(s.own))
	}
	return 0
}

// scanned is what scanOwn found.
type scanned struct {
	imports []string // outside the module, sorted
	own     []ownDir // the module's packages the mains reach, not the mains
}

// ownDir is one of the module's own packages.
type ownDir struct {
	path   string   // import path
	rel    string   // directory, relative to the module's
	embeds []string // the //go:embed patterns of its files
}

// scanOwn lists the import paths outside the module at dir that the main
// packages mains (relative to dir) and the module's packages they reach
// import, and those packages. A directory with a go.mod file of its own is
// another module: importing it is an outside import.
func scanOwn(dir string, mains []string) (scanned, error) {
	mod, err := modulePath(filepath.Join(dir, "go.mod"))
	if err != nil {
		return scanned{}, err
	}
	var s scanned
	seen, isMain := map[string]bool{}, map[string]bool{}
	for _, m := range mains {
		seen[filepath.Clean(m)], isMain[filepath.Clean(m)] = true, true
	}
	queue := slices.Clone(mains)
	for len(queue) > 0 {
		rel := filepath.Clean(queue[0])
		queue = queue[1:]
		found, err := scanDir(filepath.Join(dir, rel))
		if err != nil {
			return scanned{}, err
		}
		if found.files > 0 && !isMain[rel] {
			p := mod
			if rel != "." {
				p = mod + "/" + filepath.ToSlash(rel)
			}
			s.own = append(s.own, ownDir{path: p, rel: rel, embeds: found.embeds})
		}
		for _, p := range found.imports {
			sub, own := strings.CutPrefix(p, mod+"/")
			if p == mod {
				sub, own = ".", true
			}
			switch {
			case p == "C" || p == "unsafe":
			case own && !inNestedModule(dir, sub):
				if sub = filepath.Clean(sub); !seen[sub] {
					seen[sub] = true
					queue = append(queue, sub)
				}
			default:
				s.imports = append(s.imports, p)
			}
		}
	}
	slices.Sort(s.imports)
	s.imports = slices.Compact(s.imports)
	slices.SortFunc(s.own, func(a, b ownDir) int { return strings.Compare(a.path, b.path) })
	return s, nil
}

// inNestedModule says whether the directory rel under the module at dir
// is in a module of its own: it or a directory above it (below dir) has a
// go.mod file.
func inNestedModule(dir, rel string) bool {
	for d := filepath.Clean(rel); d != "." && d != string(filepath.Separator); d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(dir, d, "go.mod")); err == nil {
			return true
		}
	}
	return false
}

// dirScan is what one package directory's non-test Go files hold.
type dirScan struct {
	files   int
	imports []string
	embeds  []string
}

// scanDir reads the imports and //go:embed patterns of the non-test Go
// files in dir, whatever their build constraints; a directory that does
// not exist has none (the build reports the missing package).
func scanDir(dir string) (dirScan, error) {
	var s dirScan
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return s, err
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), data, parser.ImportsOnly)
		if err != nil {
			return s, err
		}
		s.files++
		for _, spec := range f.Imports {
			p, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return s, err
			}
			s.imports = append(s.imports, p)
		}
		s.embeds = append(s.embeds, embedPatterns(data)...)
	}
	return s, nil
}

// embedPatterns are the patterns of the //go:embed lines in a Go file's
// text (a superset: a line in a comment block counts too; go build rejects
// what is not a valid directive).
func embedPatterns(src []byte) []string {
	var pats []string
	for line := range bytes.Lines(src) {
		rest, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("//go:embed"))
		if !ok || (len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t') {
			continue
		}
		for s := strings.TrimSpace(string(rest)); s != ""; s = strings.TrimLeft(s, " \t") {
			if s[0] == '"' || s[0] == '`' {
				q, err := strconv.QuotedPrefix(s)
				if err != nil {
					break // go build reports it
				}
				p, _ := strconv.Unquote(q)
				pats = append(pats, p)
				s = s[len(q):]
				continue
			}
			end := strings.IndexAny(s, " \t")
			if end < 0 {
				end = len(s)
			}
			pats = append(pats, s[:end])
			s = s[end:]
		}
	}
	return pats
}

// copyScanned copies the own packages (relative to the current directory,
// the module's) to src at their paths under root, with the files their
// embed patterns match and the module's go.mod and go.sum, lists them in
// list, and stamps every time to the epoch (the layer's content is what it
// holds, not when it was made).
func copyScanned(own []ownDir, root, src, list string) error {
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	here, ok := under(root, cwd)
	if !ok {
		return fmt.Errorf("the module directory %s is outside the source %s", cwd, root)
	}
	if err := os.MkdirAll(filepath.Join(src, here), 0o755); err != nil {
		return err
	}
	var pkgs []string
	for _, p := range own {
		dst := filepath.Join(src, here, p.rel)
		if err := copyPackageFiles(p.path, p.rel, nil, dst); err != nil {
			return err
		}
		if err := copyEmbedded(p.rel, p.embeds, dst); err != nil {
			return fmt.Errorf("package %s: %v", p.path, err)
		}
		pkgs = append(pkgs, p.path)
	}
	if err := copyModuleFile(root, filepath.Join(cwd, "go.mod"), src); err != nil {
		return err
	}
	if err := writeLines(list, pkgs); err != nil {
		return err
	}
	if err := os.Chtimes(list, time.Unix(0, 0), time.Unix(0, 0)); err != nil {
		return err
	}
	return stampTimes(src)
}

// copyEmbedded copies the files under dir that the //go:embed patterns
// match to dst, as the go command embeds them: a matched directory brings
// its files but not those whose names start with . or _ (unless the
// pattern has the all: prefix) nor another module's (a directory with a
// go.mod file). A pattern the go command rejects (.., a backslash, bad
// syntax) or a match through a symbolic link is skipped: go build then
// reports it, from the build's own copy of the source.
func copyEmbedded(dir string, patterns []string, dst string) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	for _, pat := range patterns {
		pat, all := strings.CutPrefix(pat, "all:")
		if !fs.ValidPath(pat) || strings.Contains(pat, `\`) {
			continue
		}
		matches, err := fs.Glob(os.DirFS(dir), pat)
		if err != nil {
			continue
		}
		for _, m := range matches {
			full := filepath.Join(dir, filepath.FromSlash(m))
			if r, err := filepath.EvalSymlinks(full); err != nil || r != filepath.Join(real, filepath.FromSlash(m)) {
				continue
			}
			err := filepath.WalkDir(full, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if p != full {
					if n := d.Name(); !all && (n[0] == '.' || n[0] == '_') {
						return skip(d)
					}
					if _, err := os.Lstat(filepath.Join(p, "go.mod")); d.IsDir() && err == nil {
						return filepath.SkipDir
					}
				}
				if !d.Type().IsRegular() {
					return nil
				}
				rel, err := filepath.Rel(dir, p)
				if err != nil {
					return err
				}
				return copyOne(p, filepath.Join(dst, rel))
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// skip leaves d out of a walk: its whole tree if it is a directory.
func skip(d fs.DirEntry) error {
	if d.IsDir() {
		return filepath.SkipDir
	}
	return nil
}
