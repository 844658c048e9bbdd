package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSeededProxy(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://proxy.example,direct\n", "file:///seed/cache/download,https://proxy.example,direct"},
		{"off", "file:///seed/cache/download,off"},
		{"", "file:///seed/cache/download"},
	} {
		if got := seededProxy("/seed", tc.in); got != tc.want {
			t.Errorf("seededProxy(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSaveDownloadsAndSlim(t *testing.T) {
	mc, seed := t.TempDir(), t.TempDir()
	// a module without dependencies has no download directory: not an error
	if err := saveDownloads(mc, seed, false); err != nil {
		t.Fatalf("empty module cache: %v", err)
	}
	if err := slim(mc); err != nil {
		t.Fatalf("empty module cache: %v", err)
	}
	dl := filepath.Join(mc, "cache", "download", "example.com", "m", "@v")
	writeFiles(t, dl, map[string]string{
		"v1.0.0.mod": "module example.com/m\n", "v1.0.0.zip": "zip", "v1.0.0.ziphash": "h1:x",
		"v1.0.0.lock": "", "list": "v1.0.0\n",
	})
	writeFiles(t, filepath.Join(mc, "cache", "download", "sumdb"), map[string]string{"x": "tile"})
	writeFiles(t, filepath.Join(mc, "cache", "vcs", "0123abcd"), map[string]string{"HEAD": "ref: refs/heads/main\n", "config": "[remote]"})
	if err := saveDownloads(mc, seed, false); err != nil {
		t.Fatal(err)
	}
	sdl := filepath.Join(seed, "cache", "download", "example.com", "m", "@v")
	for name, want := range map[string]bool{"v1.0.0.mod": true, "v1.0.0.zip": true, "v1.0.0.ziphash": true, "list": true, "v1.0.0.lock": false} {
		if _, err := os.Stat(filepath.Join(sdl, name)); (err == nil) != want {
			t.Errorf("seed has %s: %v, want %v", name, err == nil, want)
		}
	}
	if _, err := os.Stat(filepath.Join(seed, "cache", "download", "sumdb")); err == nil {
		t.Errorf("the checksum database tiles were copied to the seed")
	}
	if err := slim(mc); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(mc, "cache", "vcs")); !os.IsNotExist(err) {
		t.Errorf("cache/vcs (bare clones of directly fetched repositories) still in the module cache layer")
	}
	if _, err := os.Stat(filepath.Join(seed, "cache", "vcs")); err == nil {
		t.Errorf("cache/vcs was copied to the seed")
	}
	if _, err := os.Stat(filepath.Join(dl, "v1.0.0.zip")); !os.IsNotExist(err) {
		t.Errorf("zip still in the module cache layer")
	}
	if _, err := os.Stat(filepath.Join(dl, "v1.0.0.ziphash")); err != nil {
		t.Errorf("ziphash dropped: go build needs it to check go.sum")
	}
}
