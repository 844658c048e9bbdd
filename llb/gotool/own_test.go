package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOwnPackagesLayer runs the layer cache mode's steps on a real module
// that lives below the context root and imports a module from a file
// proxy: imports -own (go list, on the builder) or scanimports -own (no go
// command) copies the own non-main packages (no main, no tests, nothing
// unimported, the embedded file and the module files; the scan also a
// package only another platform's file imports, which precompile leaves
// out), precompile compiles them into a layer that holds none of the
// dependency layer's entries, and the build in the context, given both
// layers and an empty shared cache (a fresh runner), compiles only the
// main package and makes the same binary as a plain go build.
func TestOwnPackagesLayer(t *testing.T) {
	tmp, tool := buildGoTool(t)
	proxy, mc := filepath.Join(tmp, "proxy"), filepath.Join(tmp, "mc")
	writeProxyModule(t, proxy, "example.com/dep", "v1.0.0", map[string]string{
		"go.mod": "module example.com/dep\n\ngo 1.22\n",
		"dep.go": "package dep\n\nfunc V() string { return \"dep\" }\n",
	})
	root := filepath.Join(tmp, "context")
	app := filepath.Join(root, "app")
	writeFiles(t, app, map[string]string{
		"go.mod":             "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.0.0\n",
		"main.go":            "package main\n\nimport (\n\t\"os\"\n\t\"example.com/m/lib\"\n)\n\nfunc main() { os.Stdout.WriteString(lib.V() + \"\\n\") }\n",
		"lib/lib.go":         "package lib\n\nimport (\n\t_ \"embed\"\n\t\"example.com/dep\"\n\t\"example.com/m/lib/inner\"\n)\n\n//go:embed data/v.txt\nvar data string\n\nfunc V() string { return dep.V() + inner.V() + data }\n",
		"lib/lib_test.go":    "package lib\n\nimport \"testing\"\n\nfunc TestV(t *testing.T) {}\n",
		"lib/lib_windows.go": "package lib\n\nimport _ \"example.com/m/winonly\"\n",
		"winonly/w.go":       "//go:build windows\n\npackage winonly\n",
		"lib/data/v.txt":     "embedded",
		"lib/data/more.txt":  "not embedded",
		"lib/inner/in.go":    "package inner\n\nfunc V() string { return \"+inner+\" }\n",
		"unused/unused.go":   "package unused\n",
		"cmd/other/main.go":  "package main\n\nfunc main() {}\n",
	})
	base := append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-modcacherw", "GOSUMDB=off", "GOTOOLCHAIN=local", "GOWORK=off")
	env := func(extra ...string) []string { return append(slices.Clone(base), extra...) }
	withModules := env("GOMODCACHE="+mc, "GOPROXY=file://"+proxy, "GOCACHE="+filepath.Join(tmp, "gocache-plain"))
	runGo(t, withModules, app, "mod", "tidy")
	plain := filepath.Join(tmp, "plain")
	runGo(t, withModules, app, "build", "-trimpath", "-o", plain, ".")

	dl := depStage{dir: tmp}
	for _, tc := range []struct {
		name    string
		args    []string
		own     []string
		winonly bool
	}{
		{"go list", []string{"imports", "-flag", "-trimpath"}, []string{"example.com/m/lib", "example.com/m/lib/inner"}, false},
		{"scan", []string{"scanimports"}, []string{"example.com/m/lib", "example.com/m/lib/inner", "example.com/m/winonly"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			testOwnLayer(t, tool, env, root, app, mc, plain, filepath.Join(tmp, "own"), slices.Concat(tc.args, []string{"-o", filepath.Join(tmp, "imports.txt")}), tc.own, tc.winonly, &dl)
		})
	}
}

