package integration

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gslab "github.com/goscratch/goscratch/internal/lab"
)

// TestMultiNodeBuilder: a buildx builder of two nodes on this machine, one
// buildkitd declaring linux/amd64 and one linux/arm64 (its steps run under
// the qemu binfmt), started by internal/lab like the lab's own. buildx sends
// each platform to its node and goscratch builds natively there (each
// platform's provenance names the builder image it ran: golang for the
// node's platform); linux/arm/v7, which no node declares, still
// cross-compiles; and every platform's manifest has the digest of the
// single-node, cross-compiled build: the image does not depend on which
// machine built it.
func TestMultiNodeBuilder(t *testing.T) {
	l := requireLab(t)
	ctx := context.Background()
	dir := t.TempDir()
	var nodes []gslab.BuilderNode
	for _, arch := range []string{"amd64", "arm64"} {
		d := gslab.NewDaemon(filepath.Join(dir, arch), l.Registry)
		d.Name = "node-" + arch
		d.Platforms = []string{"linux/" + arch}
		d.ReadyTimeout = 2 * time.Minute
		t.Cleanup(func() {
			if _, err := d.Stop(); err != nil {
				t.Error(err)
			}
		})
		if err := d.Start(ctx); err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, gslab.BuilderNode{Name: d.Name, Endpoint: d.Addr(), Platforms: d.Platforms})
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "goscratch-multinode-" + hex.EncodeToString(b)
	t.Cleanup(func() { _ = gslab.RemoveBuilder(context.Background(), name) })
	if _, err := gslab.EnsureBuilder(ctx, name, nodes, filepath.Join(dir, "buildx.log")); err != nil {
		t.Fatal(err)
	}
	if got, err := gslab.InspectBuilder(ctx, name, true); err != nil || len(got) != 2 {
		t.Fatalf("builder %s: nodes %+v, %v; want the two", name, got, err)
	}
	multi := *l
	multi.Builder = name
	want := platformDigests(t, helloImage(t, l)) // one node: amd64, arm64, arm/v7
	hello := repoPath("examples/hello")
	build := func(platforms string) string {
		ref := l.ref("hello-multinode")
		multi.buildx(t, hello, "-f", filepath.Join(hello, "goscratch.yaml"), "--platform", platforms, "-t", ref, "--push")
		return ref
	}
	// each platform on its node
	split := build("linux/amd64,linux/arm64")
	for platform, dgst := range platformDigests(t, split) {
		if dgst != want[platform] {
			t.Errorf("%s: two nodes built %s, one node %s; want the same digest", platform, dgst, want[platform])
		}
		if gp := builderImagePlatform(t, split, platform); gp != platform {
			t.Errorf("%s ran its Go steps on a %s builder, want its node's %s", platform, gp, platform)
		}
	}
	// a platform no node declares
	other := build("linux/arm/v7")
	if got := platformDigests(t, other)["linux/arm/v7"]; got != want["linux/arm/v7"] {
		t.Errorf("linux/arm/v7: two nodes built %s, one node %s; want the same digest", got, want["linux/arm/v7"])
	}
	if gp := builderImagePlatform(t, other, "linux/arm/v7"); gp != "linux/amd64" && gp != "linux/arm64" {
		t.Errorf("linux/arm/v7 ran its Go steps on a %q builder, want a node's own (cross-compiled)", gp)
	}
}

var golangMaterial = regexp.MustCompile(`pkg:docker/golang[@?][^"]*platform=([^"&]+)`)

// builderImagePlatform is the platform of the golang builder image the
// provenance of ref's platform image lists among its materials: the platform
// the Go steps ran on (the node's, for a native build).
func builderImagePlatform(t *testing.T, ref, platform string) string {
	t.Helper()
	for typ, pred := range attestations(t, ref, platform) {
		if !strings.HasPrefix(typ, "https://slsa.dev/provenance/") {
			continue
		}
		m := golangMaterial.FindSubmatch(pred)
		if m == nil {
			t.Fatalf("%s of %s: no golang builder in the provenance:\n%.2000s", platform, ref, pred)
		}
		p, err := url.PathUnescape(string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Fatalf("%s of %s has no provenance", platform, ref)
	return ""
}
