package llb

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGoToolEmbedsEverySource fails when a file is added to gotool/ but not
// to the embedded list: the builder would fail to compile gotool.
func TestGoToolEmbedsEverySource(t *testing.T) {
	paths, err := filepath.Glob("gotool/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, p := range paths {
		if !strings.HasSuffix(p, "_test.go") {
			want = append(want, filepath.Base(p))
		}
	}
	got := slices.Sorted(slices.Values(goToolFiles))
	if !slices.Equal(got, want) {
		t.Errorf("embedded gotool files %v, want every non-test file of gotool/: %v", got, want)
	}
	for _, name := range goToolFiles {
		embedded, err := goToolSource.ReadFile("gotool/" + name)
		if err != nil {
			t.Fatalf("%s not embedded: %v", name, err)
		}
		onDisk, _ := os.ReadFile(filepath.Join("gotool", name))
		if string(embedded) != string(onDisk) {
			t.Errorf("%s: embedded copy differs from the file", name)
		}
	}
}
