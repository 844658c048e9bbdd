package integration

import (
	"path/filepath"
	"testing"
)

// Capability: real module layouts: a vendor/ directory (no download step),
// a go.work workspace of several modules, a module in a subdirectory of the
// context (examples/vendor, examples/workspace).

func TestVendorExample(t *testing.T) {
	l := requireLab(t)
	ref, p := l.pushExample(t, repoPath("examples/vendor"), "vendor", map[string]string{"platform": "linux/amd64,linux/arm64"})
	if dl := p.vertex("go mod download"); len(dl) != 0 {
		t.Errorf("a vendored module has a download step: %q", p.names())
	}
	for _, plat := range []string{"linux/amd64", "linux/arm64"} {
		img := imageFor(t, ref, plat)
		if err := checkStatic(img.files(t)["/usr/local/bin/vendored"].Data, img.Platform.Architecture); err != nil {
			t.Errorf("%s: %v", plat, err)
		}
		// the spec sets GOPROXY=off: the errgroup in the binary came from vendor/
		wantContains(t, plat+" vendored", l.runInImage(t, ref, img), "vendored errgroup: [10 20 30]")
	}
}

func TestWorkspaceExample(t *testing.T) {
	l := requireLab(t)
	ref, p := l.pushExample(t, repoPath("examples/workspace"), "workspace", map[string]string{"platform": "linux/arm64"})
	if cp := p.vertex("copy app/go.mod app/go.sum go.work go.work.sum lib/go.mod lib/go.sum"); len(cp) != 1 {
		t.Errorf("the download step's input is not go.work and every module's go.mod and go.sum: %q", p.names())
	}
	img := imageFor(t, ref, "linux/arm64")
	wantContains(t, "workspace app", l.runInImage(t, ref, img), "workspace squares: [0 1 4 9]")
}

// TestWorkspaceSourceEditKeepsDownload: an edit in a workspace module's
// source does not re-run the download, whose inputs are only the mod files.
func TestWorkspaceSourceEditKeepsDownload(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/workspace"))
	attrs := map[string]string{"platform": "linux/amd64"}
	if _, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs); err != nil {
		t.Fatalf("first build: %v\n%s", err, p.allLogs())
	}
	writeFile(t, filepath.Join(dir, "lib/nonce.go"), "package lib\n\nconst nonce = \""+nonce()+"\"\n")
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs)
	if err != nil {
		t.Fatalf("build after an edit: %v\n%s", err, p.allLogs())
	}
	if dl := p.vertex("go mod download"); len(dl) != 1 || !dl[0].Cached {
		t.Errorf("after a source edit in lib/ the download must be cached; got %v", dl)
	}
	if b := p.vertex("[linux/amd64] go build ."); len(b) != 1 || b[0].Cached {
		t.Errorf("after a source edit in lib/ go build must run; got %v", b)
	}
}
