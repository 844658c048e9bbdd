package integration

import (
	"bytes"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/moby/buildkit/client"
)

// Capability: fast builds on ephemeral CI runners. The module download, the
// module cache pruned to what the build reads, the precompiled dependencies
// and the precompiled own packages are real layers, so --cache-to carries
// them to a fresh BuildKit: after an edit in a main package, a new daemon
// with --cache-from and an empty state downloads no module and compiles
// only that main package.

func TestEphemeralRunnerReusesModulesAndDependencies(t *testing.T) {
	l := requireLab(t)
	work := shortTempDir(t)
	proxy := startCountingProxy(t)
	cacheDir := filepath.Join(work, "cache")

	// the workspace example: its main module is app/ (a subdirectory of the
	// context), its own package lib is another workspace module's, which
	// imports a module from the proxy; -v makes go build print what it
	// compiles
	dir := copyDir(t, repoPath("examples/workspace"))
	appendFile(t, filepath.Join(dir, "goscratch.yaml"), "goflags: [-v]\n")
	app := filepath.Join(dir, "app")
	const anchor = "workspace squares:"
	editSource(t, app, anchor, anchor+" "+nonce())
	attrs := map[string]string{
		"platform":          "linux/amd64,linux/arm64",
		"build-arg:GOPROXY": proxy.url,
	}

	// job 1 on a fresh runner: build, export the cache. A local cache that
	// does not exist yet is not imported (the client drops it), so the
	// frontend's auto mode would pick mounts: the first job asks for the
	// layers (a gha or registry cache is always imported).
	d, own := exportLayersCache(t, l, dir, attrs, cacheDir)
	if proxy.count() == 0 {
		t.Fatalf("the first job downloaded nothing through the counting proxy: the test does not see the downloads")
	}

	// the exported cache holds the package the build reads of
	// golang.org/x/sync and no whole module cache: not its other packages,
	// not its tests (issue #17: the module layer no bigger than the
	// packages the builds read)
	const xsync = "golang.org/x/sync@v0.19.0/"
	var reads int
	files := scanDir(t, cacheDir, func(where string, dt []byte) {
		if bytes.Contains(dt, []byte(xsync+"errgroup/errgroup.go")) {
			reads++
		}
		for _, unread := range []string{xsync + "errgroup/errgroup_test.go", xsync + "semaphore/", xsync + "singleflight/"} {
			if bytes.Contains(dt, []byte(unread)) {
				t.Errorf("%s holds %s, which no build reads: a whole module cache was exported", where, unread)
			}
		}
	})
	if reads == 0 {
		t.Errorf("no blob of the %d-file cache export holds %serrgroup/errgroup.go: the build's pruned module cache was not exported", files, xsync)
	}

	// job 2 on a new runner: no BuildKit state, a one-line edit, --cache-from
	// (auto mode: the import makes it build the layers)
	d.wipe(t)
	proxy.reset()
	marker := "edited on a fresh runner " + nonce()
	editSource(t, app, anchor, marker)
	ref := l.ref("workspace-ephemeral")
	res, p, err := own.solveSpecWith(t, dir, "goscratch.yaml", attrs, func(o *client.SolveOpt) {
		o.CacheImports = []client.CacheOptionsEntry{{Type: "local", Attrs: map[string]string{"src": cacheDir}}}
		o.Exports = []client.ExportEntry{{Type: client.ExporterImage, Attrs: map[string]string{"name": ref, "push": "true"}}}
	})
	if err != nil {
		t.Fatalf("second job: %v\n%s", err, p.allLogs())
	}
	if n := proxy.count(); n != 0 {
		t.Errorf("the job with --cache-from made %d module proxy requests, want 0: %v", n, proxy.paths())
	}
	// the build reads the pruned module cache: prune's layer, like the
	// precompiled ones, comes from the cache (the imports and the own
	// packages did not change)
	for _, name := range []string{"go mod download", "[linux/amd64] precompile dependencies", "[linux/arm64] precompile dependencies",
		"[linux/amd64] module packages of .", "[linux/arm64] module packages of .",
		"[linux/amd64] precompile own packages of .", "[linux/arm64] precompile own packages of ."} {
		v := p.vertex(name)
		if len(v) != 1 || !v[0].Cached {
			t.Errorf("%q must come from the imported cache; got %v in %q", name, v, p.names())
		}
	}
	for _, plat := range []string{"linux/amd64", "linux/arm64"} {
		name := "[" + plat + "] go build ."
		b := p.vertex(name)
		if len(b) != 1 || b[0].Cached {
			t.Errorf("%s must run after the edit; got %v", name, b)
		}
		// only the edited main package compiles: lib and its module
		// dependency come from the imported layers
		if got := p.compiled(name); !slices.Equal(got, []string{"example.com/ws/app"}) {
			t.Errorf("%s compiled %q, want only the edited main package example.com/ws/app", name, got)
		}
	}
	// the cache layers change nothing in the image: the lab's daemon, with
	// its cache mounts only (no import: auto mode picks mounts), makes the
	// same index from the same source
	if got, want := res.ExporterResponse["containerimage.digest"], digestOf(l.pushSpec(t, dir, "goscratch.yaml", attrs)); got != want {
		t.Errorf("image built with --cache-from on a fresh runner: %s, the same build on the lab's daemon: %s", got, want)
	}
	// the image is the edited program
	for _, img := range images(t, ref) {
		bin, ok := img.files(t)["/usr/local/bin/app"]
		if !ok {
			t.Errorf("%s image has no /usr/local/bin/app", platformString(img.Platform))
		} else if !strings.Contains(string(bin.Data), marker) {
			t.Errorf("%s binary lacks the edit %q", platformString(img.Platform), marker)
		}
	}
}

