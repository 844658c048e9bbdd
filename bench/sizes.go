package main

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// The parts of every image come from the host: the golang builder images of
// the lab (hack/golang-image.sh) copy the host's CA bundle and zoneinfo.
const (
	certsPath    = "/etc/ssl/certs/ca-certificates.crt"
	zoneinfoPath = "/usr/share/zoneinfo"
)

// sizes compares each pushed image (linux/amd64) with its compressed parts;
// the binary is the host floor's linux/amd64 build (same Go, same flags).
func (b *bench) sizes(ctx context.Context) []ImageSize {
	certs, certsGz, err := gzFile(certsPath)
	if err != nil {
		fmt.Printf("bench: sizes: %v\n", err)
		return nil
	}
	zone, zoneGz, err := gzTree(zoneinfoPath)
	if err != nil {
		fmt.Printf("bench: sizes: %v\n", err)
		return nil
	}
	var out []ImageSize
	for _, s := range subjects {
		refs := b.pushed[s.Name]
		w := b.workspaces[s.Name]
		if len(refs) == 0 || w == nil || w.multiBinary() {
			continue // a several-binary image has no one binary to compare with
		}
		if err := w.reset(); err != nil {
			fmt.Printf("bench: sizes: %v\n", err)
			continue
		}
		bin := filepath.Join(b.hostGoOut(w, "linux/amd64"), w.Binary)
		if err := b.hostGoCmd(ctx, w, "linux/amd64").Run(); err != nil {
			fmt.Printf("bench: sizes: host build of %s: %v\n", s.Name, err)
			continue
		}
		binN, binGz, err := gzFile(bin)
		if err != nil {
			fmt.Printf("bench: sizes: %v\n", err)
			continue
		}
		for _, tool := range b.tools {
			ref, ok := refs[tool]
			if !ok {
				continue
			}
			n, err := imageBytes(ctx, ref, "amd64")
			if err != nil {
				fmt.Printf("bench: sizes: %s: %v\n", ref, err)
				continue
			}
			out = append(out, ImageSize{Subject: s.Name, Tool: tool, Ref: ref, ImageBytes: n,
				BinaryGz: binGz, CertsGz: certsGz, ZoneinfoGz: zoneGz, Binary: binN, Certs: certs, Zoneinfo: zone})
		}
	}
	return out
}

// countWriter counts bytes.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// gzFile: a file's size and its gzip size at the default level.
func gzFile(path string) (size, gz int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var cw countWriter
	zw := gzip.NewWriter(&cw)
	size, err = io.Copy(zw, f)
	if err != nil {
		return 0, 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, 0, err
	}
	return size, cw.n, nil
}

// gzTree: the sum of a tree's regular file sizes and the gzip size of its tar
// (symlinks as links, as a layer holds it).
func gzTree(root string) (size, gz int64, err error) {
	var cw countWriter
	zw := gzip.NewWriter(&cw)
	tw := tar.NewWriter(zw)
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		link := ""
		if info.Mode()&fs.ModeSymlink != 0 {
			if link, err = os.Readlink(p); err != nil {
				return err
			}
		}
		h, err := tar.FileInfoHeader(info, link)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Dir(root), p)
		h.Name = rel
		h.ModTime, h.Uname, h.Gname = time.Unix(0, 0), "", ""
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if info.Mode().IsRegular() {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			n, err := io.Copy(tw, f)
			f.Close()
			size += n
			return err
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	if err := tw.Close(); err != nil {
		return 0, 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, 0, err
	}
	return size, cw.n, nil
}

type descriptor struct {
	MediaType string `json:"mediaType"`
	Digest    string `json:"digest"`
	Size      int64  `json:"size"`
	Platform  *struct {
		OS           string `json:"os"`
		Architecture string `json:"architecture"`
	} `json:"platform,omitempty"`
}

type manifest struct {
	MediaType string       `json:"mediaType"`
	Manifests []descriptor `json:"manifests"`
	Config    descriptor   `json:"config"`
	Layers    []descriptor `json:"layers"`
}

// imageBytes is the compressed size (config + layers) of ref's manifest for
// linux/arch, read from the registry's HTTP API (loopback only).
func imageBytes(ctx context.Context, ref, arch string) (int64, error) {
	host, rest, ok := strings.Cut(ref, "/")
	if !ok || !strings.HasPrefix(host, "127.0.0.1:") {
		return 0, fmt.Errorf("%s: not in the local registry", ref)
	}
	repo, tag := rest, "latest"
	if i := strings.Index(rest, "@"); i >= 0 {
		repo, tag = rest[:i], rest[i+1:]
	} else if i := strings.LastIndex(rest, ":"); i >= 0 {
		repo, tag = rest[:i], rest[i+1:]
	}
	m, err := getManifest(ctx, host, repo, tag)
	if err != nil {
		return 0, err
	}
	if len(m.Manifests) > 0 {
		var dgst string
		for _, d := range m.Manifests {
			if d.Platform != nil && d.Platform.OS == "linux" && d.Platform.Architecture == arch {
				dgst = d.Digest
				break
			}
		}
		if dgst == "" {
			return 0, fmt.Errorf("%s: no linux/%s manifest", ref, arch)
		}
		if m, err = getManifest(ctx, host, repo, dgst); err != nil {
			return 0, err
		}
	}
	n := m.Config.Size
	for _, l := range m.Layers {
		n += l.Size
	}
	return n, nil
}

func getManifest(ctx context.Context, host, repo, ref string) (*manifest, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://%s/v2/%s/manifests/%s", host, repo, ref), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", strings.Join([]string{
		"application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
		"application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
	}, ", "))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", req.URL, resp.Status)
	}
	var m manifest
	return &m, json.NewDecoder(resp.Body).Decode(&m)
}

// gunzipTool is what containerd's decompression (which BuildKit uses)
// picks here: igzip, then unpigz, each unless its CONTAINERD_DISABLE_*
// variable is true, else Go's compress/gzip. The moby/buildkit image ships
// unpigz; a host-installed buildkitd has whatever the host has.
func gunzipTool() string {
	for _, t := range []struct{ cmd, disable string }{{"igzip", "CONTAINERD_DISABLE_IGZIP"}, {"unpigz", "CONTAINERD_DISABLE_PIGZ"}} {
		if off, _ := strconv.ParseBool(os.Getenv(t.disable)); off {
			continue
		}
		if _, err := exec.LookPath(t.cmd); err == nil {
			return t.cmd
		}
	}
	return "go"
}

// machineInfo describes this machine for the results.
func machineInfo() Machine {
	m := Machine{Cores: runtime.NumCPU()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var kib int64
			if _, err := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kib); err == nil {
				m.MemGiB = float64(kib) / (1 << 20)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if out, err := exec.Command("go", "env", "GOVERSION").Output(); err == nil {
		m.Go = strings.TrimSpace(string(out))
	}
	m.Gunzip = gunzipTool()
	if out, err := exec.Command("buildkitd", "--version").Output(); err == nil {
		if f := strings.Fields(string(out)); len(f) >= 3 {
			m.BuildKit = f[2]
		}
	}
	return m
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
