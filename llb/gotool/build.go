package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// ---- build ----

// build runs `go build ARGS...` with its output passed through; when it
// fails for a reason a static CGO_ENABLED=0 build causes, it adds what that
// means and what to do. Before a `--`, -cache-rw and -cache-ro name the
// build cache's layers (see cacheprog); without them go uses GOCACHE.
//
// With -out DIR and one -exe NAME=PKG per binary before the `--`, ARGS are
// the flags only, and one go invocation builds every binary: the packages
// are loaded and the dependencies checked once, the links run in parallel
// (see buildAll).
func build(args []string) int {
	var c layeredCache
	var exes []string
	var out string
	if slices.Contains(args, "--") {
		fs := flag.NewFlagSet("build", flag.ExitOnError)
		fs.Var((*multi)(&c.rw), "cache-rw", "a shared build cache to read and write")
		fs.Var((*multi)(&c.ro), "cache-ro", "a read-only build cache layer")
		fs.Var((*multi)(&exes), "exe", "NAME=PKG: build main package PKG as DIR/NAME (with -out)")
		fs.StringVar(&out, "out", "", "the directory of the -exe binaries")
		_ = fs.Parse(args)
		args = fs.Args()
	}
	var stderr bytes.Buffer
	run := func(args ...string) int {
		cmd := exec.Command("go", append([]string{"build"}, args...)...)
		if len(c.rw)+len(c.ro) > 0 {
			cmd.Env = c.env()
		}
		cmd.Stdout = os.Stdout
		cmd.Stderr = io.MultiWriter(os.Stderr, &stderr)
		return exitCode(cmd.Run())
	}
	var code int
	if len(exes) > 0 {
		code = buildAll(run, out, exes, args)
	} else {
		code = run(args...)
	}
	if code != 0 {
		for _, line := range buildHints(stderr.String(), os.Getenv("CGO_ENABLED")) {
			fmt.Fprintln(os.Stderr, "goscratch: "+line)
		}
	}
	return code
}

// buildAll builds every NAME=PKG of exes into out/NAME with flags, in one
// `go build -o DIR/ PKG...` when the go command's own names for the
// packages (execName) are distinct, then renamed; else one go build per
// binary, as go would refuse two binaries of one name.
func buildAll(run func(args ...string) int, out string, exes, flags []string) int {
	mod, err := modulePath("go.mod")
	names := map[string]string{} // go's name -> ours
	pkgs := make([]string, 0, len(exes))
	for _, e := range exes {
		name, pkg, ok := strings.Cut(e, "=")
		if !ok {
			fmt.Fprintf(os.Stderr, "goscratch: -exe %q: want NAME=PKG\n", e)
			return 2
		}
		pkgs = append(pkgs, pkg)
		if err == nil {
			names[execName(mod, pkg)] = name
		}
	}
	if err != nil || len(names) != len(exes) {
		for i, e := range exes {
			name, _, _ := strings.Cut(e, "=")
			if code := run(slices.Concat(flags, []string{"-o", filepath.Join(out, name), pkgs[i]})...); code != 0 {
				return code
			}
		}
		return 0
	}
	tmp := filepath.Join(out, ".goscratch-build")
	if code := run(slices.Concat(flags, []string{"-o", tmp + "/"}, pkgs)...); code != 0 {
		return code
	}
	for goName, name := range names {
		if err := os.Rename(filepath.Join(tmp, goName), filepath.Join(out, name)); err != nil {
			fmt.Fprintf(os.Stderr, "goscratch: %v\n", err)
			return 1
		}
	}
	if err := os.Remove(tmp); err != nil {
		fmt.Fprintf(os.Stderr, "goscratch: %v\n", err)
		return 1
	}
	return 0
}

// modulePath reads the module path of the go.mod file at file.
func modulePath(file string) (string, error) {
	dt, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	for _, line := range strings.Split(string(dt), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t' || rest[0] == '"') {
			if p := strings.Trim(strings.TrimSpace(strings.SplitN(rest, "//", 2)[0]), "\"`"); p != "" {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("%s has no module line", file)
}

// execName is the file name `go build -o DIR/` gives main package pkg
// (relative to the module, ./cmd/x or .) of module mod: the import path's
// last element, or the one before a major version suffix (example.com/x/v2
// is x).
func execName(mod, pkg string) string {
	importPath := path.Join(mod, pkg)
	dir, elem := path.Split(importPath)
	if elem != importPath && isMajorVersion(elem) {
		_, elem = path.Split(path.Clean(dir))
	}
	return elem
}

// isMajorVersion reports whether elem is a module major version suffix (v2, v10).
func isMajorVersion(elem string) bool {
	if len(elem) < 2 || elem[0] != 'v' || elem[1] == '0' || elem == "v1" {
		return false
	}
	for _, c := range elem[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

var (
	excludeAll = regexp.MustCompile(`build constraints exclude all Go files in (\S+)`)
	undefinedC = regexp.MustCompile(`undefined: C\.|could not import C|cgo: .*not enabled`)
	noCC       = regexp.MustCompile(`cgo: C compiler "([^"]+)" not found`)
	noMainDir  = regexp.MustCompile(`stat /goscratch/src/(\S+): directory not found`)
)

// buildHints explains a failed go build's stderr, or returns nothing.
func buildHints(stderr, cgo string) []string {
	var hints []string
	if cgo != "1" {
		var dirs []string
		for _, m := range excludeAll.FindAllStringSubmatch(stderr, -1) {
			dir := strings.TrimPrefix(m[1], "/goscratch/modcache/")
			if rest, ok := strings.CutPrefix(dir, "/goscratch/src/"); ok {
				dir = "./" + rest // a package of the build context
			}
			dirs = append(dirs, dir)
		}
		if len(dirs) > 0 || undefinedC.MatchString(stderr) {
			what := "a package"
			if len(dirs) > 0 {
				what = strings.Join(dirs, ", ")
			}
			hints = append(hints,
				"the build failed because "+what+" needs cgo (its Go files import \"C\" or are only built with cgo),",
				"and goscratch builds with CGO_ENABLED=0 so that the binary is static and runs in a FROM scratch image (no libc, no loader).",
				"What to do: use a pure-Go alternative (e.g. modernc.org/sqlite instead of github.com/mattn/go-sqlite3),",
				"or the package's pure-Go build tag if it has one (tags: [...]); for net and os/user the pure-Go code is the default with CGO_ENABLED=0.",
				"Setting goenv CGO_ENABLED=1 gives a dynamically linked binary, which goscratch's static check refuses.")
		}
	}
	if m := noMainDir.FindStringSubmatch(stderr); m != nil {
		hints = append(hints, "./"+m[1]+" is not a directory of the build context: `main:` is the main package's directory relative to the module (go.mod), e.g. main: ./cmd/server; check the path and .dockerignore.")
	}
	if m := noCC.FindStringSubmatch(stderr); m != nil {
		hints = append(hints, "CGO_ENABLED=1 needs a C compiler ("+m[1]+") in the builder image, and its result is dynamically linked, which a FROM scratch image cannot run: remove CGO_ENABLED=1 from goenv.")
	}
	return hints
}
