package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
)

// ---- build ----

// build runs `go build ARGS...` with its output passed through; when it
// fails for a reason a static CGO_ENABLED=0 build causes, it adds what that
// means and what to do. Before a `--`, -cache-rw and -cache-ro name the
// build cache's layers (see cacheprog); without them go uses GOCACHE.
func build(args []string) int {
	var c layeredCache
	if slices.Contains(args, "--") {
		fs := flag.NewFlagSet("build", flag.ExitOnError)
		fs.Var((*multi)(&c.rw), "cache-rw", "a shared build cache to read and write")
		fs.Var((*multi)(&c.ro), "cache-ro", "a read-only build cache layer")
		_ = fs.Parse(args)
		args = fs.Args()
	}
	var stderr bytes.Buffer
	cmd := exec.Command("go", append([]string{"build"}, args...)...)
	if len(c.rw)+len(c.ro) > 0 {
		cmd.Env = c.env()
	}
	cmd.Stdout = os.Stdout
	cmd.Stderr = io.MultiWriter(os.Stderr, &stderr)
	code := exitCode(cmd.Run())
	if code != 0 {
		for _, line := range buildHints(stderr.String(), os.Getenv("CGO_ENABLED")) {
			fmt.Fprintln(os.Stderr, "goscratch: "+line)
		}
	}
	return code
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