// testOwnLayer is one case of TestOwnPackagesLayer: args (with -o
// tmp/imports.txt) make the imports list and the own sources' copy.
func testOwnLayer(t *testing.T, tool string, env func(...string) []string, root, app, mc, plain, own string, args, wantOwn []string, winonly bool, dl *depStage) {
	tmp := filepath.Dir(own)
	ownList, imp := filepath.Join(tmp, "own.txt"), filepath.Join(tmp, "imports.txt")
	toolRunner(t, tool, env("GOMODCACHE="+mc, "GOPROXY=off"))(app, slices.Concat(args, []string{"-own-src", own, "-own-list", ownList, "-root", root, "."})...)
	if got := strings.Fields(readFile(t, ownList)); !slices.Equal(got, wantOwn) {
		t.Errorf("own packages %q, want %q", got, wantOwn)
	}
	var files []string
	err := filepath.WalkDir(own, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(own, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"app/go.mod", "app/go.sum", "app/lib/data/v.txt", "app/lib/inner/in.go", "app/lib/lib.go", "app/lib/lib_windows.go"}
	if winonly {
		want = append(want, "app/winonly/w.go")
	}
	if !slices.Equal(files, want) {
		t.Errorf("own sources:\n got %q\nwant %q", files, want)
	}

	// the dependency layer (made once, from the first case's imports), then
	// the own packages' layer over it
	if dl.depLayer == "" {
		dl.pruned, dl.depLayer, dl.shared = filepath.Join(dl.dir, "pruned"), filepath.Join(dl.dir, "deplayer"), filepath.Join(dl.dir, "shared")
		deps, gomod := filepath.Join(dl.dir, "deps.txt"), filepath.Join(dl.dir, "gomod")
		writeFiles(t, gomod, map[string]string{"go.mod": readFile(t, filepath.Join(app, "go.mod")), "go.sum": readFile(t, filepath.Join(app, "go.sum"))})
		toolRunner(t, tool, env("GOMODCACHE="+mc, "GOPROXY=off"))(gomod, "prune", "-imports", imp, "-o", dl.pruned, "-deps", deps, "-flag", "-trimpath")
		// the shared cache is a warm builder's: it holds the dependencies too
		toolRunner(t, tool, env("GOMODCACHE="+dl.pruned, "GOPROXY=off"))(gomod, "precompile", "-list", deps, "-cache-out", dl.depLayer, "-cache-rw", dl.shared, "--", "-trimpath")
	}
	pruned, depLayer, shared := dl.pruned, dl.depLayer, dl.shared
	fromPruned := env("GOMODCACHE="+pruned, "GOPROXY=off", "GOCACHE="+filepath.Join(tmp, "gocache-unused"))
	ownLayer := filepath.Join(tmp, "ownlayer")
	out := toolRunner(t, tool, fromPruned)(filepath.Join(own, "app"), "precompile", "-list", ownList,
		"-cache-out", ownLayer, "-cache-ro", depLayer, "-cache-rw", shared, "--", "-trimpath")
	if skipped := strings.Contains(out, "1 of the 3 packages do not load for this platform"); skipped != winonly {
		t.Errorf("precompile skipped a package that does not build here: %v, want %v:\n%s", skipped, winonly, out)
	}
	depEntries, ownEntries := actionIDs(t, depLayer), actionIDs(t, ownLayer)
	if len(ownEntries) == 0 {
		t.Fatal("the own packages' layer is empty")
	}
	for id := range ownEntries {
		if depEntries[id] {
			t.Errorf("the own packages' layer copied the dependency layer's entry %s", id)
		}
	}

	// a fresh runner's build: compiles main only, same binary
	built := filepath.Join(tmp, "built")
	out = toolRunner(t, tool, fromPruned)(app, "build", "-cache-rw", filepath.Join(tmp, "fresh"), "-cache-ro", depLayer, "-cache-ro", ownLayer,
		"--", "-trimpath", "-x", "-o", built, ".")
	for _, pkg := range []string{"example.com/m/lib", "example.com/m/lib/inner", "example.com/dep", "runtime"} {
		if strings.Contains(out, " -p "+pkg+" ") {
			t.Errorf("the build compiled %s, which a layer has", pkg)
		}
	}
	if !strings.Contains(out, " -p main ") {
		t.Errorf("the build did not compile the main package:\n%s", out)
	}
	if !bytes.Equal([]byte(readFile(t, plain)), []byte(readFile(t, built))) {
		t.Error("the binary built with the layers differs from a plain go build's")
	}
}

// depStage is the dependency layer TestOwnPackagesLayer's cases share: the
// pruned module cache, the layer, and a warm builder's shared cache, made
// in dir.
type depStage struct{ dir, pruned, depLayer, shared string }

// actionIDs are the action ids of the entries of a build cache directory.
func actionIDs(t *testing.T, dir string) map[string]bool {
	t.Helper()
	ids := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(d.Name(), "-a") {
			ids[strings.TrimSuffix(d.Name(), "-a")] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
