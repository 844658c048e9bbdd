package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ---- own: the project's own packages, compiled apart from its mains ----
//
// On a fresh runner no cache mount survives, so go build compiles every
// package of the project's own, however small the edit. Most edits are in
// one package, often a main one, and nothing the other own packages
// compile from changed. So `gotool imports -own-src DIR -own-list FILE`
// also copies to DIR the sources of the own packages the mains reach,
// except the main packages themselves (each package's directory files
// without tests, and its embedded files), with the go.mod, go.sum and
// go.work files the go command needs to load them, and lists them in FILE.
// A precompile step (gotool precompile, run in that copy) compiles them
// into a build cache layer of their own; BuildKit keys it on the copy's
// content, so an edit in a main package leaves it cached, on a fresh
// runner too, and the build compiles only the main packages.
//
// The go command keys a compiled package on its files' content, its
// import path, flags and dependencies, never its directory (with
// -trimpath), so an entry compiled in DIR/src is a hit for the build in
// the context. A copy that misses something only costs a miss: the build
// compiles that package itself.

// copyOwn copies the own non-main packages of listed (loaded from the
// source mounted at root, with the empty module cache modcache) and the
// module files to src, at their paths under root, lists them in list and
// returns how many there are. The current directory (the main module's)
// is made in src even when nothing is copied, so the precompile step can
// run there.
func copyOwn(listed []listedPkg, root, modcache, src, list string) (int, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return 0, err
	}
	here, ok := under(root, cwd)
	if !ok {
		return 0, fmt.Errorf("the module directory %s is outside the source %s", cwd, root)
	}
	if err := os.MkdirAll(filepath.Join(src, here), 0o755); err != nil {
		return 0, err
	}
	var pkgs []string
	modFiles := moduleFiles()
	for _, p := range listed {
		if p.standard || p.failed || p.name == "main" || inModCache(p.dir, modcache) {
			continue
		}
		rel, ok := under(root, p.dir)
		if !ok {
			continue // a replacement outside the context: the build reports it
		}
		if err := copyPackageFiles(p.path, p.dir, p.embeds, filepath.Join(src, rel)); err != nil {
			return 0, err
		}
		pkgs = append(pkgs, p.path)
		if p.gomod != "" {
			modFiles = append(modFiles, p.gomod)
		}
	}
	for _, f := range modFiles {
		if err := copyModuleFile(root, f, src); err != nil {
			return 0, err
		}
	}
	slices.Sort(pkgs)
	pkgs = slices.Compact(pkgs)
	if err := writeLines(list, pkgs); err != nil {
		return 0, err
	}
	if err := os.Chtimes(list, time.Unix(0, 0), time.Unix(0, 0)); err != nil {
		return 0, err
	}
	return len(pkgs), stampTimes(src) // the layer's content is what it holds, not when it was made
}

// moduleFiles are the go.mod files of the main modules (every workspace
// module in a workspace) and the go.work file, if any: the go command
// reads them all to load any package.
func moduleFiles() []string {
	var files []string
	if w := strings.TrimSpace(goEnv("GOWORK")); w != "" && w != "off" {
		files = append(files, w)
	}
	cmd := exec.Command("go", "list", "-m", "-f", "{{.GoMod}}")
	cmd.Env = append(os.Environ(), noFetch...)
	out, err := cmd.Output()
	if err != nil {
		// the main module's, at least; the precompile reports the rest
		return append(files, strings.TrimSpace(goEnv("GOMOD")))
	}
	return append(files, strings.Fields(string(bytes.TrimSpace(out)))...)
}

// copyModuleFile copies a go.mod or go.work file under root to src, with
// its checksums beside it (go.sum, go.work.sum) when there are any.
func copyModuleFile(root, file, src string) error {
	rel, ok := under(root, file)
	if !ok || file == os.DevNull {
		return nil
	}
	if err := copyOne(file, filepath.Join(src, rel)); err != nil {
		return err
	}
	sum := strings.TrimSuffix(file, ".mod") + ".sum" // go.sum
	if strings.HasSuffix(file, ".work") {
		sum = file + ".sum" // go.work.sum
	}
	err := copyOne(sum, filepath.Join(src, filepath.Dir(rel), filepath.Base(sum)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// under is path relative to root, if it is root or under it.
func under(root, path string) (string, bool) {
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}
