package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CacheSize is what a local cache export (--export-cache type=local,
// mode=max) holds: the blobs its manifest references, as the cache store
// keeps them (compressed layers).
type CacheSize struct {
	Bytes  int64   `json:"bytes"`  // every referenced blob: layers, cache config, manifest
	Meta   int64   `json:"meta"`   // of which the manifest and the cache config
	Layers []int64 `json:"layers"` // each layer's compressed size, largest first (each blob once)
}

// cacheConfigType is the media type of BuildKit's cache config (the records
// that map cache keys to layers).
const cacheConfigType = "application/vnd.buildkit.cacheconfig.v0"

// readCacheSize reads a local cache directory (an OCI layout): index.json,
// then the cache manifest it tags. BuildKit writes the manifest either as an
// OCI index whose entries are the layers and the cache config, or (with
// image-manifest=true) as an image manifest with the cache config as its
// config; both are read. A blob the manifest lists more than once (a
// layer shared by two chains) is stored, and counted, once.
func readCacheSize(dir string) (CacheSize, error) {
	var idx manifest
	if err := readJSON(filepath.Join(dir, "index.json"), &idx); err != nil {
		return CacheSize{}, err
	}
	if len(idx.Manifests) == 0 {
		return CacheSize{}, fmt.Errorf("%s: index.json lists no cache manifest", dir)
	}
	top := idx.Manifests[0]
	var m manifest
	if err := readJSON(blobPath(dir, top.Digest), &m); err != nil {
		return CacheSize{}, err
	}
	cs := CacheSize{Bytes: top.Size, Meta: top.Size}
	descs := append(slices.Clone(m.Manifests), m.Layers...)
	if m.Config.Digest != "" {
		descs = append(descs, m.Config)
	}
	seen := map[string]bool{}
	for _, d := range descs {
		if seen[d.Digest] {
			continue
		}
		seen[d.Digest] = true
		cs.Bytes += d.Size
		if d.MediaType == cacheConfigType {
			cs.Meta += d.Size
			continue
		}
		cs.Layers = append(cs.Layers, d.Size)
	}
	slices.SortFunc(cs.Layers, func(a, b int64) int { return int(min(max(b-a, -1), 1)) })
	return cs, nil
}

func blobPath(dir, digest string) string {
	alg, hex, _ := strings.Cut(digest, ":")
	return filepath.Join(dir, "blobs", alg, hex)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
