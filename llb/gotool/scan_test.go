package main

import (
	"slices"
	"testing"
)

// TestScanOwn: the imports of the main packages and the own packages they
// reach, whatever the build constraints, without tests, own packages and
// "C"; a file that does not parse is an error (the caller then gives the
// build the whole module cache).
func TestScanOwn(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod":                "module example.com/m // the module\n\ngo 1.22\n",
		"cmd/a/main.go":         "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/m/lib\"\n)\n\nfunc main() { fmt.Println(lib.V) }\n",
		"cmd/b/main.go":         "package main\n\nimport \"example.com/m\"\n\nfunc main() { _ = m.X }\n",
		"root.go":               "package m\n\n// #include <stdio.h>\nimport \"C\"\nimport \"unsafe\"\n\nvar X = unsafe.Sizeof(0)\n",
		"lib/lib_linux.go":      "package lib\n\nimport \"example.com/dep\"\n\nvar V = dep.V\n",
		"lib/lib_windows.go":    "//go:build windows\n\npackage lib\n\nimport \"golang.org/x/sys/windows\"\n\nvar V = windows.X\n",
		"lib/lib_test.go":       "package lib\n\nimport \"testing\"\n",
		"lib/_skip.go":          "package lib\n\nimport \"example.com/skipped\"\n",
		"lib/gen.go":            "//go:build ignore\n\npackage main\n\nimport \"example.com/m/missing\"\n",
		"unused/unused.go":      "package unused\n\nimport \"net/http\"\n",
		"broken/cmd/x/main.go":  "package main\n\nimport \"fmt\n",
		"broken/cmd/x/other.go": "package main\n",
	})
	got, err := scanOwn(dir, []string{"./cmd/a", "./cmd/b"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"example.com/dep", "fmt", "golang.org/x/sys/windows"}; !slices.Equal(got, want) {
		t.Errorf("scanOwn = %q, want %q", got, want)
	}
	if _, err := scanOwn(dir, []string{"./broken/cmd/x"}); err == nil {
		t.Error("a file that does not parse gave no error")
	}
	if _, err := scanOwn(t.TempDir(), []string{"."}); err == nil {
		t.Error("no go.mod gave no error")
	}
}
