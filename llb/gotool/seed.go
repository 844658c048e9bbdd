package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ---- the module download's seed ----

// seededProxy puts the shared module cache's download directory in front of
// GOPROXY as a file:// proxy: modules an earlier build downloaded are read
// from it, the others from the configured proxies (a file proxy answers
// "not found" for them, which moves on to the next one). GOPROXY=off stays
// off for everything the seed lacks.
func seededProxy(seed, goproxy string) string {
	goproxy = strings.TrimSpace(goproxy)
	file := "file://" + filepath.Join(seed, "cache", "download")
	if goproxy == "" {
		return file
	}
	return file + "," + goproxy
}

// saveDownloads copies into the seed's download directory the files of
// modcache's that it lacks, so the next download with other go.sum lines
// finds them. Lock and temporary files are left out.
func saveDownloads(modcache, seed string) error {
	src := filepath.Join(modcache, "cache", "download")
	dst := filepath.Join(seed, "cache", "download")
	if _, err := os.Stat(src); os.IsNotExist(err) {
		return nil // a module without dependencies downloads nothing
	}
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if name == "lock" || strings.HasSuffix(name, ".lock") || strings.HasSuffix(name, ".partial") || strings.Contains(name, ".tmp") {
			return nil
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "sumdb"+string(filepath.Separator)) {
			return nil
		}
		target := filepath.Join(dst, rel)
		if _, err := os.Stat(target); err == nil {
			return nil
		}
		return copyFile(path, target)
	})
}

// slim makes modcache fit to be a layer that --cache-to exports: it
// deletes the module zips of the download directory (go build reads the
// extracted trees and checks them against go.sum through the .ziphash
// files, which stay) and cache/vcs, the bare clones of every repository
// fetched directly (private ones included, with all their branches and
// tags), which no build reads.
func slim(modcache string) error {
	if err := os.RemoveAll(filepath.Join(modcache, "cache", "vcs")); err != nil {
		return err
	}
	dir := filepath.Join(modcache, "cache", "download")
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return nil
	}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".zip") {
			return err
		}
		return os.Remove(path)
	})
}