// shortTempDir is a temp dir with a short path (unix socket paths are
// limited to 108 bytes), removed at the end.
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gs-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// countingProxy forwards to the Go module proxy the host uses and counts
// the requests, so a test can prove a build downloaded nothing.
type countingProxy struct {
	url string
	mu  sync.Mutex
	got []string
}

func startCountingProxy(t *testing.T) *countingProxy {
	t.Helper()
	out, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), ",")
	first, _, _ = strings.Cut(first, "|")
	upstream, err := url.Parse(first)
	if err != nil || upstream.Scheme == "" || upstream.Host == "" {
		t.Skipf("go env GOPROXY %q names no module proxy to count requests for", out)
	}
	p := &countingProxy{}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(upstream) // sets the Host header to upstream's too
	}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.got = append(p.got, r.URL.Path)
		p.mu.Unlock()
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	p.url = "http://" + ln.Addr().String()
	return p
}

func (p *countingProxy) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.got)
}

func (p *countingProxy) paths() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.got...)
}

func (p *countingProxy) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = nil
}

// exportLayersCache is a CI job's first build on a fresh runner: a private
// buildkitd builds the spec in dir in the layers cache mode and exports
// the cache (mode=max) to the local cache directory cacheDir. It returns
// the daemon, for the next job to wipe, and the lab on it.
func exportLayersCache(t *testing.T, l *lab, dir string, attrs map[string]string, cacheDir string) (*privateBuildkitd, *lab) {
	t.Helper()
	d := startPrivateBuildkitd(t, l)
	own := d.on(l)
	first := maps.Clone(attrs)
	first["build-arg:GOSCRATCH_CACHE"] = "layers"
	_, p, err := own.solveSpecWith(t, dir, "goscratch.yaml", first, func(o *client.SolveOpt) {
		o.CacheExports = []client.CacheOptionsEntry{{Type: "local", Attrs: map[string]string{"dest": cacheDir, "mode": "max"}}}
	})
	if err != nil {
		t.Fatalf("first job: %v\n%s", err, p.allLogs())
	}
	return d, own
}
