package integration

import (
	"slices"
	"testing"
)

// Capability: the frontend image works with plain buildctl and gateway.v0,
// as on a remote or Kubernetes BuildKit.

func TestBuildctlGateway(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/hello")
	ref := l.ref("hello-buildctl")
	run(t, "buildctl", "--addr", l.BuildkitAddr, "build",
		"--frontend", "gateway.v0", "--opt", "source="+l.Frontend,
		"--local", "context="+dir, "--local", "dockerfile="+dir, "--opt", "filename=goscratch.yaml",
		"--output", "type=image,name="+ref+",push=true")
	// no --platform: the spec's default platforms apply
	var got []string
	for _, img := range images(t, ref) {
		got = append(got, platformString(img.Platform))
	}
	slices.Sort(got)
	if want := []string{"linux/amd64", "linux/arm64"}; !slices.Equal(got, want) {
		t.Errorf("platforms %v, want the spec's %v", got, want)
	}
}
