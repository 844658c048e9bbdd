package inputs

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
)

// loadExample derives the inputs of an example from its directory, as the
// CLI does: no gateway.
func loadExample(t *testing.T, dir string, args map[string]string) (*Inputs, error) {
	t.Helper()
	file := filepath.Join(dir, "goscratch.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := spec.Parse("goscratch.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	read, ignore := dirReader(t, dir, file)
	return Load(context.Background(), Request{Spec: sp, BuildArgs: args, Read: read, Ignore: ignore})
}

func TestLoadLayouts(t *testing.T) {
	for _, tc := range []struct {
		example   string
		vendor    bool
		workspace string
		modFiles  []string
		builder   string
	}{
		{example: "hello", modFiles: []string{"go.mod", "go.sum"}, builder: "golang:1.26.8"},
		{example: "vendor", vendor: true, modFiles: []string{"go.mod", "go.sum"}, builder: "golang:1.26.8"},
		{example: "workspace", workspace: ".", modFiles: []string{"app/go.mod", "app/go.sum", "go.work", "go.work.sum", "lib/go.mod", "lib/go.sum"}, builder: "golang:1.26.8"},
	} {
		t.Run(tc.example, func(t *testing.T) {
			in, err := loadExample(t, filepath.Join("..", "examples", tc.example), nil)
			if err != nil {
				t.Fatal(err)
			}
			if in.Layout.Vendor != tc.vendor || in.Layout.Workspace != tc.workspace || !slices.Equal(in.Layout.ModFiles, tc.modFiles) {
				t.Errorf("layout %+v, want vendor %v workspace %q mod files %q", in.Layout, tc.vendor, tc.workspace, tc.modFiles)
			}
			if in.BuilderRef != tc.builder {
				t.Errorf("builder %q, want %q", in.BuilderRef, tc.builder)
			}
		})
	}
}

func TestLoadFromRequest(t *testing.T) {
	in, err := loadExample(t, filepath.Join("..", "examples", "hello"), map[string]string{
		"SOURCE_DATE_EPOCH": "1700000000", "GOPROXY": "http://127.0.0.1:1", "GOSCRATCH_CACHE": "layers", "VERSION": "1.2.3",
	})
	if err != nil {
		t.Fatal(err)
	}
	if in.Epoch == nil || in.Epoch.Unix() != 1700000000 {
		t.Errorf("epoch %v", in.Epoch)
	}
	if in.Target.Goenv["GOPROXY"] != "http://127.0.0.1:1" {
		t.Errorf("goenv %v: GOPROXY from the build args", in.Target.Goenv)
	}
	if in.Cache.String() != "layers" || in.Template.Version != "1.2.3" {
		t.Errorf("cache %s, version %q", in.Cache, in.Template.Version)
	}
	_, err = loadExample(t, filepath.Join("..", "examples", "hello"), map[string]string{"SOURCE_DATE_EPOCH": "context"})
	if err == nil || !strings.Contains(err.Error(), "git log -1") {
		t.Errorf("SOURCE_DATE_EPOCH=context without a git context: %v", err)
	}
}

// A .dockerignore that leaves go.mod out of the context: the error names
// it, as the frontend's does, and the spec-specific ignore file wins.
func TestLoadDockerignore(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/app\n\ngo 1.26.8\n")
	write("goscratch.yaml", "main: .\n")
	write(".dockerignore", "*\n!app\n")
	_, err := loadExample(t, dir, nil)
	if err == nil || !strings.Contains(err.Error(), "no go.mod at go.mod in the build context") || !strings.Contains(err.Error(), ".dockerignore") {
		t.Fatalf("go.mod excluded by .dockerignore: %v", err)
	}
	write("goscratch.yaml.dockerignore", "bin/\n")
	if _, err := loadExample(t, dir, nil); err != nil {
		t.Fatalf("goscratch.yaml.dockerignore applies instead of .dockerignore: %v", err)
	}
}

func TestFrontendGoTool(t *testing.T) {
	for _, tc := range []struct{ config, want, err string }{
		{`{"config":{"Entrypoint":["/bin/goscratch-frontend"]}}`, "/bin/gotool", ""},
		{`{"config":{"Entrypoint":["/usr/local/bin/goscratch-frontend"]}}`, "/usr/local/bin/gotool", ""},
		{`{"config":{}}`, "", "no absolute entrypoint"},
		{`{"config":{"Entrypoint":["frontend"]}}`, "", "no absolute entrypoint"},
	} {
		got, err := FrontendGoTool([]byte(tc.config))
		if got != tc.want || (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("FrontendGoTool(%s) = %q, %v; want %q, %q", tc.config, got, err, tc.want, tc.err)
		}
	}
}
