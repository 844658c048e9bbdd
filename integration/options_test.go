package integration

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
)

// Capability: the standard build options of the Dockerfile frontend work the
// same way with goscratch.

func TestSyntaxDirective(t *testing.T) {
	l := requireLab(t)
	// no BUILDKIT_SYNTAX: the spec's `# syntax=ghcr.io/goscratch/goscratch:v1`
	// line selects the frontend (the lab mirrors ghcr.io to its registry)
	ref := l.ref("hello-syntax")
	run(t, "docker", "buildx", "build", "--builder", l.Builder, "--progress", "plain",
		"-f", repoPath("examples/hello/goscratch.yaml"), "--platform", "linux/arm64",
		"-t", ref, "--push", repoPath("examples/hello"))
	imgs := images(t, ref)
	if len(imgs) != 1 || imgs[0].Platform.Architecture != "arm64" {
		t.Fatalf("want one linux/arm64 image, got %d", len(imgs))
	}
	if _, ok := imgs[0].files(t)["/usr/local/bin/hello"]; !ok {
		t.Errorf("no binary in the image")
	}
}

func TestLabelsNoCacheAndEpoch(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), "main: .\nlabels: {team: spec, tier: spec}\n")
	ref := l.ref("hello-options")
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", map[string]string{
		"platform":                    "linux/amd64",
		"label:tier":                  "request",
		"no-cache":                    "",
		"build-arg:SOURCE_DATE_EPOCH": "1700000000",
	}, client.ExportEntry{Type: client.ExporterImage, Attrs: map[string]string{"name": ref, "push": "true"}})
	if err != nil {
		t.Fatalf("build: %v\n%s", err, p.allLogs())
	}
	for _, v := range p.vertex("[linux/amd64] go build") {
		if v.Cached {
			t.Errorf("--no-cache: %q was cached", v.Name)
		}
	}
	img := images(t, ref)[0]
	if got := img.Config.Config.Labels; got["team"] != "spec" || got["tier"] != "request" {
		t.Errorf("labels %v: want the spec's, with --label overriding", got)
	}
	epoch := time.Unix(1700000000, 0).UTC()
	if img.Config.Created == nil || !img.Config.Created.Equal(epoch) {
		t.Errorf("created %v, want SOURCE_DATE_EPOCH %v", img.Config.Created, epoch)
	}
	for name, f := range img.files(t) {
		if !f.Header.ModTime.Equal(epoch) {
			t.Errorf("%s: mtime %v, want SOURCE_DATE_EPOCH", name, f.Header.ModTime)
			break
		}
	}
}
