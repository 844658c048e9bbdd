package main

import (
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// ---- scanimports: the imports list without the go command ----
//
// `gotool imports` needs the builder image (it runs go list), so on a
// fresh runner the cached layers keyed on its output start loading only
// once the builder is pulled and unpacked. scanimports makes the same kind
// of list with no go command at all, so it runs in the frontend image: it
// reads the main packages' files and those of the own packages they reach
// (imports only), ignoring build constraints, and writes every other
// import path, standard or outside. The list is a superset of any one
// platform's imports, which is safe: prune takes their closure with
// go list -e for the platform, where a path that does not build there (or
// is in no required module) only gets no files. A file that does not parse
// gets the whole module cache (allPackages), as `gotool imports` does when
// go list fails.
//
//	gotool scanimports -o FILE PKG...   (in the main module's directory)
func scanImports(args []string) int {
	fs := flag.NewFlagSet("scanimports", flag.ExitOnError)
	outFile := fs.String("o", "", "file to write")
	_ = fs.Parse(args)
	if *outFile == "" {
		fatalf("scanimports: -o is required")
	}
	paths, err := scanOwn(".", fs.Args())
	if err != nil {
		fmt.Fprintf(os.Stderr, "goscratch: scanning the imports failed, so the build gets the whole module cache: %v\n", err)
		paths = []string{allPackages}
	}
	if err := writeLines(*outFile, paths); err != nil {
		fatalf("%v", err)
	}
	fmt.Printf("goscratch: %d standard and module packages imported (all platforms)\n", len(paths))
	return 0
}

// scanOwn lists the import paths outside the module at dir that the main
// packages mains (relative to dir) and the module's packages they reach
// import, sorted.
func scanOwn(dir string, mains []string) ([]string, error) {
	mod, err := modulePath(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	queue := slices.Clone(mains)
	for len(queue) > 0 {
		rel := filepath.Clean(queue[0])
		queue = queue[1:]
		if seen[rel] {
			continue
		}
		seen[rel] = true
		imps, err := dirImports(filepath.Join(dir, rel))
		if err != nil {
			return nil, err
		}
		for _, p := range imps {
			switch {
			case p == "C" || p == "unsafe":
			case p == mod:
				queue = append(queue, ".")
			case strings.HasPrefix(p, mod+"/"):
				queue = append(queue, strings.TrimPrefix(p, mod+"/"))
			default:
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// dirImports are the imports of the non-test Go files in dir, whatever
// their build constraints; a directory that does not exist has none (the
// build reports the missing package).
func dirImports(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var imps []string
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		for _, s := range f.Imports {
			p, err := strconv.Unquote(s.Path.Value)
			if err != nil {
				return nil, err
			}
			imps = append(imps, p)
		}
	}
	return imps, nil
}
