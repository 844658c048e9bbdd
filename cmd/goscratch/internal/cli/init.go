package cli

import (
	"errors"
	"flag"
	"fmt"
	"github.com/goscratch/goscratch/spec"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

var _ = register(&command{
	name:    "init",
	summary: "Write a starter goscratch.yaml for the Go module or workspace in the current directory.",
	help: `
Reads go.mod in the current directory (or --dir), finds the module's main
packages by reading package clauses (no go command needed; vendor, testdata,
hidden and _ directories and nested modules are skipped) and writes a spec
that builds them for linux/amd64 and linux/arm64, with the # syntax line and
the yaml-language-server schema modeline. It refuses to overwrite an
existing file unless --force.

As with the go command, the nearest go.work at or above the directory
applies (GOWORK=off ignores it): then the main packages of every module it
uses are found, and the build context is go.work's directory. Main paths are
relative to the spec's one module:, so the spec builds the packages of that
module and of the used modules under it; the others are listed in a comment.

The image's entrypoint is the first binary: the main package named like the
module (the last element of its path) or like the repository (the directory
of go.mod or go.work), else the first in path order. A comment says which
rule chose it.`,
	flags: func(fs *flag.FlagSet) func(*ctx, []string) error {
		dir := fs.String("dir", ".", "module or workspace `DIR` (holds go.mod or go.work, or is below a go.work)")
		out := fs.String("o", "goscratch.yaml", "spec `FILE` to write, relative to --dir; - for stdout")
		force := fs.Bool("force", false, "overwrite an existing spec")
		return func(c *ctx, args []string) error {
			if len(args) > 0 {
				return usageErr("init takes no arguments; use --dir")
			}
			return c.init(*dir, *out, *force)
		}
	},
})

// syntaxImage is the frontend image a new spec selects.
const syntaxImage = "ghcr.io/goscratch/goscratch:v1"

// schemaURL is the published schema.
const schemaURL = spec.SchemaURL

func (c *ctx) init(dir, out string, force bool) error {
	p, err := findProject(dir)
	if err != nil {
		return err
	}
	pl, err := planSpec(p)
	if err != nil {
		return err
	}
	text := pl.render()
	if err := pl.check(text); err != nil {
		return fmt.Errorf("internal error: the starter spec is invalid: %w", err)
	}
	if out == "-" {
		_, err := fmt.Fprint(c.stdout, text)
		return err
	}
	target := filepath.Join(dir, out)
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	w, err := os.OpenFile(target, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists; use --force to overwrite it", target)
	}
	if err != nil {
		return err
	}
	if _, err := w.WriteString(text); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	mains := make([]string, len(pl.binaries))
	for i, b := range pl.binaries {
		mains[i] = b.main
	}
	fmt.Fprintf(c.stdout, "wrote %s: %s\n", target, strings.Join(mains, ", "))
	if len(pl.left) > 0 {
		fmt.Fprintf(c.stdout, "not in this spec (main cannot leave module %s): %s\n", pl.module.dir, strings.Join(pl.leftDirs(), ", "))
	}
	fmt.Fprintf(c.stdout, "build it: docker buildx build -f %s --platform linux/amd64,linux/arm64 -t IMAGE %s\n", target, p.root)
	return nil
}
