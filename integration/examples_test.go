package integration

import (
	"strings"
	"testing"

	"github.com/moby/buildkit/client"
)

// Helpers for the example tests: build an example (or an edited copy) into
// the registry, run any binary of an image.

// pushExample builds the spec in dir through the frontend and pushes the image;
// it returns the reference and what the solve reported.
func (l *lab) pushExample(t *testing.T, dir, name string, attrs map[string]string) (string, *progress) {
	t.Helper()
	ref := l.ref(name)
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", attrs,
		client.ExportEntry{Type: client.ExporterImage, Attrs: map[string]string{"name": ref, "push": "true"}})
	if err != nil {
		t.Fatalf("build %s (%v): %v\n%s", dir, attrs, err, p.allLogs())
	}
	return ref, p
}

// runArgv runs argv (not the image's entrypoint) in the image.
func (l *lab) runArgv(t *testing.T, ref string, img *image, argv ...string) string {
	t.Helper()
	return l.runInImage(t, ref, withoutEntrypoint(img), argv...)
}

// withoutEntrypoint is img with no entrypoint, to run another program.
func withoutEntrypoint(img *image) *image {
	cp := *img
	cp.Config.Config.Entrypoint = nil
	return &cp
}

// imageFor returns the image of platform p (e.g. linux/arm64) in ref.
func imageFor(t *testing.T, ref, p string) *image {
	t.Helper()
	var got []string
	for _, img := range images(t, ref) {
		if platformString(img.Platform) == p {
			return img
		}
		got = append(got, platformString(img.Platform))
	}
	t.Fatalf("no %s image in %s (has %v)", p, ref, got)
	return nil
}

func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}
