package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ---- imports, prune: the packages a build reads, and only those ----
//
// A build reads, of the module cache, the directories of the packages it
// imports and the download metadata the go command checks them with (each
// module's .mod, .info and .ziphash). The rest of every module's tree
// (other packages, tests, testdata, docs) is never read, yet a module
// cache layer carries it to every fresh runner. So the layer cache mode
// gives the build a pruned module cache, made in two steps:
//
//   - `gotool imports` lists, from the source alone (no module cache: it
//     runs go list with an empty one and GOPROXY=off), the standard and
//     outside packages the main packages' own packages import. It re-runs
//     on every source edit, is cheap, and writes the same file unless an
//     import changed;
//   - `gotool prune`, keyed on that file and the module cache layer, lists
//     the whole dependency closure of those imports where only go.mod and
//     go.sum are (as precompile compiles it), writes that list for
//     precompile, and copies into its output the packages' files and the
//     download metadata: the pruned module cache the build mounts.
//
// On a fresh runner whose imports did not change both prune and precompile
// come from the imported cache, and neither the full module cache layer
// nor a module download is needed.
//
// With -fetch-seed there is no module cache layer at all (the download step
// only filled the shared module cache, the seed): prune's go list fetches
// what the closure reads into an empty module cache of its own, from the
// seed's downloads first (a file:// proxy), then GOPROXY, the go command
// checking every module against go.sum. So nothing but the pruned layer is
// exported, and a fresh runner whose imports changed fetches only the
// modules of the new closure.

// allPackages, as the only line of an imports list, asks prune for the
// whole module cache: the imports could not be listed.
const allPackages = "*"

// imports writes to -o the import paths the project's own packages (those
// of the main packages and the packages they reach in the module or
// workspace) import from outside it, and the standard packages they
// import, one per line, sorted. With no module cache, a package that go
// list loads without error is the project's own or a standard one; an
// outside one fails to load ("module lookup disabled"). With -own-src DIR
// it also copies the own packages' sources there and lists them in
// -own-list (see own.go); -root is then where the source is mounted.
func imports(args []string) int {
	fs := flag.NewFlagSet("imports", flag.ExitOnError)
	outFile := fs.String("o", "", "file to write")
	ownSrc := fs.String("own-src", "", "directory to fill with the own non-main packages' sources")
	ownList := fs.String("own-list", "", "file to write: those packages (with -own-src)")
	root := fs.String("root", "", "the source's root (with -own-src)")
	var flags multi
	fs.Var(&flags, "flag", "a go list flag (-tags ...)")
	_ = fs.Parse(args)
	if *outFile == "" || (*ownSrc != "" && (*root == "" || *ownList == "")) {
		fatalf("imports: -o is required, and -root and -own-list with -own-src")
	}
	empty, err := os.MkdirTemp("", "gotool-no-modules-")
	if err != nil {
		fatalf("%v", err)
	}
	defer os.RemoveAll(empty)
	cmd := exec.Command("go", slices.Concat([]string{"list", "-e", "-deps", "-f", importsFormat}, flags, fs.Args())...)
	cmd.Env = append(os.Environ(), append([]string{"GOMODCACHE=" + empty}, noFetch...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var paths []string
	var listed []listedPkg
	if err == nil {
		listed, err = parseImports(string(out))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "goscratch: listing the imports failed, so the build gets the whole module cache:\n%v\n%s", err, stderr.String())
		paths, listed = []string{allPackages}, nil
	} else {
		paths = importPaths(listed, empty)
	}
	if err := writeLines(*outFile, paths); err != nil {
		fatalf("%v", err)
	}
	fmt.Printf("goscratch: %d standard and module packages imported\n", len(paths))
	if *ownSrc != "" {
		n, err := copyOwn(listed, *root, empty, *ownSrc, *ownList)
		if err != nil {
			fatalf("copying the own packages' sources: %v", err)
		}
		fmt.Printf("goscratch: %d own packages besides the main ones\n", n)
	}
	return 0
}

// importsFormat is imports' go list -f: one tab-separated line per
// package, read by parseImports.
const importsFormat = "{{.ImportPath}}\t{{.Standard}}\t{{if .Error}}error{{end}}\t{{.Dir}}\t{{.Name}}\t" +
	"{{with .Module}}{{if .Replace}}{{.Replace.GoMod}}{{else}}{{.GoMod}}{{end}}{{end}}\t{{range .EmbedFiles}}{{printf \"%q\" .}} {{end}}"

// listedPkg is one package of imports' go list.
type listedPkg struct {
	path, dir, name string
	standard        bool
	failed          bool     // it failed to load (an outside package, with no module cache)
	gomod           string   // its module's go.mod file ("" for none)
	embeds          []string // files matched by //go:embed, relative to dir
}

// parseImports reads imports' go list lines.
func parseImports(list string) ([]listedPkg, error) {
	var pkgs []listedPkg
	err := scanLines(list, 7, func(f []string) error {
		p := listedPkg{path: f[0], standard: f[1] == "true", failed: f[2] != "", dir: f[3], name: f[4], gomod: f[5]}
		var err error
		p.embeds, err = unquoteFields(f[6])
		pkgs = append(pkgs, p)
		return err
	})
	return pkgs, err
}

// scanLines calls each with the n tab-separated fields of every line of a
// go list -f output (the last field may hold tabs).
func scanLines(list string, n int, each func(fields []string) error) error {
	sc := bufio.NewScanner(strings.NewReader(list))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		f := strings.SplitN(sc.Text(), "\t", n)
		if len(f) != n {
			return fmt.Errorf("go list printed %q", sc.Text())
		}
		if err := each(f); err != nil {
			return err
		}
	}
	return sc.Err()
}

