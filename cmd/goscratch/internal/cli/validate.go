package cli

import (
	"flag"
	"fmt"
	"github.com/goscratch/goscratch/inputs"
	"strings"

	"github.com/goscratch/goscratch/spec/lint"
)

var _ = register(&command{
	name:    "validate",
	args:    "FILE",
	summary: "Check a spec as the frontend does: every error at file:line:col, then the lint warnings.",
	help: `
Parses FILE strictly, reads go.mod from the build context, resolves every target
(or --target) and picks the builder image, exactly as a build would before it
runs anything. Errors go to stderr as FILE:LINE:COL: FIELD: MESSAGE (HINT), one
per line, all at once. Lint findings (the rules of --call check, docs/lint.md)
follow as FILE:LINE:COL: warning: MESSAGE (RULE); they do not fail validation
unless --strict is given.`,
	flags: func(fs *flag.FlagSet) func(*ctx, []string) error {
		target := fs.String("target", "", "check only this `TARGET` (default: the top level and every target)")
		contextDir := fs.String("context", "", contextUsage)
		strict := fs.Bool("strict", false, "exit 1 when a lint rule finds something")
		quiet := fs.Bool("q", false, "print nothing on success")
		return func(c *ctx, args []string) error {
			file, err := oneFile(args)
			if err != nil {
				return err
			}
			return c.validate(file, *contextDir, *target, *strict, *quiet)
		}
	},
})

func (c *ctx) validate(file, contextDir, target string, strict, quiet bool) error {
	p, err := c.load(file, contextDir)
	if err != nil {
		return err
	}
	targets := []string{target}
	if target == "" {
		targets = p.spec.TargetNames()
		if p.spec.HasDefault() {
			targets = append([]string{""}, targets...)
		}
	}
	var mod inputs.Module
	for _, t := range targets {
		in, err := c.inputs(p, t, nil)
		if err != nil {
			return err
		}
		mod = in.Module
	}
	findings := lint.Check(lint.Input{Spec: p.spec, GoMod: mod.GoMod, HasGoSum: mod.HasGoSum}, lint.Skipped(p.data))
	for _, f := range findings {
		at := p.file
		if f.Pos.Line > 0 {
			at += ":" + f.Pos.String()
		}
		fmt.Fprintf(c.stderr, "%s: warning: %s (%s)\n", at, f.Message, f.Rule.ID)
	}
	if strict && len(findings) > 0 {
		return errInvalid
	}
	if !quiet {
		names := make([]string, len(targets))
		for i, t := range targets {
			names[i] = t
			if t == "" {
				names[i] = "(default)"
			}
		}
		fmt.Fprintf(c.stdout, "%s: valid (targets: %s)\n", p.file, strings.Join(names, ", "))
	}
	return nil
}
