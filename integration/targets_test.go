package integration

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Capability: several images from one spec, chosen with --target, sharing
// the module download and the Go build cache (examples/multi-target).

func TestMultiTargetExample(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/multi-target")
	for _, tc := range []struct {
		target string
		bins   []string
		out    string
	}{
		{"api", []string{"api"}, "api 1.0.0 (multi-target example)"},
		{"worker", []string{"worker"}, "worker 1.0.0 (multi-target example) once=true"},
		{"debug", []string{"api", "worker"}, "api 1.0.0-debug (multi-target example)"},
	} {
		ref := l.ref("multi-target-" + tc.target)
		l.buildx(t, dir, "-f", filepath.Join(dir, "goscratch.yaml"), "--target", tc.target,
			"--platform", "linux/arm64", "-t", ref, "--push")
		img := imageFor(t, ref, "linux/arm64")
		files := img.files(t)
		var bins []string
		for f := range files {
			if name, ok := strings.CutPrefix(f, "/usr/local/bin/"); ok && name != "" {
				bins = append(bins, name)
			}
		}
		slices.Sort(bins)
		if !slices.Equal(bins, tc.bins) {
			t.Errorf("--target %s: binaries %v, want %v", tc.target, bins, tc.bins)
		}
		// as a container runtime would: entrypoint + the image's cmd
		wantContains(t, "--target "+tc.target, l.runInImage(t, ref, img, img.Config.Config.Cmd...), tc.out)
	}
}

// TestTargetsShareDownloadAndBuildCache builds --target api, then --target
// worker: the worker reuses the api's download step, and the Go build
// cache already holds the package both import.
func TestTargetsShareDownloadAndBuildCache(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/multi-target"))
	// a package no earlier run compiled (the daemon's caches outlive test runs)
	shared := filepath.Join(dir, "internal/shared/nonce.go")
	writeFile(t, shared, "package shared\n\nconst nonce = \""+nonce()+nonce()+"\"\n")
	// and a worker main no earlier run compiled: the nonce above is not in
	// shared's export data, so it alone does not make go recompile the
	// worker's main, which an earlier run may have left in the cache
	writeFile(t, filepath.Join(dir, "cmd/worker/nonce.go"), "package main\n\nvar nonce = \""+nonce()+"\"\n")
	spec, err := os.ReadFile(filepath.Join(dir, "goscratch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), string(spec)+"goflags: [-x]\n")
	const pkg = "-p example.com/multitarget/internal/shared "

	attrs := map[string]string{"platform": "linux/amd64", "target": "api"}
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs)
	if err != nil {
		t.Fatalf("--target api: %v\n%s", err, p.allLogs())
	}
	if api := p.vertex("[linux/amd64] go build ./cmd/api"); len(api) != 1 || !strings.Contains(string(p.logs[api[0].Digest]), pkg) {
		t.Fatalf("--target api did not compile internal/shared: %v", p.names())
	}

	attrs["target"] = "worker"
	_, p, err = l.solveSpec(t, dir, "goscratch.yaml", attrs)
	if err != nil {
		t.Fatalf("--target worker: %v\n%s", err, p.allLogs())
	}
	if dl := p.vertex("go mod download"); len(dl) != 1 || !dl[0].Cached {
		t.Errorf("--target worker must reuse the download step of --target api; got %v", dl)
	}
	worker := p.vertex("[linux/amd64] go build ./cmd/worker")
	if len(worker) != 1 || worker[0].Cached {
		t.Fatalf("--target worker: want its go build to run; got %v in %q", worker, p.names())
	}
	log := string(p.logs[worker[0].Digest])
	if !strings.Contains(log, "-p main ") {
		t.Errorf("go build -x of the worker did not compile package main:\n%s", log)
	}
	if strings.Contains(log, pkg) {
		t.Errorf("the worker recompiled internal/shared: the build cache is not shared between targets:\n%s", log)
	}
}