// unquoteFields reads go list's {{range}}{{printf "%q" .}} {{end}}: quoted
// names (which may hold spaces), each followed by a space.
func unquoteFields(s string) ([]string, error) {
	var names []string
	for s = strings.TrimLeft(s, " "); s != ""; s = strings.TrimLeft(s, " ") {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("go list printed file names %q: %v", s, err)
		}
		name, _ := strconv.Unquote(q)
		names = append(names, name)
		s = s[len(q):]
	}
	return names, nil
}

// noFetch is the environment of a go command that must not fetch a
// module from anywhere: no proxy, no module bypasses it (GOPRIVATE and
// GONOPROXY would send a matching one straight to its VCS even with
// GOPROXY=off), and no VCS may be used.
var noFetch = []string{"GOPROXY=off", "GOPRIVATE=", "GONOPROXY=", "GOVCS=*:off"}

// importPaths picks the standard packages and the outside ones: with no
// module cache and no fetching, those that failed to load (or, should one
// have been fetched all the same, that loaded from the module cache given,
// modcache).
func importPaths(pkgs []listedPkg, modcache string) []string {
	var paths []string
	for _, p := range pkgs {
		if p.path == "unsafe" || p.path == "C" {
			continue
		}
		if p.standard || p.failed || inModCache(p.dir, modcache) {
			paths = append(paths, p.path)
		}
	}
	slices.Sort(paths)
	return slices.Compact(paths)
}

// pkgInfo is one package of prune's go list.
type pkgInfo struct {
	path     string
	standard bool
	dir      string
	failed   bool     // the package or one of its dependencies failed to load
	err      string   // the package's own load error, if any
	embeds   []string // files matched by //go:embed, relative to dir
}

