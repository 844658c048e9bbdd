package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// buildTools are the programs of GOTOOLDIR a go build may run: the
// compiler, assembler and linker, cgo (which also splits //go:cgo_ lines
// with cgo off), buildid and pack, cover (-cover) and preprofile (-pgo).
// A go build that needs another one fails naming it.
var buildTools = []string{"asm", "buildid", "cgo", "compile", "cover", "link", "pack", "preprofile"}

// toolchain copies to -o, at their paths, what go build needs of the Go
// toolchain that PATH's go belongs to: bin/go, the build tools, the
// standard library's sources without tests and testdata (no src/cmd: the
// tools are built), pkg/include, lib, go.env and VERSION; PATH's go if it
// is a symlink into GOROOT; and an empty /tmp. The layers cache mode runs
// its compiles on it instead of the whole builder image, so a fresh runner
// unpacks about half the bytes before its first compile. The files are
// copies, so go build computes the same action IDs and writes the same
// binary as on the builder.
func toolchain(args []string) int {
	flags := flag.NewFlagSet("toolchain", flag.ExitOnError)
	out := flags.String("o", "", "directory to fill: the toolchain at its paths")
	_ = flags.Parse(args)
	if *out == "" {
		fatalf("toolchain: -o is required")
	}
	if _, err := exec.LookPath("go"); err != nil {
		fatalf("toolchain: the builder image has no go command on PATH (%s): use a Go builder image (spec key builder)", os.Getenv("PATH"))
	}
	goroot, tooldir := strings.TrimSpace(goEnv("GOROOT")), strings.TrimSpace(goEnv("GOTOOLDIR"))
	if goroot == "" || tooldir == "" {
		fatalf("toolchain: go env GOROOT or GOTOOLDIR is empty: the builder's go command does not work")
	}
	// a GOROOT set to a symlinked directory: the tree is copied where it
	// resolves to, and the links to it are made again
	real, err := recreateLinks(goroot, *out)
	if err != nil {
		fatalf("toolchain: %v", err)
	}
	toolRel, err := filepath.Rel(goroot, tooldir)
	if err != nil || strings.HasPrefix(toolRel, "..") {
		fatalf("toolchain: GOTOOLDIR %s is not in GOROOT %s", tooldir, goroot)
	}
	if err := copyToolchain(real, filepath.ToSlash(toolRel), *out); err != nil {
		fatalf("toolchain: %v", err)
	}
	if err := linkPathGo(real, *out); err != nil {
		fatalf("toolchain: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(*out, "tmp"), 0o755); err != nil {
		fatalf("%v", err)
	}
	if err := stampTimes(*out); err != nil {
		fatalf("%v", err)
	}
	// after stampTimes's Chtimes: MkdirAll's mode is masked by the umask
	if err := os.Chmod(filepath.Join(*out, "tmp"), 0o777|fs.ModeSticky); err != nil {
		fatalf("%v", err)
	}
	return 0
}

// copyToolchain copies what go build reads of goroot (see toolchain) to
// the same path under out, toolRel being GOTOOLDIR relative to goroot.
func copyToolchain(goroot, toolRel, out string) error {
	dst := filepath.Join(out, goroot)
	return filepath.WalkDir(goroot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(goroot, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		keep := keepInToolchain(rel, d.IsDir(), toolRel)
		switch {
		case !keep && d.IsDir():
			return filepath.SkipDir
		case !keep || !d.Type().IsRegular():
			return nil
		}
		return copyOne(p, filepath.Join(dst, rel))
	})
}

// keepInToolchain says whether the toolchain copy has rel, a path relative
// to GOROOT (a directory if dir), toolRel being GOTOOLDIR's.
func keepInToolchain(rel string, dir bool, toolRel string) bool {
	top, rest, _ := strings.Cut(rel, "/")
	switch top {
	case ".":
		return true
	case "go.env", "VERSION", "lib":
		return true
	case "bin":
		return rel == "bin" || rel == "bin/go"
	case "pkg":
		switch {
		case rel == "pkg", rel == "pkg/include", strings.HasPrefix(rel, "pkg/include/"):
			return true
		case dir:
			return strings.HasPrefix(toolRel+"/", rel+"/") // the directories down to GOTOOLDIR
		}
		return path.Dir(rel) == toolRel && slices.Contains(buildTools, strings.TrimSuffix(filepath.Base(rel), ".exe"))
	case "src":
		if rest == "cmd" || strings.HasPrefix(rest, "cmd/") {
			return false
		}
		if dir {
			return filepath.Base(rel) != "testdata"
		}
		return !strings.HasSuffix(rel, "_test.go")
	}
	return false
}

// linkPathGo recreates, under out, the symlinks by which PATH's go reaches
// GOROOT/bin/go (a distribution's /usr/bin/go, or a GOROOT reached through
// a linked directory), goroot being resolved, so the compile steps find the
// same go on the same PATH. A go that is not GOROOT's (a wrapper script)
// is an error.
func linkPathGo(goroot, out string) error {
	p, err := exec.LookPath("go")
	if err != nil {
		return err
	}
	if p, err = filepath.Abs(p); err != nil {
		return err
	}
	got, err := recreateLinks(p, out)
	if err != nil {
		return err
	}
	if want := filepath.Join(goroot, "bin", "go"); got != want {
		return fmt.Errorf("PATH's go is %s, not GOROOT's %s: build with GOSCRATCH_CACHE=mounts, or use a builder whose go is GOROOT's", got, want)
	}
	return nil
}

// recreateLinks makes, under out, every symlink met on the way from the
// absolute path p to the path it resolves to, which it returns.
func recreateLinks(p, out string) (string, error) {
	for range 40 {
		link, target, err := firstLink(p)
		if err != nil || link == "" {
			return p, err
		}
		dst := filepath.Join(out, link)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", err
		}
		if err := os.Symlink(target, dst); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(link), target)
		}
		p = filepath.Join(target, strings.TrimPrefix(p, link))
	}
	return "", fmt.Errorf("%s: too many symlinks", p)
}

// firstLink finds the first symlink on the absolute path p (a directory
// above it, or p itself) and what it points to; link is "" when there is
// none.
func firstLink(p string) (link, target string, err error) {
	parts := strings.Split(p, string(filepath.Separator))
	for i := 2; i <= len(parts); i++ {
		prefix := strings.Join(parts[:i], string(filepath.Separator))
		fi, err := os.Lstat(prefix)
		if err != nil {
			return "", "", err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(prefix)
			return prefix, target, err
		}
	}
	return "", "", nil
}
