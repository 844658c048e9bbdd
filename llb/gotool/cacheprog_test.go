package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestDependencyLayer runs the real go command through gotool: imports and
// prune list the dependencies, precompile fills a layer with them, and a build in
// another directory with that layer read-only compiles only its own
// package. It fails if the layer misses an entry, if the action ids differ
// between the two directories, or if cacheprog mangles an entry.
func TestDependencyLayer(t *testing.T) {
	tmp, tool := buildGoTool(t)
	gomod := filepath.Join(tmp, "gomod") // go.mod only, as in the precompile step
	src := filepath.Join(tmp, "src")     // the whole module, as in the build step
	layer, shared := filepath.Join(tmp, "layer"), filepath.Join(tmp, "shared")
	writeFiles(t, gomod, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n"})
	writeFiles(t, src, map[string]string{
		"go.mod":         "module example.com/m\n\ngo 1.22\n",
		"main.go":        "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/inner\"\n)\n\nfunc main() { fmt.Println(inner.V) }\n",
		"inner/inner.go": "package inner\n\nimport \"strconv\"\n\nvar V = strconv.Itoa(42)\n",
	})
	env := append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=", "GOCACHE="+filepath.Join(tmp, "unused"), "GOOS=linux", "GOARCH=arm64",
		"GOMODCACHE="+filepath.Join(tmp, "modcache"), "GOPROXY=off")
	run := toolRunner(t, tool, env)

	list, imp := filepath.Join(tmp, "deps.txt"), filepath.Join(tmp, "imports.txt")
	run(src, "imports", "-o", imp, ".")
	run(gomod, "prune", "-imports", imp, "-o", filepath.Join(tmp, "pruned"), "-deps", list)
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

// TestDependencyLayerWithProfile is TestDependencyLayer for a main package
// with a default.pgo: precompile -pgo, given a copy of the profile at
// another path and no source, makes the layer the build (-pgo=auto) finds
// every dependency in, so the profile's path is not part of the action ids,
// only its content.
func TestDependencyLayerWithProfile(t *testing.T) {
	tmp, tool := buildGoTool(t)
	profile := cpuProfile(t)
	gomod, src, layer := filepath.Join(tmp, "gomod"), filepath.Join(tmp, "src"), filepath.Join(tmp, "layer")
	writeFiles(t, gomod, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\n"})
	writeFiles(t, src, map[string]string{
		"go.mod":            "module example.com/m\n\ngo 1.22\n",
		"cmd/m/main.go":     "package main\n\nimport \"example.com/m/inner\"\n\nfunc main() { println(inner.V) }\n",
		"cmd/m/default.pgo": profile,
		"inner/inner.go":    "package inner\n\nimport \"strconv\"\n\nvar V = strconv.Itoa(42)\n",
	})
	writeFiles(t, filepath.Join(tmp, "pgo"), map[string]string{"default.pgo": profile})
	env := append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=", "GOCACHE="+filepath.Join(tmp, "unused"), "GOOS=linux", "GOARCH=amd64",
		"GOMODCACHE="+filepath.Join(tmp, "modcache"), "GOPROXY=off")
	run := toolRunner(t, tool, env)
	list, imp := filepath.Join(tmp, "deps.txt"), filepath.Join(tmp, "imports.txt")
	run(src, "imports", "-o", imp, "./cmd/m")
	run(gomod, "prune", "-imports", imp, "-o", filepath.Join(tmp, "pruned"), "-deps", list)
	run(gomod, "precompile", "-list", list, "-cache-out", layer, "-pgo", filepath.Join(tmp, "pgo", "default.pgo"), "--", "-trimpath")
	bin := filepath.Join(tmp, "bin")
	out := run(src, "build", "-cache-rw", filepath.Join(tmp, "fresh"), "-cache-ro", layer, "--", "-trimpath", "-v", "-o", bin, "./cmd/m")
	compiled := strings.Fields(out)
	slices.Sort(compiled)
	if want := []string{"example.com/m/cmd/m", "example.com/m/inner"}; !slices.Equal(compiled, want) {
		t.Errorf("build with the layer precompiled with the profile compiled %v, want only %v", compiled, want)
	}
	if info, err := exec.Command("go", "version", "-m", bin).Output(); err != nil || !strings.Contains(string(info), "-pgo=default.pgo") {
		t.Errorf("the binary was not built with the profile (%v):\n%s", err, info)
	}
}

func TestPGOArgs(t *testing.T) {
	for _, tc := range []struct {
		profile, version string
		want             []string
	}{
		{"/p/default.pgo", "go1.26.8", []string{"-pgo=/p/default.pgo"}},
		{"/p/default.pgo", "go1.21.0", []string{"-pgo=/p/default.pgo"}},
		{"/p/default.pgo", "go1.20.14", nil}, // go build does not use default.pgo by itself
		{"", "go1.26.8", nil},
	} {
		if got := pgoArgs(tc.profile, tc.version); !slices.Equal(got, tc.want) {
			t.Errorf("pgoArgs(%q, %q) = %q, want %q", tc.profile, tc.version, got, tc.want)
		}
	}
}

// cpuProfile is a real CPU profile (pprof format) of a busy loop.
func cpuProfile(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		t.Skipf("no CPU profile: %v", err)
	}
	x := 0
	for start := time.Now(); time.Since(start) < 300*time.Millisecond; {
		x += len(strconv.Itoa(x))
	}
	pprof.StopCPUProfile()
	return buf.String()
}

// toolRunner runs the gotool binary tool with env in a directory and
// returns its output; a failure ends the test.
func toolRunner(t *testing.T, tool string, env []string) func(dir string, args ...string) string {
	return func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(tool, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("gotool %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
}

// buildGoTool builds gotool into a new temporary directory, which it
// returns with the binary's path; it skips the test when the host Go has
// no GOCACHEPROG.
func buildGoTool(t *testing.T) (tmp, tool string) {
	t.Helper()
	if !hasCacheProg(goVersion(t)) {
		t.Skip("the host Go has no GOCACHEPROG")
	}
	tmp = t.TempDir()
	tool = filepath.Join(tmp, "gotool")
	if out, err := exec.Command("go", "build", "-o", tool, ".").CombinedOutput(); err != nil {
		t.Fatalf("building gotool: %v\n%s", err, out)
	}
	return tmp, tool
}