// prune lists the dependency closure of -imports (run where only go.mod
// and go.sum are), writes its standard and module packages to -deps (the
// list precompile compiles) and copies to -o what the build reads of the
// module cache: the listed packages' files (tests left out) and the
// download metadata. An imports list that could not be made, or a closure
// that cannot be listed, gets the whole module cache and no precompile
// list: slower, never a different binary.
func prune(args []string) int {
	flags0 := flag.NewFlagSet("prune", flag.ExitOnError)
	importsFile := flags0.String("imports", "", "the imports list (gotool imports)")
	outDir := flags0.String("o", "", "directory to fill: the pruned module cache")
	depsFile := flags0.String("deps", "", "file to write: the packages to precompile")
	seed := flags0.String("fetch-seed", "", "no module cache layer: fetch what the closure reads into an empty module cache, from this module cache's downloads first, then GOPROXY")
	var flags multi
	flags0.Var(&flags, "flag", "a go list flag (-tags ...)")
	_ = flags0.Parse(args)
	if *importsFile == "" || *outDir == "" || *depsFile == "" {
		fatalf("prune: -imports, -o and -deps are required")
	}
	modcache := strings.TrimSpace(goEnv("GOMODCACHE"))
	if modcache == "" {
		fatalf("prune: go env GOMODCACHE is empty")
	}
	// without -fetch-seed everything is in the module cache layer: go may
	// fetch nothing. With it the go command fetches, checking every
	// module against go.sum, and -mod=readonly (last, so it wins over the
	// spec's flags) keeps it from adding any module go.sum does not pin.
	env, replace := noFetch, false
	if *seed != "" {
		env = []string{"GOPROXY=" + seededProxy(*seed, goEnv("GOPROXY"))}
		flags = append(flags, "-mod=readonly")
	}
	data, err := os.ReadFile(*importsFile)
	if err != nil {
		fatalf("%v", err)
	}
	paths := strings.Fields(string(data))
	var pkgs []pkgInfo
	whole := slices.Contains(paths, allPackages)
	// load fetches (with -fetch-seed) the whole module graph's go.mod
	// files, then lists the closure: go list -deps loads the graph lazily,
	// but a go command that loads all of it from the read-only pruned
	// cache must find every go.mod there (the old prune copied them with
	// the full download's metadata)
	var graphErr error
	load := func() {
		if *seed != "" {
			graphErr = fetchGraph(env)
		}
		if !whole && len(paths) > 0 {
			pkgs, err = listClosure(paths, flags, env)
		}
	}
	load()
	if *seed != "" && (mismatched(pkgs, err) || mismatched(nil, graphErr)) {
		fmt.Fprintf(os.Stderr, "goscratch: a module in the shared module cache does not match go.sum (another build put it there): fetching without it\n")
		if err := emptyModCache(modcache); err != nil {
			fatalf("%v", err)
		}
		env, replace = unseeded(), true
		load()
	}
	if graphErr != nil {
		fmt.Fprintf(os.Stderr, "goscratch: loading the module graph failed (the build reports the cause, if it needs it): %v\n", graphErr)
	}
	if !whole && err != nil {
		fmt.Fprintf(os.Stderr, "goscratch: listing the dependencies failed, so the build gets the whole module cache and none are precompiled (the build reports the cause):\n%v\n", err)
		whole = true
	}
	if *seed != "" {
		if whole {
			if err := fetchAll(env); err != nil {
				fatalf("%v", err)
			}
		}
		if err := saveDownloads(modcache, *seed, replace); err != nil {
			fmt.Fprintf(os.Stderr, "goscratch: keeping the downloads in the shared module cache failed (the build goes on): %v\n", err)
		}
		// as the download step does for its layer: no zips, no VCS clones
		if err := slim(modcache); err != nil {
			fatalf("%v", err)
		}
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fatalf("%v", err)
	}
	for _, p := range pkgs {
		if p.err != "" {
			fmt.Fprintf(os.Stderr, "goscratch: %s is not precompiled and the build gets none of its files (the build reports why, if it needs it): %s\n", p.path, p.err)
		}
	}
	var deps []string
	if whole {
		err = copyTree(modcache, *outDir, func(fs.DirEntry) bool { return true })
	} else {
		deps = closureDeps(pkgs, modcache)
		err = copyPackages(pkgs, modcache, *outDir)
	}
	if err != nil {
		fatalf("%v", err)
	}
	if err := writeLines(*depsFile, deps); err != nil {
		fatalf("%v", err)
	}
	if err := stampTimes(*outDir); err != nil {
		fatalf("%v", err)
	}
	fmt.Printf("goscratch: %d dependency packages; the module cache the build reads has %d of their directories\n", len(deps), countModulePackages(pkgs, modcache))
	return 0
}

// mismatched says whether go list's output or error reports a module that
// does not match go.sum.
func mismatched(pkgs []pkgInfo, err error) bool {
	if err != nil && strings.Contains(err.Error(), seedMismatch) {
		return true
	}
	return slices.ContainsFunc(pkgs, func(p pkgInfo) bool { return strings.Contains(p.err, seedMismatch) })
}

// fetchGraph makes the go command fetch the go.mod file of every module of
// the build's module graph, with env: go mod graph reads them all (and
// nothing else: no zip, and not the .info files go list -m all wants).
func fetchGraph(env []string) error {
	cmd := exec.Command("go", "mod", "graph")
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if _, err := cmd.Output(); err != nil {
		return fmt.Errorf("go mod graph: %v\n%s", err, stderr.String())
	}
	return nil
}

// fetchAll downloads every module of the build list into the module cache
// (with env, prune's fetching one): the whole module cache, for a prune
// that could not list the closure.
func fetchAll(env []string) error {
	cmd := exec.Command("go", "mod", "download")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go mod download: %v", err)
	}
	return nil
}

// listClosure is go list -deps of paths, one pkgInfo per package, with env
// added to the go command's environment.
func listClosure(paths []string, flags []string, env []string) ([]pkgInfo, error) {
	const format = "{{.ImportPath}}\t{{.Standard}}\t{{.Dir}}\t{{if .Error}}{{printf \"%q\" .Error.Err}}{{else if .DepsErrors}}\"\"{{end}}\t{{range .EmbedFiles}}{{printf \"%q\" .}} {{end}}"
	cmd := exec.Command("go", slices.Concat([]string{"list", "-e", "-deps", "-f", format}, flags, paths)...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%v\n%s", err, stderr.String())
	}
	return parseClosure(string(out))
}

