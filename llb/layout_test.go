package llb

import (
	"slices"
	"testing"

	"github.com/moby/buildkit/solver/pb"
)

func TestVendorHasNoDownload(t *testing.T) {
	opt := options(arm64)
	opt.Layout = Layout{Vendor: true}
	_, g := convert(t, resolved(), opt)
	if n := len(g.execs("go", "mod", "download")); n != 0 {
		t.Errorf("%d download steps for a vendored module, want none", n)
	}
	b := g.exec(toolBin, "build")
	if !slices.Contains(b.Meta.Args, "-mod=vendor") {
		t.Errorf("build args %q lack -mod=vendor", b.Meta.Args)
	}
	if mount(b, modCacheDir) != nil {
		t.Errorf("a vendored build mounts the module cache")
	}
	if m := mount(b, buildCache); m == nil || m.MountType != pb.MountType_CACHE {
		t.Errorf("build cache mount %v", m)
	}
	if root := rootImage(g, b); root != "toolchain:docker-image://docker.io/library/golang:1.26" {
		t.Errorf("vendored build root %q, want the builder image's toolchain", root)
	}
}

func TestWorkspaceModFiles(t *testing.T) {
	opt := options(amd64)
	opt.Layout = Layout{Workspace: ".", ModFiles: []string{"go.work", "go.work.sum", "app/go.mod", "app/go.sum", "lib/go.mod", "lib/go.sum", "app/go.mod"}}
	r := resolved()
	r.Module = "app"
	_, g := convert(t, r, opt)
	dl := g.exec(toolBin, "download")
	if dl.Meta.Cwd != gomodDir+"/app" {
		t.Errorf("download cwd %q", dl.Meta.Cwd)
	}
	cp := g.input(g.opOf(dl), mount(dl, gomodDir).Input).GetFile().Actions[0].GetCopy()
	want := []string{"app/go.mod", "app/go.sum", "go.work", "go.work.sum", "lib/go.mod", "lib/go.sum"}
	if cp.Src != "/" || !slices.Equal(cp.IncludePatterns, want) {
		t.Errorf("copy %q %q, want / %q", cp.Src, cp.IncludePatterns, want)
	}
	if b := g.exec(toolBin, "build"); b.Meta.Cwd != srcDir+"/app" {
		t.Errorf("build cwd %q", b.Meta.Cwd)
	}
}
