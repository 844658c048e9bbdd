package integration

import (
	"strings"
	"testing"
)

// Capability: the image runs as a real container, as the non-root user, with
// working time zones and CA certificates — natively and under qemu-user.

func TestImageRunsAmd64(t *testing.T) { testImageRuns(t, "amd64") }
func TestImageRunsArm64(t *testing.T) { testImageRuns(t, "arm64") }

func testImageRuns(t *testing.T, arch string) {
	l := requireLab(t)
	ref := helloImage(t, l)
	for _, img := range images(t, ref) {
		if img.Platform.Architecture != arch {
			continue
		}
		out := l.runInImage(t, ref, img, "-selfcheck")
		for _, want := range []string{"uid=65532 gid=65532", "zoneinfo: ok Europe/Paris CEST +0200", "certs: ok", "hello from goscratch dev"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s self-check output lacks %q:\n%s", arch, want, out)
			}
		}
		return
	}
	t.Fatalf("no %s image in %s", arch, ref)
}