// parseClosure reads listClosure's lines.
func parseClosure(list string) ([]pkgInfo, error) {
	var pkgs []pkgInfo
	err := scanLines(list, 5, func(f []string) error {
		p := pkgInfo{path: f[0], standard: f[1] == "true", dir: f[2], failed: f[3] != ""}
		if p.failed {
			p.err, _ = strconv.Unquote(f[3])
		}
		var err error
		p.embeds, err = unquoteFields(f[4])
		pkgs = append(pkgs, p)
		return err
	})
	return pkgs, err
}

// inModCache says whether dir is inside the module cache.
func inModCache(dir, modcache string) bool {
	return dir != "" && strings.HasPrefix(dir, strings.TrimSuffix(modcache, "/")+"/")
}

// closureDeps is the precompile list: the standard and module packages
// that load without errors, sorted.
func closureDeps(pkgs []pkgInfo, modcache string) []string {
	var deps []string
	for _, p := range pkgs {
		if p.failed || p.path == "unsafe" || p.path == "C" {
			continue
		}
		if p.standard || inModCache(p.dir, modcache) {
			deps = append(deps, p.path)
		}
	}
	slices.Sort(deps)
	return slices.Compact(deps)
}

func countModulePackages(pkgs []pkgInfo, modcache string) int {
	n := 0
	for _, p := range pkgs {
		if !p.standard && inModCache(p.dir, modcache) {
			n++
		}
	}
	return n
}

// copyPackages copies the download metadata of modcache (everything under
// cache/ but zips and locks: what the go command checks a module's tree
// with) and, of every listed module package, the files in its directory
// (not its subdirectories, not its tests) and its embedded files.
func copyPackages(pkgs []pkgInfo, modcache, out string) error {
	meta := func(d fs.DirEntry) bool {
		name := d.Name()
		skip := name == "lock" || strings.HasSuffix(name, ".zip") || strings.HasSuffix(name, ".lock") || strings.HasSuffix(name, ".partial")
		return d.IsDir() || !skip
	}
	if err := copyTree(filepath.Join(modcache, "cache"), filepath.Join(out, "cache"), meta); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, p := range pkgs {
		if p.standard || !inModCache(p.dir, modcache) {
			continue
		}
		rel, err := filepath.Rel(modcache, p.dir)
		if err != nil {
			return err
		}
		if err := copyPackageFiles(p.path, p.dir, p.embeds, filepath.Join(out, rel)); err != nil {
			return err
		}
	}
	return nil
}

// copyPackageFiles copies what compiling the package at dir reads to dst:
// the regular files in dir (not its subdirectories, not its tests) and
// its embedded files.
func copyPackageFiles(pkg, dir string, embeds []string, dst string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		if err := copyOne(filepath.Join(dir, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	for _, name := range embeds {
		clean := filepath.Clean(name)
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
			return fmt.Errorf("package %s: embedded file %q is outside its directory", pkg, name)
		}
		if err := copyOne(filepath.Join(dir, clean), filepath.Join(dst, clean)); err != nil {
			return err
		}
	}
	return nil
}

// copyTree copies the regular files under src that keep says to keep
// (and the directories keep lets it walk) to dst.
func copyTree(src, dst string, keep func(fs.DirEntry) bool) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !keep(d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		return copyOne(path, filepath.Join(dst, rel))
	})
}

// copyOne copies a regular file, keeping its permission bits, creating
// the directories above it.
func copyOne(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", src)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return writeFrom(in, dst, os.O_TRUNC, fi.Mode().Perm())
}

// stampTimes sets every file's and directory's times under dir to the
// Unix epoch, so the layer's content depends on what it holds, not when
// it was made: two platforms (or two runners) that need the same packages
// make the same layer.
func stampTimes(dir string) error {
	epoch := time.Unix(0, 0)
	var dirs []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			dirs = append(dirs, path)
			return nil
		}
		return os.Chtimes(path, epoch, epoch)
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- { // children first
		if err := os.Chtimes(dirs[i], epoch, epoch); err != nil {
			return err
		}
	}
	return nil
}

// writeLines writes lines, each ended by a newline, to path.
func writeLines(path string, lines []string) error {
	data := strings.Join(lines, "\n")
	if data != "" {
		data += "\n"
	}
	return os.WriteFile(path, []byte(data), 0o644)
}
