package integration

import (
	"archive/tar"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client"
	"github.com/tonistiigi/fsutil"
)

// Capability: the debug variant. examples/udpserver's target debug is its
// default image plus one layer, a static busybox and its applets in
// /busybox, on PATH; the default image stays without a shell, and with the
// debug shell turned off the debug target is the default image, digest for
// digest.

func TestDebugVariantHasAShellAndTheDefaultNone(t *testing.T) {
	l := requireLab(t)
	both := "linux/amd64,linux/arm64"
	def, _ := l.pushExample(t, repoPath("examples/udpserver"), "udpserver-default", map[string]string{"platform": both})
	dbg, _ := l.pushExample(t, repoPath("examples/udpserver"), "udpserver-debug", map[string]string{"platform": both, "target": "debug"})
	off, _ := l.pushExample(t, repoPath("examples/udpserver"), "udpserver-debug-off",
		map[string]string{"platform": both, "target": "debug", "build-arg:GOSCRATCH_DEBUG": "0"})
	if want, got := platformDigests(t, def), platformDigests(t, off); len(want) != 2 || !maps.Equal(got, want) {
		t.Errorf("target debug with GOSCRATCH_DEBUG=0: %v, want the default image's digests %v", got, want)
	}

	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		dimg, img := imageFor(t, dbg, p), imageFor(t, def, p)
		var defLayers, dbgLayers []string
		for _, l := range img.Manifest.Layers {
			defLayers = append(defLayers, l.Digest.String())
		}
		for _, l := range dimg.Manifest.Layers {
			if slices.Contains(defLayers, l.Digest.String()) {
				dbgLayers = append(dbgLayers, l.Digest.String())
			}
		}
		if len(dimg.Manifest.Layers) != len(defLayers)+1 || !slices.Equal(dbgLayers, defLayers) {
			t.Errorf("%s: the debug image's layers are not the default image's plus one", p)
		}
		files := dimg.files(t)
		bb, bbName := hardLinked(files, spec.DebugDir+"/busybox")
		sh, shName := hardLinked(files, spec.DebugDir+"/sh")
		if bb.Header == nil || sh.Header == nil || shName != bbName {
			t.Fatalf("%s: %s/busybox (%s) and %s/sh (%s) are not one file of the debug image", p, spec.DebugDir, bbName, spec.DebugDir, shName)
		}
		if err := checkStatic(bb.Data, dimg.Platform.Architecture); err != nil {
			t.Errorf("%s: %s/busybox: %v", p, spec.DebugDir, err)
		}
		var links int
		for _, f := range files {
			if f.Header.Typeflag == tar.TypeLink && "/"+strings.TrimPrefix(f.Header.Linkname, "/") == bbName {
				links++
			}
		}
		if links < 100 { // a busybox has hundreds of applets; one copy of it, the rest links
			t.Errorf("%s: %d hard links to %s, want busybox's applets as links", p, links, bbName)
		}
		if !slices.Contains(dimg.Config.Config.Env, "PATH="+spec.BinDir+":"+spec.DebugDir) {
			t.Errorf("%s: debug env %q lacks PATH with %s", p, dimg.Config.Config.Env, spec.DebugDir)
		}
		for name := range img.files(t) {
			if strings.HasPrefix(name, spec.DebugDir) || filepath.Base(name) == "sh" {
				t.Errorf("%s: the default image has %s", p, name)
			}
		}
		out := l.runArgv(t, dbg, dimg, "sh", "-c", "id; ls /usr/local/bin")
		wantContains(t, p+" debug shell", out, "uid=65532(nonroot)", "udpserver")
	}
	if out, err := l.tryInImage(def, withoutEntrypoint(imageFor(t, def, "linux/amd64")), "sh", "-c", "id"); err == nil {
		t.Errorf("the default image ran sh:\n%s", out)
	}
}

// hardLinked is the regular file of files that name is, or is a hard link
// to, and that file's name.
func hardLinked(files map[string]entry, name string) (entry, string) {
	f := files[name]
	if f.Header != nil && f.Header.Typeflag == tar.TypeLink {
		name = "/" + strings.TrimPrefix(f.Header.Linkname, "/")
		f = files[name]
	}
	if f.Header == nil || f.Header.Typeflag != tar.TypeReg {
		return entry{}, ""
	}
	return f, name
}

// TestDebugBuildArgOnAnySpec: GOSCRATCH_DEBUG=1 gives any spec's image the
// shell, without editing the spec.
func TestDebugBuildArgOnAnySpec(t *testing.T) {
	l := requireLab(t)
	ref, _ := l.pushExample(t, repoPath("examples/hello"), "hello-debug",
		map[string]string{"platform": "linux/arm64", "build-arg:GOSCRATCH_DEBUG": "1"})
	img := imageFor(t, ref, "linux/arm64")
	out := l.runArgv(t, ref, img, "sh", "-c", "echo PATH=$PATH; uname -m")
	wantContains(t, "examples/hello with GOSCRATCH_DEBUG=1", out, "PATH="+spec.BinDir+":"+spec.DebugDir, "aarch64")
}

// TestDebugImageNamedContextIsChecked: a named context replaces the debug
// image, and one whose sh is an absolute link out of /bin (not a hard link)
// fails the build at the spec's debug line instead of giving a debug image
// without a working shell.
func TestDebugImageNamedContextIsChecked(t *testing.T) {
	l := requireLab(t)
	bb := t.TempDir()
	if err := os.MkdirAll(filepath.Join(bb, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	busybox, err := os.ReadFile("/bin/busybox") // the host's static busybox
	if err != nil {
		t.Skipf("no host busybox: %v", err)
	}
	writeFile(t, filepath.Join(bb, "bin", "busybox"), string(busybox))
	if err := os.Symlink("/bin/busybox", filepath.Join(bb, "bin", "sh")); err != nil {
		t.Fatal(err)
	}
	fs, err := fsutil.NewFS(bb)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = l.solveSpecWith(t, repoPath("examples/udpserver"), "goscratch.yaml",
		map[string]string{"platform": "linux/amd64", "target": "debug", "context:" + spec.DebugImage: "local:debugimage"},
		func(o *client.SolveOpt) { o.LocalMounts["debugimage"] = fs })
	if err == nil {
		t.Fatal("a debug image whose sh links out of the layer built")
	}
	for _, want := range []string{"goscratch.yaml:", "debug shell " + spec.DebugDir + "/sh: no shell"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
