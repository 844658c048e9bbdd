package inputs

import (
	"slices"
	"strings"
	"testing"
)

func TestProbePaths(t *testing.T) {
	got := probePaths("services/api")
	want := []string{"services/api/go.mod", "services/api/vendor/modules.txt", "services/api/go.work",
		"services/go.work", "services/vendor/modules.txt", "go.work", "vendor/modules.txt"}
	if !slices.Equal(got, want) {
		t.Errorf("probePaths\n got %q\nwant %q", got, want)
	}
	if got := probePaths("."); !slices.Equal(got, []string{"go.mod", "vendor/modules.txt", "go.work"}) {
		t.Errorf("probePaths(.) = %q", got)
	}
}

func noMore(t *testing.T) readMore {
	return func(paths []string) (map[string][]byte, error) {
		t.Errorf("unexpected read of %q", paths)
		return nil, nil
	}
}

func TestLayoutLoneModule(t *testing.T) {
	files := map[string][]byte{"go.mod": []byte("module example.com/a\n\ngo 1.26\n")}
	l, work, err := moduleLayout(".", files, "", noMore(t))
	if err != nil || work != nil || l.Vendor || l.Workspace != "" || !slices.Equal(l.ModFiles, []string{"go.mod", "go.sum"}) {
		t.Errorf("layout %+v work %q err %v", l, work, err)
	}
}

func TestLayoutVendor(t *testing.T) {
	files := map[string][]byte{"app/go.mod": []byte("module example.com/a\n"), "app/vendor/modules.txt": nil}
	l, _, err := moduleLayout("app", files, "", noMore(t))
	if err != nil || !l.Vendor {
		t.Errorf("layout %+v err %v: want vendored", l, err)
	}
	// vendor/ of another directory does not count
	files = map[string][]byte{"app/go.mod": []byte("module example.com/a\n"), "vendor/modules.txt": nil}
	if l, _, _ := moduleLayout("app", files, "", noMore(t)); l.Vendor {
		t.Errorf("a vendor directory above a lone module was used")
	}
}

func TestLayoutLocalReplace(t *testing.T) {
	gomod := "module example.com/a\n\ngo 1.26\n\nreplace example.com/b => ../b\n\nreplace (\n\texample.com/c v1.0.0 => \"./third_party/c\"\n\texample.com/d => example.com/d2 v1.2.0\n)\n"
	files := map[string][]byte{"svc/a/go.mod": []byte(gomod)}
	l, _, err := moduleLayout("svc/a", files, "", noMore(t))
	want := []string{"svc/a/go.mod", "svc/a/go.sum", "svc/a/third_party/c/go.mod", "svc/b/go.mod"}
	if err != nil || !slices.Equal(l.ModFiles, want) {
		t.Errorf("mod files %q err %v, want %q", l.ModFiles, err, want)
	}
	files = map[string][]byte{"go.mod": []byte("module example.com/a\nreplace example.com/b => ../b\n")}
	if _, _, err := moduleLayout(".", files, "", noMore(t)); err == nil || !strings.Contains(err.Error(), "outside the build context") {
		t.Errorf("replacement outside the context: err %v", err)
	}
}

const goWork = "go 1.26.8\n\nuse (\n\t./app\n\t./lib\n)\n\nreplace example.com/x => ./third_party/x\n"

func TestLayoutWorkspace(t *testing.T) {
	files := map[string][]byte{
		"app/go.mod":         []byte("module example.com/app\n\ngo 1.26\n"),
		"go.work":            []byte(goWork),
		"vendor/modules.txt": nil,
	}
	var asked []string
	more := func(paths []string) (map[string][]byte, error) {
		asked = paths
		return map[string][]byte{
			"app/go.mod": files["app/go.mod"],
			"lib/go.mod": []byte("module example.com/lib\n\nreplace example.com/y => ../y\n"),
		}, nil
	}
	l, work, err := moduleLayout("app", files, "", more)
	if err != nil {
		t.Fatal(err)
	}
	if string(work) != goWork || l.Workspace != "." || !l.Vendor {
		t.Errorf("layout %+v work %q: want the workspace at the root, vendored", l, work)
	}
	if !slices.Equal(asked, []string{"app/go.mod", "lib/go.mod"}) {
		t.Errorf("read %q, want the used modules' go.mod", asked)
	}
	want := []string{"app/go.mod", "app/go.sum", "go.work", "go.work.sum", "lib/go.mod", "lib/go.sum", "third_party/x/go.mod", "y/go.mod"}
	if !slices.Equal(l.ModFiles, want) {
		t.Errorf("mod files\n got %q\nwant %q", l.ModFiles, want)
	}

	// GOWORK=off: the module alone
	l, work, err = moduleLayout("app", files, "off", noMore(t))
	if err != nil || work != nil || l.Workspace != "" || l.Vendor {
		t.Errorf("GOWORK=off: layout %+v work %q err %v", l, work, err)
	}
}

func TestLayoutWorkspaceErrors(t *testing.T) {
	for _, tc := range []struct{ work, want string }{
		{"go 1.26\nuse ./lib\n", "does not use it: add `use ./app`"},
		{"go 1.26\nuse (\n./app\n../outside\n)\n", "outside the build context"},
		{"go 1.26\nuse ./app\nuse ./missing\n", "missing, which has no go.mod"},
		{"go 1.26\nnot a directive\n", "cannot read go.work"},
	} {
		files := map[string][]byte{"app/go.mod": []byte("module example.com/app\n"), "go.work": []byte(tc.work)}
		more := func(paths []string) (map[string][]byte, error) {
			return map[string][]byte{"app/go.mod": files["app/go.mod"]}, nil
		}
		_, _, err := moduleLayout("app", files, "", more)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("go.work %q: err %v, want %q", tc.work, err, tc.want)
		}
	}
}
