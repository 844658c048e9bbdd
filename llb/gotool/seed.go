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

// seedMismatch is how the go command reports a module whose files do not
// match go.sum: from the seed, that is a module another build (with
// another go.sum, or another GOPROXY) put there under the same version.
const seedMismatch = "checksum mismatch"

// unseeded is the environment of a retry without the seed: the configured
// GOPROXY alone.
func unseeded() []string {
	return []string{"GOPROXY=" + goEnv("GOPROXY")}
}

// saveDownloads copies into the seed's download directory the files of
// modcache's that it lacks, so the next download with other go.sum lines
// finds them; with replace, those it has too (after a retry without the
// seed: this build's files are the ones its go.sum verified). Lock and
// temporary files are left out.
func saveDownloads(modcache, seed string, replace bool) error {
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
			if !replace {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return writeAtomic(target, data, true)
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

// emptyModCache deletes everything in modcache but the directory itself
// (a mount point): the go command makes the trees it extracts read-only,
// so their directories are made writable first.
func emptyModCache(modcache string) error {
	entries, err := os.ReadDir(modcache)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		path := filepath.Join(modcache, e.Name())
		err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				err = os.Chmod(p, 0o755)
			}
			return err
		})
		if err != nil {
			return err
		}
		if err := os.RemoveAll(path); err != nil {
			return err
		}
	}
	return nil
}
