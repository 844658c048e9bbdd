package integration

import (
	"context"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
)

// Capability: the builder image is replaceable by a named context, the way
// air-gapped users pin their own Go image.

func TestBuildContextReplacesBuilder(t *testing.T) {
	l := requireLab(t)
	// an alternative builder: the lab's golang image plus a marker under
	// /usr/share/zoneinfo, which goscratch copies into the image
	alt := l.ref("altgo")
	st := llb.Image(l.Registry + "/library/golang:1.26").
		File(llb.Mkfile("/usr/share/zoneinfo/GOSCRATCH-ALT-BUILDER", 0o644, []byte("alt\n")))
	def, err := st.Marshal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := l.client(t).Solve(ctx, def, client.SolveOpt{Exports: []client.ExportEntry{{
		Type:  client.ExporterImage,
		Attrs: map[string]string{"name": alt, "push": "true"},
	}}}, nil); err != nil {
		t.Fatalf("push alternative builder: %v", err)
	}

	// examples/hello's go.mod says `go 1.26.8`, so its builder is golang:1.26.8
	ref := l.ref("hello-alt")
	l.buildx(t, repoPath("examples/hello"), "-f", repoPath("examples/hello/goscratch.yaml"),
		"--platform", "linux/amd64", "--build-context", "golang:1.26.8=docker-image://"+alt,
		"-t", ref, "--push")
	imgs := images(t, ref)
	if len(imgs) != 1 {
		t.Fatalf("%d images, want 1", len(imgs))
	}
	if _, ok := imgs[0].files(t)["/usr/share/zoneinfo/GOSCRATCH-ALT-BUILDER"]; !ok {
		t.Errorf("the image was not built with the --build-context builder %s", alt)
	}
}
