package cli

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goscratch/goscratch/inputs"
	"github.com/goscratch/goscratch/spec"
)

// project is a parsed spec and its build context on disk, read as BuildKit
// would send it (.dockerignore applied).
type project struct {
	file     string // the spec file as given
	data     []byte
	spec     *spec.Spec
	context  string   // build context directory
	excludes []string // its .dockerignore patterns
	read     inputs.Read
}

// contextUsage is the help of the --context flag every spec command has.
const contextUsage = "build context `DIR` (go.mod is read from its module directory); default: the spec file's directory"

// load reads and parses file; a parse error is printed as the frontend
// reports it (file:line:col: field: message) and returns errInvalid.
func (c *ctx) load(file, contextDir string) (*project, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	sp, err := spec.Parse(file, data)
	if err != nil {
		fmt.Fprintln(c.stderr, err)
		return nil, errInvalid
	}
	p := &project{file: file, data: data, spec: sp, context: cmp.Or(contextDir, filepath.Dir(file))}
	if p.excludes, err = inputs.Excludes(p.context, file); err != nil {
		return nil, err
	}
	if p.read, err = inputs.DirRead(p.context, p.excludes); err != nil {
		return nil, fmt.Errorf(".dockerignore: %w", err)
	}
	return p, nil
}

// inputs derives a target's inputs exactly as the frontend does (package
// inputs), from the context on disk; errors are the frontend's, with the
// spec position, printed to stderr.
func (c *ctx) inputs(p *project, target string, buildArgs map[string]string) (*inputs.Inputs, error) {
	in, err := inputs.Load(context.Background(), inputs.Request{Spec: p.spec, Target: target, BuildArgs: buildArgs, Read: p.read, Ignore: p.ignore})
	if err != nil {
		c.reportErr(err)
		if _, merr := inputs.ReadModule(context.Background(), p.read, p.ignore, p.spec); merr != nil {
			fmt.Fprintf(c.stderr, "(the build context is %s; --context changes it)\n", p.context)
		}
		return nil, errInvalid
	}
	return in, nil
}

// ignore gives the context's ignore patterns, as the frontend gets them from BuildKit.
func (p *project) ignore(context.Context) ([]string, error) { return p.excludes, nil }

func (c *ctx) reportErr(err error) {
	fmt.Fprintln(c.stderr, err)
}
