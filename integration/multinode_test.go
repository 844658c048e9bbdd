package integration

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	gslab "github.com/goscratch/goscratch/internal/lab"
)

// TestMultiNodeBuilder: a buildx builder of two nodes on this machine, one
// buildkitd declaring linux/amd64 and one linux/arm64 (its steps run under
// the qemu binfmt), started by internal/lab like the lab's own. buildx sends
// each platform to its node and goscratch builds natively there (each
// platform's provenance names its node's platform as the builder's);
// linux/arm/v7, which no node declares, goes to one of them and is
// cross-compiled; and every platform's manifest has the digest of the
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
	got, err := gslab.InspectBuilder(ctx, name, true)
	if err != nil || len(got) != 2 {
		t.Fatalf("builder %s: nodes %+v, %v; want the two", name, got, err)
	}

	multi := *l
	multi.Builder = name
	ref := buildHello(t, &multi)
	want := platformDigests(t, helloImage(t, l))
	if have := platformDigests(t, ref); len(have) != 3 || !maps.Equal(have, want) {
		t.Errorf("examples/hello per platform\n two nodes: %v\n one node:  %v\nwant the same digests", have, want)
	}
	for platform, builtOn := range map[string][]string{
		"linux/amd64":  {"linux/amd64"},
		"linux/arm64":  {"linux/arm64"},            // natively, under qemu
		"linux/arm/v7": {"linux/amd64", "linux/arm64"}, // no node declares it: cross-compiled
	} {
		if bp := builderPlatform(t, ref, platform); !slices.Contains(builtOn, bp) {
			t.Errorf("%s was built on %q, want one of %v", platform, bp, builtOn)
		}
	}
}

// builderPlatform is the build platform the provenance of ref's platform
// image records (SLSA v1 internalParameters.builderPlatform).
func builderPlatform(t *testing.T, ref, platform string) string {
	t.Helper()
	for typ, pred := range attestations(t, ref, platform) {
		if !strings.HasPrefix(typ, "https://slsa.dev/provenance/") {
			continue
		}
		var p struct {
			BuildDefinition struct {
				InternalParameters struct {
					BuilderPlatform string `json:"builderPlatform"`
				} `json:"internalParameters"`
			} `json:"buildDefinition"`
			Invocation struct {
				Environment struct {
					Platform string `json:"platform"`
				} `json:"environment"`
			} `json:"invocation"`
		}
		if err := json.Unmarshal(pred, &p); err != nil {
			t.Fatal(err)
		}
		if bp := p.BuildDefinition.InternalParameters.BuilderPlatform; bp != "" {
			return bp
		}
		return p.Invocation.Environment.Platform // SLSA v0.2
	}
	t.Fatalf("%s of %s has no provenance", platform, ref)
	return ""
}

