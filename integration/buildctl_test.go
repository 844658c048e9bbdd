package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Capability: the frontend image works with plain buildctl and gateway.v0,
// as on a remote or Kubernetes BuildKit.

func TestBuildctlGateway(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/hello")
	ref := l.ref("hello-buildctl")
	meta := filepath.Join(t.TempDir(), "metadata.json")
	run(t, "buildctl", "--addr", l.BuildkitAddr, "build",
		"--frontend", "gateway.v0", "--opt", "source="+l.Frontend,
		"--local", "context="+dir, "--local", "dockerfile="+dir, "--opt", "filename=goscratch.yaml",
		"--output", "type=image,name="+ref+",push=true", "--metadata-file", meta)
	// the digest for the next step of a pipeline
	var md struct {
		Digest string `json:"containerimage.digest"`
	}
	if dt, err := os.ReadFile(meta); err != nil || json.Unmarshal(dt, &md) != nil {
		t.Fatalf("buildctl --metadata-file: %v", err)
	}
	if want := manifestDigest(t, ref); md.Digest != want {
		t.Errorf("buildctl --metadata-file gives %q, the registry has %s", md.Digest, want)
	}
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
