package inputs

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
)

// TestLoadFindsProfiles: examples/pgo's wordfreq (the module root) has a
// default.pgo, gen has none. Only the layers cache mode looks (the
// dependency layer is the one part of the graph that needs to know).
func TestLoadFindsProfiles(t *testing.T) {
	dir := filepath.Join("..", "examples", "pgo")
	for mode, want := range map[string][]string{"layers": {"."}, "mounts": nil} {
		in, err := loadExample(t, dir, map[string]string{ArgCache: mode})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(in.Layout.Profiles, want) {
			t.Errorf("%s: profiles %q, want %q", mode, in.Layout.Profiles, want)
		}
	}
	in, err := loadExample(t, filepath.Join("..", "examples", "multi-binary"), map[string]string{ArgCache: "layers"})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Layout.Profiles) != 0 {
		t.Errorf("multi-binary: profiles %q, want none", in.Layout.Profiles)
	}
}

// TestReadSkipsProfileContent: a profile may be megabytes, and only its
// presence counts.
func TestReadSkipsProfileContent(t *testing.T) {
	read, err := DirRead(filepath.Join("..", "examples", "pgo"), nil)
	if err != nil {
		t.Fatal(err)
	}
	files, err := read(context.Background(), []string{"default.pgo", "cmd/gen/default.pgo", "go.mod"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if dt, ok := files["default.pgo"]; !ok || dt != nil {
		t.Errorf("default.pgo: present %v, %d bytes read; want present, not read", ok, len(dt))
	}
	if _, ok := files["cmd/gen/default.pgo"]; ok {
		t.Errorf("cmd/gen/default.pgo found")
	}
	if len(files["go.mod"]) == 0 {
		t.Errorf("go.mod not read")
	}
}
