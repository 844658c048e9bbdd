package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Capability: release pipelines with docker buildx bake. The example bake
// file (examples/release/docker-bake.hcl) builds two targets of one spec
// and two services of their own as matrices, tags them with the version
// and the commit, exports registry caches, and --set overrides a platform
// list; --metadata-file hands every index digest to the next step.

func TestBakeRelease(t *testing.T) {
	l := requireLab(t)
	_, _, fresh := splitRef(l.ref("bake")) // a fresh tag: this run's repository prefix
	reg := l.Registry + "/it-bake-" + fresh
	meta := filepath.Join(t.TempDir(), "bake.json")
	cmd := []string{"buildx", "bake", "--builder", l.Builder, "--progress", "plain",
		"-f", "docker-bake.hcl", "--allow=fs.read=..", "--push", "--metadata-file", meta,
		// this tree's frontend instead of the specs' # syntax= release
		"--set", "*.args.BUILDKIT_SYNTAX=" + l.Frontend,
		// one target of the matrix for one platform only
		"--set", "multi-worker.platform=linux/arm64"}
	out, err := runIn(repoPath("examples/release"), []string{
		"REGISTRY=" + reg, "VERSION=1.2.3", "GIT_SHA=abc1234", "CACHE=registry", "SOURCE_DATE_EPOCH=1700000000",
	}, "docker", cmd...)
	if err != nil {
		t.Fatalf("docker buildx bake: %v\n%s", err, out)
	}
	dt, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	var md map[string]struct {
		Digest string `json:"containerimage.digest"`
		Name   string `json:"image.name"`
	}
	if err := json.Unmarshal(dt, &md); err != nil {
		t.Fatalf("metadata file: %v\n%s", err, dt)
	}
	for _, tc := range []struct {
		target, image string
		platforms     []string
	}{
		{"multi-api", "api", []string{"linux/amd64", "linux/arm64"}},
		{"multi-worker", "worker", []string{"linux/arm64"}},
		{"service-hello", "hello", []string{"linux/amd64", "linux/arm64"}},
		{"service-workspace", "workspace", []string{"linux/amd64", "linux/arm64"}},
	} {
		ref := reg + "/" + tc.image + ":1.2.3"
		var got []string
		for _, img := range images(t, ref) {
			got = append(got, platformString(img.Platform))
			if v := img.Config.Config.Labels["org.opencontainers.image.version"]; v != "1.2.3" {
				t.Errorf("%s %s: version label %q, want the bake VERSION 1.2.3", tc.target, platformString(img.Platform), v)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.platforms) {
			t.Errorf("%s: platforms %v, want %v", tc.target, got, tc.platforms)
		}
		digest := manifestDigest(t, ref)
		if other := manifestDigest(t, reg+"/"+tc.image+":abc1234"); other != digest {
			t.Errorf("%s: the commit tag has %s, the version tag %s", tc.target, other, digest)
		}
		if md[tc.target].Digest != digest {
			t.Errorf("%s: --metadata-file says %q, the registry has %s", tc.target, md[tc.target].Digest, digest)
		}
		if kinds := attestationKinds(t, ref); !slices.Contains(kinds, "https://spdx.dev/Document") || !slices.ContainsFunc(kinds, func(k string) bool { return strings.HasPrefix(k, "https://slsa.dev/provenance/") }) {
			t.Errorf("%s: attestations %v, want an SPDX SBOM and SLSA provenance", tc.target, kinds)
		}
		if !registryHas(t, reg+"/"+tc.image+":buildcache") {
			t.Errorf("%s: no registry cache at %s:buildcache", tc.target, tc.image)
		}
	}

	// the next step of a pipeline: the index by digest, its SBOM and
	// provenance through buildx imagetools, as a signing or deploy step would
	byDigest := reg + "/api@" + md["multi-api"].Digest
	var sbom map[string]struct {
		SPDX struct {
			Packages []struct{ PackageFileName string }
		}
	}
	if err := json.Unmarshal([]byte(run(t, "docker", "buildx", "imagetools", "inspect", "--format", "{{json .SBOM}}", byDigest)), &sbom); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		if !slices.ContainsFunc(sbom[p].SPDX.Packages, func(pkg struct{ PackageFileName string }) bool {
			return pkg.PackageFileName == "/usr/local/bin/api"
		}) {
			t.Errorf("the %s SBOM of %s does not describe /usr/local/bin/api: %+v", p, byDigest, sbom[p])
		}
	}
	prov := run(t, "docker", "buildx", "imagetools", "inspect", "--format", "{{json .Provenance}}", byDigest)
	if !strings.Contains(prov, `"path": "goscratch.yaml"`) || !strings.Contains(prov, l.Frontend) {
		t.Errorf("the provenance of %s does not name goscratch.yaml and the frontend %s:\n%.2000s", byDigest, l.Frontend, prov)
	}
}
