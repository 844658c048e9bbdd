package integration

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	digest "github.com/opencontainers/go-digest"
	"io"
	"net/http"
	"strings"
	"testing"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Reading images back from the local registry over its HTTP API (loopback only).

const (
	mediaIndex        = "application/vnd.oci.image.index.v1+json"
	mediaManifest     = "application/vnd.oci.image.manifest.v1+json"
	mediaDockerList   = "application/vnd.docker.distribution.manifest.list.v2+json"
	mediaDockerManif  = "application/vnd.docker.distribution.manifest.v2+json"
	attestationRefKey = "vnd.docker.reference.type"
)

// splitRef splits 127.0.0.1:5000/it/x:tag into host, repository and tag or digest.
func splitRef(ref string) (host, repo, tag string) {
	host, rest, _ := strings.Cut(ref, "/")
	if i := strings.Index(rest, "@"); i >= 0 {
		return host, rest[:i], rest[i+1:]
	}
	i := strings.LastIndex(rest, ":")
	return host, rest[:i], rest[i+1:]
}

func registryGet(t *testing.T, url string, accept ...string) ([]byte, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", strings.Join(accept, ", "))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	dt, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v %s", url, resp.Status, err, dt)
	}
	return dt, resp.Header.Get("Content-Type")
}

// image is one platform's manifest and config.
type image struct {
	Platform ocispecs.Platform
	Digest   string // the manifest's
	Manifest ocispecs.Manifest
	Config   ocispecs.Image
	repo     string
	host     string
}

// images returns the platform images of an index (attestation manifests
// left out), or the single image of a manifest.
func images(t *testing.T, ref string) []*image {
	t.Helper()
	host, repo, tag := splitRef(ref)
	dt, mt := registryGet(t, fmt.Sprintf("http://%s/v2/%s/manifests/%s", host, repo, tag), mediaIndex, mediaManifest, mediaDockerList, mediaDockerManif)
	if mt == mediaManifest || mt == mediaDockerManif {
		img := loadImage(t, host, repo, dt)
		img.Digest = digest.FromBytes(dt).String()
		return []*image{img}
	}
	var idx ocispecs.Index
	if err := json.Unmarshal(dt, &idx); err != nil {
		t.Fatal(err)
	}
	var out []*image
	for _, d := range idx.Manifests {
		if d.Annotations[attestationRefKey] != "" {
			continue
		}
		mdt, _ := registryGet(t, fmt.Sprintf("http://%s/v2/%s/manifests/%s", host, repo, d.Digest), d.MediaType)
		img := loadImage(t, host, repo, mdt)
		img.Platform = *d.Platform
		img.Digest = d.Digest.String()
		out = append(out, img)
	}
	return out
}

func loadImage(t *testing.T, host, repo string, manifest []byte) *image {
	t.Helper()
	img := &image{host: host, repo: repo}
	if err := json.Unmarshal(manifest, &img.Manifest); err != nil {
		t.Fatal(err)
	}
	cdt := img.blob(t, img.Manifest.Config.Digest.String())
	if err := json.Unmarshal(cdt, &img.Config); err != nil {
		t.Fatal(err)
	}
	img.Platform = img.Config.Platform
	return img
}

func (img *image) blob(t *testing.T, dgst string) []byte {
	t.Helper()
	dt, _ := registryGet(t, fmt.Sprintf("http://%s/v2/%s/blobs/%s", img.host, img.repo, dgst))
	return dt
}

// entry is one file in an image's layers.
type entry struct {
	Header *tar.Header
	Data   []byte
}

// files flattens the image's layers into path -> entry (no whiteouts: scratch
// images built by goscratch only add files).
func (img *image) files(t *testing.T) map[string]entry {
	t.Helper()
	out := map[string]entry{}
	for _, l := range img.Manifest.Layers {
		var r io.Reader = bytes.NewReader(img.blob(t, l.Digest.String()))
		if strings.HasSuffix(l.MediaType, "gzip") {
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		tr := tar.NewReader(r)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("layer %s: %v", l.Digest, err)
			}
			dt, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			out["/"+strings.TrimPrefix(strings.TrimPrefix(h.Name, "./"), "/")] = entry{Header: h, Data: dt}
		}
	}
	return out
}

func platformString(p ocispecs.Platform) string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// manifestDigest is the digest of what ref's tag points at (an index or a
// manifest), as the registry serves it.
func manifestDigest(t *testing.T, ref string) string {
	t.Helper()
	host, repo, tag := splitRef(ref)
	dt, _ := registryGet(t, fmt.Sprintf("http://%s/v2/%s/manifests/%s", host, repo, tag), mediaIndex, mediaManifest, mediaDockerList, mediaDockerManif)
	return digest.FromBytes(dt).String()
}

// attestationKinds are the in-toto predicate types of the attestation
// manifests in ref's index.
func attestationKinds(t *testing.T, ref string) []string {
	t.Helper()
	host, repo, tag := splitRef(ref)
	dt, _ := registryGet(t, fmt.Sprintf("http://%s/v2/%s/manifests/%s", host, repo, tag), mediaIndex)
	var idx ocispecs.Index
	if err := json.Unmarshal(dt, &idx); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, d := range idx.Manifests {
		if d.Annotations[attestationRefKey] == "" {
			continue
		}
		mdt, _ := registryGet(t, fmt.Sprintf("http://%s/v2/%s/manifests/%s", host, repo, d.Digest), d.MediaType)
		var m ocispecs.Manifest
		if err := json.Unmarshal(mdt, &m); err != nil {
			t.Fatal(err)
		}
		for _, l := range m.Layers {
			kinds = append(kinds, l.Annotations["in-toto.io/predicate-type"])
		}
	}
	return kinds
}

// registryHas says whether ref's tag exists.
func registryHas(t *testing.T, ref string) bool {
	t.Helper()
	host, repo, tag := splitRef(ref)
	req, err := http.NewRequest(http.MethodHead, fmt.Sprintf("http://%s/v2/%s/manifests/%s", host, repo, tag), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", strings.Join([]string{mediaIndex, mediaManifest, mediaDockerList, mediaDockerManif}, ", "))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
