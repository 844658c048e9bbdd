package cli

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/goscratch/goscratch/spec"
)

// project is a parsed spec with what the frontend reads from the build
// context: the module's go.mod and whether go.sum is next to it.
type project struct {
	file     string // the spec file as given
	data     []byte
	spec     *spec.Spec
	context  string // build context directory
	gomod    []byte // nil when missing
	hasGoSum bool
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
	dir := filepath.Join(p.context, filepath.FromSlash(path.Clean(cmp.Or(sp.Module, "."))))
	p.gomod, err = os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	_, err = os.Stat(filepath.Join(dir, "go.sum"))
	p.hasGoSum = err == nil
	return p, nil
}

// resolve is the target with every default applied, and its builder image;
// errors are the frontend's, with the spec position.
func (c *ctx) resolve(p *project, target string) (*spec.Resolved, string, error) {
	if p.gomod == nil {
		dir := path.Clean(cmp.Or(p.spec.Module, "."))
		c.reportErr(&spec.Error{File: p.file, Pos: p.spec.Pos("module"), Path: "module",
			Msg:  fmt.Sprintf("no go.mod at %s in the build context %s", path.Join(dir, "go.mod"), p.context),
			Hint: "point module: at the directory holding go.mod, or pass --context"})
		return nil, "", errInvalid
	}
	r, err := p.spec.Resolve(target, spec.ModulePath(p.gomod))
	if err != nil {
		c.reportErr(err)
		return nil, "", errInvalid
	}
	builder, err := spec.BuilderImage(p.spec, p.gomod)
	if err != nil {
		c.reportErr(err)
		return nil, "", errInvalid
	}
	return r, builder, nil
}

func (c *ctx) reportErr(err error) {
	fmt.Fprintln(c.stderr, err)
}
