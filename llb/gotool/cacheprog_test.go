package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDependencyLayer runs the real go command through gotool: deps lists
// the dependencies, precompile fills a layer with them, and a build in
// another directory with that layer read-only compiles only its own
// package. It fails if the layer misses an entry, if the action ids differ
// between the two directories, or if cacheprog mangles an entry.
func TestDependencyLayer(t *testing.T) {
	if !hasCacheProg(goVersion(t)) {
		t.Skip("the host Go has no GOCACHEPROG")
	}
	tmp := t.TempDir()
	tool := filepath.Join(tmp, "gotool")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("building gotool: %v\n%s", err, out)
	}
	gomod := filepath.Join(tmp, "gomod") // go.mod only, as in the precompile step
	src := filepath.Join(tmp, "src")     // the whole module, as in the build step
	layer, shared := filepath.Join(tmp, "layer"), filepath.Join(tmp, "shared")
	writeFiles(t, gomod, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n"})
	writeFiles(t, src, map[string]string{
		"go.mod":         "module example.com/m\n\ngo 1.22\n",
		"main.go":        "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/inner\"\n)\n\nfunc main() { fmt.Println(inner.V) }\n",
		"inner/inner.go": "package inner\n\nimport \"strconv\"\n\nvar V = strconv.Itoa(42)\n",
	})
	env := append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=", "GOCACHE="+filepath.Join(tmp, "unused"), "GOOS=linux", "GOARCH=arm64")
	run := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(tool, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("gotool %v: %v\n%s", args, err, out)
		}
		return string(out)
	}

	list := filepath.Join(tmp, "deps.txt")
	run(src, "deps", "-o", list, ".")
	pkgs := strings.Fields(readFile(t, list))
	for _, want := range []string{"fmt", "strconv", "runtime"} {
		if !slices.Contains(pkgs, want) {
			t.Errorf("deps lacks %s: %v", want, pkgs)
		}
	}
	for _, own := range []string{"example.com/m", "example.com/m/inner"} {
		if slices.Contains(pkgs, own) {
			t.Errorf("deps lists the module's own package %s", own)
		}
	}

	out := run(gomod, "precompile", "-list", list, "-cache-out", layer, "-cache-rw", shared, "--", "-trimpath", "-v")
	if !strings.Contains(out, "\nfmt\n") && !strings.HasPrefix(out, "fmt\n") {
		t.Errorf("precompile did not compile fmt:\n%s", out)
	}

	// a build with only the layer (the shared cache empty, as on a fresh
	// runner) compiles the module's two packages and nothing else
	out = run(src, "build", "-cache-rw", filepath.Join(tmp, "fresh"), "-cache-ro", layer, "--", "-trimpath", "-v", "-o", filepath.Join(tmp, "bin"), ".")
	var compiled []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" {
			compiled = append(compiled, l)
		}
	}
	slices.Sort(compiled)
	if want := []string{"example.com/m", "example.com/m/inner"}; !slices.Equal(compiled, want) {
		t.Errorf("build with the dependency layer compiled %v, want only %v", compiled, want)
	}

	// the shared cache got what precompile compiled: a precompile for
	// another layer takes it from there, copying it into its own layer
	layer2 := filepath.Join(tmp, "layer2")
	out = run(gomod, "precompile", "-list", list, "-cache-out", layer2, "-cache-rw", shared, "--", "-trimpath", "-v")
	if strings.Contains(out, "\nfmt\n") || strings.HasPrefix(out, "fmt\n") {
		t.Errorf("second precompile recompiled fmt:\n%s", out)
	}
	out = run(src, "build", "-cache-rw", filepath.Join(tmp, "fresh2"), "-cache-ro", layer2, "--", "-trimpath", "-v", "-o", filepath.Join(tmp, "bin2"), ".")
	if strings.Contains(out, "strconv") {
		t.Errorf("the second layer lacks strconv: the build compiled it:\n%s", out)
	}
}

func goVersion(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHasCacheProg(t *testing.T) {
	for v, want := range map[string]bool{
		"go1.26.8": true, "go1.24": true, "go1.24rc1": true, "go1.23rc2": false, "go1.23.4": false,
		"go1.21.0": false, "go2.0": true, "devel +abc": true, "": false,
	} {
		if got := hasCacheProg(v); got != want {
			t.Errorf("hasCacheProg(%q) = %v, want %v", v, got, want)
		}
	}
}
