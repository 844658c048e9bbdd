package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestScanOwn: the imports of the main packages and the own packages they
// reach, whatever the build constraints, without tests, own packages, a
// nested module's packages (imported as outside ones) and "C"; the own
// packages reached (not the mains, not a missing directory) with their
// //go:embed patterns; a file that does not parse is an error (the caller
// then gives the build the whole module cache).
func TestScanOwn(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod":                "module example.com/m // the module\n\ngo 1.22\n",
		"cmd/a/main.go":         "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/lib\"\n\t\"example.com/m/api/v1\"\n)\n\nfunc main() { fmt.Println(lib.V) }\n",
		"cmd/b/main.go":         "package main\n\nimport \"example.com/m\"\n\nfunc main() { _ = m.X }\n",
		"root.go":               "package m\n\n// #include <stdio.h>\nimport \"C\"\nimport \"unsafe\"\n\nvar X = unsafe.Sizeof(0)\n",
		"lib/lib_linux.go":      "package lib\n\nimport (\n\t\"embed\"\n\t\"example.com/dep\"\n)\n\n//go:embed static/*.css \"a b.txt\"\n//go:embed\tall:tmpl `c.txt`\nvar fs embed.FS\n\n//go:embedded not a directive\nvar V = dep.V\n",
		"lib/lib_windows.go":    "//go:build windows\n\npackage lib\n\nimport (\n\t\"golang.org/x/sys/windows\"\n\t\"example.com/m/winonly\"\n)\n\nvar V = windows.X\n",
		"lib/lib_test.go":       "package lib\n\nimport \"testing\"\n",
		"lib/_skip.go":          "package lib\n\nimport \"example.com/skipped\"\n",
		"lib/gen.go":            "//go:build ignore\n\npackage main\n\nimport \"example.com/m/missing\"\n",
		"winonly/w.go":          "//go:build windows\n\npackage winonly\n",
		"api/go.mod":            "module example.com/m/api\n",
		"api/v1/api.go":         "package v1\n\nimport \"example.com/notfollowed\"\n",
		"unused/unused.go":      "package unused\n\nimport \"net/http\"\n",
		"broken/cmd/x/main.go":  "package main\n\nimport \"fmt\n",
		"broken/cmd/x/other.go": "package main\n",
	})
	got, err := scanOwn(dir, []string{"./cmd/a", "./cmd/b"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"embed", "example.com/dep", "example.com/m/api/v1", "fmt", "golang.org/x/sys/windows"}; !slices.Equal(got.imports, want) {
		t.Errorf("imports = %q, want %q", got.imports, want)
	}
	wantOwn := []ownDir{
		{path: "example.com/m", rel: "."},
		{path: "example.com/m/lib", rel: "lib", embeds: []string{"static/*.css", "a b.txt", "all:tmpl", "c.txt"}},
		{path: "example.com/m/winonly", rel: "winonly"},
	}
	if !slices.EqualFunc(got.own, wantOwn, func(a, b ownDir) bool {
		return a.path == b.path && a.rel == b.rel && slices.Equal(a.embeds, b.embeds)
	}) {
		t.Errorf("own = %+v, want %+v", got.own, wantOwn)
	}
	if _, err := scanOwn(dir, []string{"./broken/cmd/x"}); err == nil {
		t.Error("a file that does not parse gave no error")
	}
	if _, err := scanOwn(t.TempDir(), []string{"."}); err == nil {
		t.Error("no go.mod gave no error")
	}
}

// TestCopyEmbedded: the files the patterns match, as the go command embeds
// them (a directory without its . and _ files unless all:, nor a nested
// module's), and nothing a pattern the go command rejects or a symbolic
// link would reach.
func TestCopyEmbedded(t *testing.T) {
	tmp := t.TempDir()
	dir, outside := filepath.Join(tmp, "pkg"), filepath.Join(tmp, "secret")
	writeFiles(t, dir, map[string]string{
		"a.txt":               "a",
		"b.txt":               "b",
		"static/x.css":        "x",
		"static/.hidden":      "h",
		"static/_under/u.css": "u",
		"static/sub/y.css":    "y",
		"static/mod/go.mod":   "module m\n",
		"static/mod/z.css":    "z",
		"tmpl/.keep":          "k",
		"tmpl/page.html":      "p",
		"not/matched.txt":     "n",
	})
	writeFiles(t, outside, map[string]string{"key": "secret"})
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "key"), filepath.Join(dir, "key.txt")); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(tmp, "dst")
	pats := []string{"a.txt", "static", "all:tmpl", "../secret/key", "link/*", "link", "*.txt", "[", `static\x.css`, "missing"}
	if err := copyEmbedded(dir, pats, dst); err != nil {
		t.Fatal(err)
	}
	var files []string
	err := filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dst, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.txt", "b.txt", "static/sub/y.css", "static/x.css", "tmpl/.keep", "tmpl/page.html"}; !slices.Equal(files, want) {
		t.Errorf("copied %q, want %q", files, want)
	}
}
