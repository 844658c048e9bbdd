package integration

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Capability: caches in the right place. A source edit reuses the module
// download and the Go build cache; a go.sum change re-runs the download.

const cacheSpec = `main: .
goflags: [-x]
`

func TestSourceEditKeepsDownloadAndBuildCache(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), cacheSpec)
	attrs := map[string]string{"platform": "linux/arm64"}

	// the first build must really run (not be a cache hit from an earlier
	// run), so that it is what fills the Go build cache
	editSource(t, dir, "hello from goscratch", "hello from goscratch "+nonce())
	if _, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs); err != nil {
		t.Fatalf("first build: %v\n%s", err, p.allLogs())
	}
	// a unique edit: the daemon's cache outlives test runs
	editSource(t, dir, "hello from goscratch", "hello from goscratch, edited "+nonce()+",")
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs)
	if err != nil {
		t.Fatalf("build after a source edit: %v\n%s", err, p.allLogs())
	}
	dl := p.vertex("go mod download")
	if len(dl) != 1 || !dl[0].Cached {
		t.Fatalf("after a source edit `go mod download` must be cached; got %v in %q", dl, p.names())
	}
	builds := p.vertex("[linux/arm64] go build .")
	if len(builds) != 1 || builds[0].Cached {
		t.Fatalf("after a source edit `go build` must run; got %v in %q", builds, p.names())
	}
	// no --cache-from: the cache mounts alone (GOSCRATCH_CACHE=auto), so an
	// edit runs no dependency listing before go build
	for _, name := range p.names() {
		if strings.Contains(name, "list imports") || strings.Contains(name, "scan imports") || strings.Contains(name, "module packages") || strings.Contains(name, "precompile") {
			t.Errorf("a build without --cache-from ran %q; auto mode must use the cache mounts only", name)
		}
	}
	log := string(p.logs[builds[0].Digest])
	if !strings.Contains(log, "-p main ") {
		t.Errorf("go build -x did not compile package main:\n%s", log)
	}
	if strings.Contains(log, "-p golang.org/x/sync/errgroup ") {
		t.Errorf("go build recompiled golang.org/x/sync/errgroup: the Go build cache was not reused:\n%s", log)
	}
}

func TestGoSumChangeRerunsDownload(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), cacheSpec)
	attrs := map[string]string{"platform": "linux/amd64"}
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs)
	if err != nil {
		t.Fatalf("first build: %v\n%s", err, p.allLogs())
	}
	// a go.sum line no earlier run has seen (the daemon's cache outlives
	// test runs); go mod download accepts lines for modules it does not need
	sum := filepath.Join(dir, "go.sum")
	dt, err := os.ReadFile(sum)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, sum, string(dt)+"example.com/goscratch-nonce v1.0.0/go.mod h1:"+base64.StdEncoding.EncodeToString([]byte(nonce()+nonce()+nonce()+nonce()))+"\n")
	_, p, err = l.solveSpec(t, dir, "goscratch.yaml", attrs)
	if err != nil {
		t.Fatalf("build after go.sum change: %v\n%s", err, p.allLogs())
	}
	dl := p.vertex("go mod download")
	if len(dl) != 1 || dl[0].Cached {
		t.Fatalf("after a go.sum change `go mod download` must run again; got %v", dl)
	}
}

func editSource(t *testing.T, dir, old, new string) {
	t.Helper()
	p := filepath.Join(dir, "main.go")
	dt, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dt), old) {
		t.Fatalf("%s has no %q", p, old)
	}
	writeFile(t, p, strings.Replace(string(dt), old, new, 1))
}

// appendFile adds s to the end of the file at p.
func appendFile(t *testing.T, p, s string) {
	t.Helper()
	dt, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, p, string(dt)+s)
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// nonce is 8 random hex digits.
func nonce() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
