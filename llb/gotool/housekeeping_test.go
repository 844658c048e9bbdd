package main

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// putEntry stores body under action in dir the way a put does and returns
// the output id.
func putEntry(t *testing.T, dir string, action, body []byte) []byte {
	t.Helper()
	sum := sha256.Sum256(body)
	if _, err := writeEntry(dir, entry{action: action, output: sum[:], size: int64(len(body)), time: time.Now()}, body, true); err != nil {
		t.Fatal(err)
	}
	return sum[:]
}

func age(t *testing.T, d time.Duration, files ...string) {
	t.Helper()
	old := time.Now().Add(-d)
	for _, f := range files {
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}
}

// A hit in a shared directory refreshes the entry's file times, as the go
// command's own cache does, so a `go build` trimming the same directory
// (entries unused for 5 days) does not delete what layered builds use.
func TestGetRefreshesFileTimes(t *testing.T) {
	shared := t.TempDir()
	action := []byte("0123456789abcdef0123456789abcdef")
	out := putEntry(t, shared, action, []byte("compiled"))
	a, d := actionFile(shared, action), outputFile(shared, out)
	age(t, 6*24*time.Hour, a, d)

	c := &layeredCache{rw: []string{shared}}
	var resp cacheResponse
	if err := c.get(action, &resp); err != nil || resp.Miss {
		t.Fatalf("get: %v, miss %v", err, resp.Miss)
	}
	for _, f := range []string{a, d} {
		if fi, _ := os.Stat(f); time.Since(fi.ModTime()) > time.Minute {
			t.Errorf("%s still dated %v after a hit", filepath.Base(f), fi.ModTime())
		}
	}
	// a read-only layer is never touched
	ro := t.TempDir()
	out = putEntry(t, ro, action, []byte("compiled"))
	age(t, 6*24*time.Hour, outputFile(ro, out))
	c = &layeredCache{ro: []string{ro}}
	if err := c.get(action, &resp); err != nil || resp.Miss {
		t.Fatalf("get: %v, miss %v", err, resp.Miss)
	}
	if fi, _ := os.Stat(outputFile(ro, out)); time.Since(fi.ModTime()) < time.Hour {
		t.Errorf("a read-only directory's entry was touched")
	}
}

// An entry whose output does not hash to its id is not copied into the layer
// being made, and is a miss rather than what the build gets.
func TestGetRefusesACorruptEntryForTheLayer(t *testing.T) {
	shared, layer := t.TempDir(), t.TempDir()
	action := []byte("0123456789abcdef0123456789abcdef")
	out := putEntry(t, shared, action, []byte("compiled"))
	if err := os.WriteFile(outputFile(shared, out), []byte("POISONED"), 0o644); err != nil { // same size
		t.Fatal(err)
	}
	c := &layeredCache{out: layer, rw: []string{shared}}
	var resp cacheResponse
	if err := c.get(action, &resp); err != nil {
		t.Fatal(err)
	}
	if !resp.Miss {
		t.Errorf("a corrupt entry was served from %s", resp.DiskPath)
	}
	if _, err := os.Stat(outputFile(layer, out)); err == nil {
		t.Errorf("a corrupt entry was copied into the layer")
	}
}

// A shared directory that cannot be written (full, read-only: simulated by
// a file where the entry's subdirectory should be) costs only the cache
// write: put still hands the go command a complete file, and warns.
func TestPutSurvivesAnUnwritableSharedDirectory(t *testing.T) {
	shared := t.TempDir()
	action := []byte("0123456789abcdef0123456789abcdef")
	body := []byte("compiled")
	sum := sha256.Sum256(body)
	for _, sub := range []string{"30", "c6"} { // the action's and the output's subdirectories
		if err := os.WriteFile(filepath.Join(shared, sub), nil, 0o444); err != nil {
			t.Fatal(err)
		}
	}
	c := &layeredCache{rw: []string{shared}}
	stderr := captureStderr(t, func() {
		path, err := c.put(action, sum[:], body)
		if err != nil {
			t.Fatalf("put failed the build: %v", err)
		}
		if dt, err := os.ReadFile(path); err != nil || string(dt) != string(body) {
			t.Errorf("put handed out %s: %q, %v", path, dt, err)
		}
		if strings.HasPrefix(path, shared) {
			t.Errorf("put claims to have written %s", path)
		}
	})
	if !strings.Contains(stderr, "cannot write to the shared build cache") {
		t.Errorf("no warning; stderr: %q", stderr)
	}
	var resp cacheResponse
	if err := c.get(action, &resp); err != nil || resp.Miss {
		t.Errorf("the entry put in the private directory is not found again: %v %v", err, resp.Miss)
	}
}

// Temporary files a crashed writer left are removed once they are an hour
// old, at most once a day; fresh ones (a writer still at work) stay.
func TestSweepStale(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "ab")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	stale, fresh, entry := filepath.Join(sub, ".tmp-1"), filepath.Join(sub, ".tmp-2"), filepath.Join(sub, "ab00-d")
	for _, f := range []string{stale, fresh, entry} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	age(t, 2*time.Hour, stale, entry)
	if n := sweepStale(dir, time.Now()); n != 1 {
		t.Errorf("swept %d files, want 1", n)
	}
	for f, want := range map[string]bool{stale: false, fresh: true, entry: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s exists=%v, want %v", filepath.Base(f), err == nil, want)
		}
	}
	age(t, 2*time.Hour, fresh)
	if n := sweepStale(dir, time.Now()); n != 0 {
		t.Errorf("swept again within a day (%d files)", n)
	}
	if n := sweepStale(dir, time.Now().Add(25*time.Hour)); n != 1 {
		t.Errorf("a day later swept %d files, want 1", n)
	}
}

func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() {
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				done <- b.String()
				return
			}
		}
	}()
	f()
	os.Stderr = old
	w.Close()
	return <-done
}
