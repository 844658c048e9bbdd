package integration

import (
	"maps"
	"os"
	"strings"
	"testing"

	gsllb "github.com/goscratch/goscratch/llb"
)

// platformDigests maps each platform of the index at ref (attestations left
// out) to its manifest's digest.
func platformDigests(t *testing.T, ref string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, img := range images(t, ref) {
		out[platformString(img.Platform)] = img.Digest
	}
	return out
}

// TestDigestsDoNotDependOnBuildKitVersion (make test-compat, which runs the
// core tests against an older BuildKit): examples/hello built on the daemon
// under test has, per platform, the manifest digest of the same build on the
// reference builder, the lab's current BuildKit (GOSCRATCH_REFERENCE_BUILDER).
// v0.12.5 gave another /tmp mode and other directory times until the
// converter learned them (docs/compat.md).
func TestDigestsDoNotDependOnBuildKitVersion(t *testing.T) {
	l := requireLab(t)
	refBuilder := os.Getenv("GOSCRATCH_REFERENCE_BUILDER")
	if refBuilder == "" || refBuilder == l.Builder {
		t.Skip("make test-compat runs this: GOSCRATCH_REFERENCE_BUILDER names the lab's builder, GOSCRATCH_BUILDER the older BuildKit's")
	}
	got := platformDigests(t, helloImage(t, l))
	ref := *l
	ref.Builder = refBuilder
	want := platformDigests(t, buildHello(t, &ref))
	if len(want) < 3 || !maps.Equal(got, want) {
		t.Errorf("examples/hello per platform\n on %s: %v\n on %s: %v\nwant the same digests", l.Builder, got, refBuilder, want)
	}
}

// TestTooOldBuildKitIsRefused (make test-compat, against a BuildKit older
// than the oldest supported, GOSCRATCH_TOO_OLD_BUILDKIT names it): the
// frontend refuses at once, before reading the build context, naming the
// oldest supported version and what to upgrade.
func TestTooOldBuildKitIsRefused(t *testing.T) {
	l := requireLab(t)
	old := os.Getenv("GOSCRATCH_TOO_OLD_BUILDKIT")
	if old == "" {
		t.Skip("make test-compat runs this against an older BuildKit than goscratch supports (GOSCRATCH_TOO_OLD_BUILDKIT)")
	}
	_, p, err := l.solveSpec(t, repoPath("examples/hello"), "goscratch.yaml", nil)
	if err == nil {
		t.Fatalf("BuildKit %s built examples/hello; want the upgrade error", old)
	}
	want := "this BuildKit is older than " + gsllb.OldestBuildKit
	if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "upgrade it to") {
		t.Errorf("BuildKit %s: error %q lacks %q and what to upgrade", old, err, want)
	}
	for _, v := range p.vertex("") {
		if strings.Contains(v.Name, "go ") || strings.Contains(v.Name, "load build context") {
			t.Errorf("BuildKit %s ran %q before refusing", old, v.Name)
		}
	}
}
