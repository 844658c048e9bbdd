package main

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeProxyModule writes module mod@version with files to a file-based
// GOPROXY directory.
func writeProxyModule(t *testing.T, proxy, mod, version string, files map[string]string) {
	t.Helper()
	dir := filepath.Join(proxy, mod, "@v")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		w, err := zw.Create(mod + "@" + version + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"list":            version + "\n",
		version + ".info": `{"Version":"` + version + `","Time":"2026-01-01T00:00:00Z"}`,
		version + ".mod":  files["go.mod"],
		version + ".zip":  buf.String(),
	})
}

// runGo runs the go command in dir with env and returns its output; a
// failure fails the test.
func runGo(t *testing.T, env []string, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// TestPrunedModuleCache runs imports and prune on a real module from a
// file proxy: the build from the pruned module cache (with the network
// off) makes the same binary as the build from the whole one, and the
// pruned cache holds only the imported packages, without tests, testdata
// or zips, with the embedded files and the metadata go checks go.sum with.
func TestPrunedModuleCache(t *testing.T) {
	tmp, tool := buildGoTool(t)
	proxy, mc := filepath.Join(tmp, "proxy"), filepath.Join(tmp, "mc")
	writeProxyModule(t, proxy, "example.com/dep", "v1.0.0", map[string]string{
		"go.mod":              "module example.com/dep\n\ngo 1.22\n",
		"dep.go":              "package dep\n\nimport \"example.com/dep/inner\"\n\nfunc V() string { return inner.Data }\n",
		"dep_test.go":         "package dep\n\nimport \"testing\"\n\nfunc TestV(t *testing.T) {}\n",
		"README.md":           "docs\n",
		"testdata/big.txt":    strings.Repeat("x", 4096),
		"inner/inner.go":      "package inner\n\nimport _ \"embed\"\n\n//go:embed data/v.txt\nvar Data string\n",
		"inner/data/v.txt":    "embedded\n",
		"inner/data/more.txt": "not embedded\n",
		"unused/unused.go":    "package unused\n\nimport \"net/http\"\n\nvar C = http.DefaultClient\n",
	})
	src, gomod := filepath.Join(tmp, "src"), filepath.Join(tmp, "gomod")
	writeFiles(t, src, map[string]string{
		"go.mod":          "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
		"main.go":         "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/own\"\n)\n\nfunc main() { fmt.Println(own.V()) }\n",
		"own/own.go":      "package own\n\nimport (\n\t\"strings\"\n\t\"example.com/dep\"\n)\n\nfunc V() string { return strings.TrimSpace(dep.V()) }\n",
		"own/own_test.go": "package own\n\nimport \"testing\"\n\nfunc TestV(t *testing.T) {}\n",
	})
	base := append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-modcacherw", "GOSUMDB=off", "GOTOOLCHAIN=local",
		"GOCACHE="+filepath.Join(tmp, "gocache"), "GOOS=linux", "GOARCH=arm64")
	withCache := func(modcache, proxy string) []string {
		return append(slices.Clone(base), "GOMODCACHE="+modcache, "GOPROXY="+proxy)
	}
	runGo(t, withCache(mc, "file://"+proxy), src, "mod", "download", "-x")
	runGo(t, withCache(mc, "file://"+proxy), src, "mod", "tidy")
	writeFiles(t, gomod, map[string]string{"go.mod": readFile(t, filepath.Join(src, "go.mod")), "go.sum": readFile(t, filepath.Join(src, "go.sum"))})

	// imports: from the source alone; the module cache given is not read,
	// and the proxy that serves the module is not asked
	imp := filepath.Join(tmp, "imports.txt")
	toolRunner(t, tool, withCache(mc, "file://"+proxy))(src, "imports", "-o", imp, "-flag", "-trimpath", ".")
	got := strings.Fields(readFile(t, imp))
	for _, want := range []string{"example.com/dep", "fmt", "strings"} {
		if !slices.Contains(got, want) {
			t.Errorf("imports lacks %s: %v", want, got)
		}
	}
	for _, not := range []string{"example.com/m", "example.com/m/own", "example.com/dep/inner", "testing"} {
		if slices.Contains(got, not) {
			t.Errorf("imports lists %s (own, indirect or test-only): %v", not, got)
		}
	}

	// prune, where only go.mod and go.sum are
	pruned, deps := filepath.Join(tmp, "pruned"), filepath.Join(tmp, "deps.txt")
	toolRunner(t, tool, withCache(mc, "off"))(gomod, "prune", "-imports", imp, "-o", pruned, "-deps", deps, "-flag", "-trimpath")
	list := strings.Fields(readFile(t, deps))
	for _, want := range []string{"example.com/dep", "example.com/dep/inner", "fmt", "runtime"} {
		if !slices.Contains(list, want) {
			t.Errorf("the precompile list lacks %s: %v", want, list)
		}
	}
	if slices.Contains(list, "example.com/dep/unused") || slices.Contains(list, "net/http") {
		t.Errorf("the precompile list has a package nothing imports: %v", list)
	}
	var files []string
	err := filepath.Walk(pruned, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.ModTime().Equal(time.Unix(0, 0)) {
			t.Errorf("%s: time %v, want the epoch", p, fi.ModTime())
		}
		if !fi.IsDir() {
			rel, _ := filepath.Rel(pruned, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"cache/download/example.com/dep/@v/list",
		"cache/download/example.com/dep/@v/v1.0.0.info",
		"cache/download/example.com/dep/@v/v1.0.0.mod",
		"cache/download/example.com/dep/@v/v1.0.0.ziphash",
		"example.com/dep@v1.0.0/README.md",
		"example.com/dep@v1.0.0/dep.go",
		"example.com/dep@v1.0.0/go.mod",
		"example.com/dep@v1.0.0/inner/data/v.txt",
		"example.com/dep@v1.0.0/inner/inner.go",
	}
	if !slices.Equal(files, want) {
		t.Errorf("pruned module cache:\n got %q\nwant %q", files, want)
	}

	// the build from the pruned cache, network off, makes the same binary
	full, fromPruned := filepath.Join(tmp, "full"), filepath.Join(tmp, "from-pruned")
	runGo(t, withCache(mc, "off"), src, "build", "-trimpath", "-o", full, ".")
	runGo(t, withCache(pruned, "off"), src, "build", "-trimpath", "-o", fromPruned, ".")
	if !bytes.Equal([]byte(readFile(t, full)), []byte(readFile(t, fromPruned))) {
		t.Errorf("the binary built from the pruned module cache differs from the one built from the whole cache")
	}

	// the layer mode's flow without a module cache layer: the download only
	// fills the seed, and prune fetches from it (GOPROXY=off: nothing else
	// can serve) into an empty module cache of its own; the pruned cache is
	// the same, and builds the same binary
	seed, dlCache := filepath.Join(tmp, "seed"), filepath.Join(tmp, "dl-cache")
	toolRunner(t, tool, withCache(dlCache, "file://"+proxy))(gomod, "download", "-seed", seed, "-slim", "-seed-only")
	if left, err := os.ReadDir(dlCache); err != nil || len(left) != 0 {
		t.Errorf("-seed-only left %d entries in the module cache (%v)", len(left), err)
	}
	if _, err := os.Stat(filepath.Join(seed, "cache/download/example.com/dep/@v/v1.0.0.zip")); err != nil {
		t.Errorf("the seed lacks the module: %v", err)
	}
	fetched, deps2 := filepath.Join(tmp, "pruned-fetched"), filepath.Join(tmp, "deps-fetched.txt")
	toolRunner(t, tool, withCache(filepath.Join(tmp, "prune-cache"), "off"))(gomod, "prune", "-imports", imp, "-o", fetched, "-deps", deps2, "-fetch-seed", seed, "-flag", "-trimpath")
	if got := readFile(t, deps2); got != readFile(t, deps) {
		t.Errorf("precompile list with -fetch-seed:\n%s\nwithout:\n%s", got, readFile(t, deps))
	}
	for _, f := range want {
		if _, err := os.Stat(filepath.Join(fetched, f)); err != nil {
			t.Errorf("pruned with -fetch-seed: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(fetched, "example.com/dep@v1.0.0/unused")); err == nil {
		t.Errorf("pruned with -fetch-seed holds a package nothing imports")
	}
	fromFetched := filepath.Join(tmp, "from-fetched")
	runGo(t, withCache(fetched, "off"), src, "build", "-trimpath", "-o", fromFetched, ".")
	if !bytes.Equal([]byte(readFile(t, full)), []byte(readFile(t, fromFetched))) {
		t.Errorf("the binary built from the fetched pruned cache differs")
	}

	// a seed another build tampered with (its own go.sum matched its
	// module): go checks the zip against this go.sum, so prune fetches
	// again without the seed, copies the real module, and puts it back in
	// the seed; the download step does the same
	zip := filepath.Join(seed, "cache/download/example.com/dep/@v/v1.0.0.zip")
	good := readFile(t, zip)
	writeProxyModule(t, filepath.Join(tmp, "evil"), "example.com/dep", "v1.0.0", map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.22\n",
		"dep.go": "package dep\n\nfunc V() string { return \"evil\" }\n",
	})
	evil := readFile(t, filepath.Join(tmp, "evil/example.com/dep/@v/v1.0.0.zip"))
	poison := func() { writeFiles(t, filepath.Dir(zip), map[string]string{"v1.0.0.zip": evil}) }
	poison()
	poisoned, deps3 := filepath.Join(tmp, "pruned-poisoned"), filepath.Join(tmp, "deps-poisoned.txt")
	out := toolRunner(t, tool, withCache(filepath.Join(tmp, "prune-cache-2"), "file://"+proxy))(gomod, "prune", "-imports", imp, "-o", poisoned, "-deps", deps3, "-fetch-seed", seed, "-flag", "-trimpath")
	if !strings.Contains(out, "does not match go.sum") {
		t.Errorf("prune does not say it fetched again without the seed:\n%s", out)
	}
	if got := readFile(t, deps3); got != readFile(t, deps) {
		t.Errorf("precompile list from a tampered seed:\n%s\nwant:\n%s", got, readFile(t, deps))
	}
	if got, want := readFile(t, filepath.Join(poisoned, "example.com/dep@v1.0.0/dep.go")), readFile(t, filepath.Join(pruned, "example.com/dep@v1.0.0/dep.go")); got != want {
		t.Errorf("pruned from a tampered seed: dep.go %q, want %q", got, want)
	}
	if readFile(t, zip) != good {
		t.Errorf("prune left the tampered zip in the seed")
	}
	poison()
	toolRunner(t, tool, withCache(filepath.Join(tmp, "dl-cache-2"), "file://"+proxy))(gomod, "download", "-seed", seed, "-slim", "-seed-only")
	if readFile(t, zip) != good {
		t.Errorf("the download left the tampered zip in the seed")
	}
}

// TestPruneFallsBackToTheWholeCache: an imports list that could not be
// made gets the whole module cache and no precompile list.
func TestPruneFallsBackToTheWholeCache(t *testing.T) {
	tmp, tool := buildGoTool(t)
	mc, gomod := filepath.Join(tmp, "mc"), filepath.Join(tmp, "gomod")
	writeFiles(t, mc, map[string]string{"example.com/x@v1.0.0/x.go": "package x\n", "example.com/x@v1.0.0/x_test.go": "package x\n"})
	writeFiles(t, gomod, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n"})
	imp, out, deps := filepath.Join(tmp, "imports.txt"), filepath.Join(tmp, "out"), filepath.Join(tmp, "deps.txt")
	writeFiles(t, tmp, map[string]string{"imports.txt": allPackages + "\n"})
	env := append(os.Environ(), "GOMODCACHE="+mc, "GOPROXY=off", "GOFLAGS=")
	toolRunner(t, tool, env)(gomod, "prune", "-imports", imp, "-o", out, "-deps", deps)
	for _, f := range []string{"example.com/x@v1.0.0/x.go", "example.com/x@v1.0.0/x_test.go"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("whole module cache: %v", err)
		}
	}
	if d := readFile(t, deps); d != "" {
		t.Errorf("precompile list %q, want none", d)
	}
}

func TestImportPaths(t *testing.T) {
	list := "fmt\ttrue\t\t/go/src/fmt\tfmt\t\t\n" +
		"example.com/m\tfalse\t\t/src\tmain\t/src/go.mod\t\n" +
		"example.com/dep\tfalse\terror\t\t\t\t\n" +
		"example.com/fetched\tfalse\t\t/tmp/empty/example.com/fetched@v1.0.0\tfetched\t\t\n" +
		"example.com/m/web\tfalse\t\t/src/web\tweb\t/src/go.mod\t\"static/a b.css\" \"index.html\" \n" +
		"unsafe\ttrue\t\t/go/src/unsafe\tunsafe\t\t\nfmt\ttrue\t\t/go/src/fmt\tfmt\t\t\n"
	pkgs, err := parseImports(list)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := importPaths(pkgs, "/tmp/empty"), []string{"example.com/dep", "example.com/fetched", "fmt"}; !slices.Equal(got, want) {
		t.Errorf("importPaths = %q, want %q", got, want)
	}
	if web := pkgs[4]; web.name != "web" || web.gomod != "/src/go.mod" || !slices.Equal(web.embeds, []string{"static/a b.css", "index.html"}) {
		t.Errorf("parseImports: %+v", web)
	}
	if _, err := parseImports("bad line\n"); err == nil {
		t.Error("parseImports took a line with too few fields")
	}
}

// TestPrunedCacheHoldsTheModuleGraph: prune -fetch-seed's module cache
// has the go.mod file of every module in the build's module graph, not
// only of the modules its packages come from, so a go command that loads
// the whole graph from it (go mod graph, or a go build that looks for a
// package) needs nothing it does not have. Here a go 1.16 dependency (no
// graph pruning) requires a module no package is taken from.
func TestPrunedCacheHoldsTheModuleGraph(t *testing.T) {
	tmp, tool := buildGoTool(t)
	proxy := filepath.Join(tmp, "proxy")
	writeProxyModule(t, proxy, "example.com/far", "v1.0.0", map[string]string{
		"go.mod": "module example.com/far\n\ngo 1.16\n",
		"far.go": "package far\n\nconst F = 1\n",
	})
	writeProxyModule(t, proxy, "example.com/dep", "v1.0.0", map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.16\n\nrequire example.com/far v1.0.0\n",
		"dep.go": "package dep\n\nconst D = 2\n",
	})
	src := filepath.Join(tmp, "src")
	writeFiles(t, src, map[string]string{
		"go.mod":  "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
		"main.go": "package main\n\nimport \"example.com/dep\"\n\nfunc main() { println(dep.D) }\n",
	})
	base := append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-modcacherw", "GOSUMDB=off", "GOTOOLCHAIN=local",
		"GOCACHE="+filepath.Join(tmp, "gocache"))
	withCache := func(modcache, proxy string) []string {
		return append(slices.Clone(base), "GOMODCACHE="+modcache, "GOPROXY="+proxy)
	}
	runGo(t, withCache(filepath.Join(tmp, "mc"), "file://"+proxy), src, "mod", "tidy")
	imp := filepath.Join(tmp, "imports.txt")
	toolRunner(t, tool, withCache(filepath.Join(tmp, "mc"), "off"))(src, "imports", "-o", imp, ".")

	seed, pruned, deps := filepath.Join(tmp, "seed"), filepath.Join(tmp, "pruned"), filepath.Join(tmp, "deps.txt")
	toolRunner(t, tool, withCache(filepath.Join(tmp, "dl"), "file://"+proxy))(src, "download", "-seed", seed, "-slim", "-seed-only")
	if out := toolRunner(t, tool, withCache(filepath.Join(tmp, "pc"), "off"))(src, "prune", "-imports", imp, "-o", pruned, "-deps", deps, "-fetch-seed", seed); strings.Contains(out, "failed") {
		t.Errorf("prune:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(pruned, "example.com/far@v1.0.0")); err == nil {
		t.Errorf("the pruned cache holds far's files, and no package of far is built")
	}
	readOnly := append(withCache(pruned, "off"), "GOFLAGS=-mod=readonly")
	if out := runGo(t, readOnly, src, "mod", "graph"); !strings.Contains(out, "example.com/dep@v1.0.0 example.com/far@v1.0.0") {
		t.Errorf("go mod graph from the pruned cache:\n%s", out)
	}
	runGo(t, readOnly, src, "build", "-o", filepath.Join(tmp, "m"), ".")
}
