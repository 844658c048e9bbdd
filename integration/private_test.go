package integration

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Capability: private modules. A module behind basic auth on a private
// HTTPS proxy (127.0.0.1) is fetched with a netrc passed as a build secret
// (examples/private); nothing of the credential reaches any exported blob;
// without the secret the build fails saying which module and what to pass.

// privateBuild runs docker buildx build on examples/private against px with
// fresh cache mounts (the module must really be fetched), plus args.
func (l *lab) privateBuild(t *testing.T, px *privateProxy, args ...string) (string, error) {
	t.Helper()
	dir := repoPath("examples/private")
	full := []string{"buildx", "build", "--builder", l.Builder, "--progress", "plain",
		"--build-arg", "BUILDKIT_SYNTAX=" + l.Frontend,
		"--build-arg", "GOPROXY=" + px.srv.URL,
		"--build-arg", "BUILDKIT_CACHE_MOUNT_NS=it-private-" + nonce() + "-",
		"-f", filepath.Join(dir, "goscratch.yaml"), "--platform", "linux/amd64"}
	full = append(append(full, args...), dir)
	return runErr("docker", full...)
}

func TestPrivateModuleWithNetrcSecret(t *testing.T) {
	l := requireLab(t)
	px := startPrivateProxy(t)
	ref := l.ref("private")
	cache := t.TempDir()
	out, err := l.privateBuild(t, px,
		"--secret", "id=netrc,src="+px.netrc, "--secret", "id=proxy-ca,src="+px.caFile,
		"--provenance", "mode=max", "--cache-to", "type=local,mode=max,dest="+cache,
		"-t", ref, "--push")
	if err != nil {
		t.Fatalf("build with the netrc secret: %v\n%s", err, out)
	}
	if authorized, _ := px.counts(); authorized == 0 {
		t.Fatalf("the build never fetched from the private proxy with credentials:\n%s", out)
	}
	img := imageFor(t, ref, "linux/amd64")
	wantContains(t, "the private example", l.runInImage(t, ref, img), "hello from a private module")

	needles := px.needles()
	var scanned int
	scan := func(where string, dt []byte) {
		scanned++
		for what, n := range needles {
			if bytes.Contains(dt, []byte(n)) {
				t.Errorf("the credential's %s is in %s", what, where)
			}
		}
	}
	kinds := scanRegistry(t, ref, scan)
	for _, want := range []string{"index", "image manifest", "image config", "layer", "attestation manifest", "attestation"} {
		if kinds[want] == 0 {
			t.Errorf("scanned no %s (scanned %v): the check would prove nothing", want, kinds)
		}
	}
	files := scanDir(t, cache, scan)
	if files < 3 {
		t.Errorf("the --cache-to export holds %d files; want an index and blobs", files)
	}
	scan("the build output", []byte(out))
	t.Logf("scanned %d blobs and files (%v, %d in the cache export): no trace of the credential", scanned, kinds, files)
}

func TestPrivateModuleWithoutSecretExplains(t *testing.T) {
	l := requireLab(t)
	px := startPrivateProxy(t)
	out, err := l.privateBuild(t, px, "--secret", "id=proxy-ca,src="+px.caFile, "--output", "type=cacheonly")
	if err == nil {
		t.Fatalf("the build without the netrc secret succeeded:\n%s", out)
	}
	if _, refused := px.counts(); refused == 0 {
		t.Errorf("the proxy refused nothing: the build did not try the module:\n%s", out)
	}
	wantContains(t, "the failed build's output", out,
		"goscratch: cannot download "+privateModule+"@"+privateVersion+": the server wants credentials ("+px.host()+")",
		`secret "netrc" was not passed: add --secret id=netrc,src=$HOME/.netrc to the build`)
}

// scanRegistry calls scan on every blob reachable from ref in the local
// registry, each decompressed if gzip: the index, every manifest (images
// and attestations), every config and layer. It returns counts by kind.
func scanRegistry(t *testing.T, ref string, scan func(where string, dt []byte)) map[string]int {
	t.Helper()
	host, repo, tag := splitRef(ref)
	kinds := map[string]int{}
	get := func(kind, path string, accept ...string) []byte {
		dt, _ := registryGet(t, fmt.Sprintf("http://%s/v2/%s/%s", host, repo, path), accept...)
		kinds[kind]++
		scan(kind+" "+path, dt)
		if len(dt) > 2 && dt[0] == 0x1f && dt[1] == 0x8b {
			zr, err := gzip.NewReader(bytes.NewReader(dt))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			scan(kind+" "+path+" (decompressed)", raw)
		}
		return dt
	}
	var idx ocispecs.Index
	if err := json.Unmarshal(get("index", "manifests/"+tag, mediaIndex, mediaDockerList), &idx); err != nil {
		t.Fatal(err)
	}
	for _, d := range idx.Manifests {
		kind := "image"
		if d.Annotations[attestationRefKey] != "" {
			kind = "attestation"
		}
		var m ocispecs.Manifest
		if err := json.Unmarshal(get(kind+" manifest", "manifests/"+d.Digest.String(), d.MediaType), &m); err != nil {
			t.Fatal(err)
		}
		get(kind+" config", "blobs/"+m.Config.Digest.String())
		for _, layer := range m.Layers {
			if kind == "image" {
				get("layer", "blobs/"+layer.Digest.String())
			} else {
				get("attestation", "blobs/"+layer.Digest.String())
			}
		}
	}
	return kinds
}

// scanDir calls scan on every file under dir (gzip ones also decompressed)
// and returns how many there were.
func scanDir(t *testing.T, dir string, scan func(where string, dt []byte)) int {
	t.Helper()
	n := 0
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		dt, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		scan("cache export "+strings.TrimPrefix(p, dir), dt)
		if len(dt) > 2 && dt[0] == 0x1f && dt[1] == 0x8b {
			if zr, err := gzip.NewReader(bytes.NewReader(dt)); err == nil {
				if raw, err := io.ReadAll(zr); err == nil {
					scan("cache export "+strings.TrimPrefix(p, dir)+" (decompressed)", raw)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
