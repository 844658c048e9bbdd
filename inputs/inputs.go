// Package inputs derives everything the converter (package llb) needs from
// a build request, given one way to read files of the build context: the
// module and its layout (vendor directory, go.work workspace, local
// replacements), the go.sum check, the resolved target with goenv from
// build args, the builder image's name, SOURCE_DATE_EPOCH, the template
// data and the cache mode.
//
// It knows nothing of the BuildKit gateway: the frontend passes its
// gateway reads, the CLI (goscratch llb, dockerfile, validate) passes the
// file system, so both derive the same graph from the same files.
package inputs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path"
	"time"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
)

// Read returns the contents of those of paths (relative to the build
// context, slash-separated) that exist; missing ones are left out. Of a
// file PresenceOnly names only its presence counts: its value may be nil.
// why names the read for progress output.
type Read func(ctx context.Context, paths []string, why string) (map[string][]byte, error)

// Ignore returns the ignore patterns BuildKit applied to the main context:
// those of <spec file>.dockerignore next to the spec when there is one,
// else of .dockerignore; none when there is neither. They explain a
// missing go.mod.
type Ignore func(ctx context.Context) ([]string, error)

// Request is what a build asks for, besides the context's files.
type Request struct {
	Spec      *spec.Spec
	Target    string            // "" for the top level
	BuildArgs map[string]string // --build-arg values
	// FrontendOpts are the request's frontend options (buildx's
	// vcs:revision and vcs:source); nil for the CLI.
	FrontendOpts map[string]string
	// ImportsCache says the build imports a cache (--cache-from), which
	// makes the `auto` cache mode choose layers.
	ImportsCache bool
	Read         Read
	// Ignore, when set, gives the context's ignore patterns.
	Ignore Ignore
	// ContextEpoch resolves SOURCE_DATE_EPOCH=context (a git context's
	// commit time); nil when the caller cannot.
	ContextEpoch func(context.Context) (*time.Time, error)
}

// Inputs are the request's inputs to the converter, before the builder
// image and the build context are turned into LLB states (Options).
type Inputs struct {
	Module Module
	Target *spec.Resolved // goenv from build args applied
	Layout gsllb.Layout
	// Work is the go.work that applies to the module, if any.
	Work []byte
	// BuilderRef is the builder image's name: the spec's builder: or go:,
	// else golang:<go> from go.mod (go.work in a workspace).
	BuilderRef string
	Epoch      *time.Time // set only when the request gave SOURCE_DATE_EPOCH
	Template   spec.TemplateData
	Cache      gsllb.CacheMode
}

// Module is what is read of the Go module before building.
type Module struct {
	Dir      string            // the module's directory in the context
	GoMod    []byte            // its go.mod
	HasGoSum bool              // whether go.sum is next to it
	GoSum    []byte            // its go.sum
	Files    map[string][]byte // go.mod, go.work files and vendor/modules.txt found (see probePaths)
}

// Load reads and checks the request's inputs. Errors about the spec or the
// module carry the spec position of the field they are about.
func Load(ctx context.Context, req Request) (*Inputs, error) {
	sp := req.Spec
	mod, err := ReadModule(ctx, req.Read, req.Ignore, sp)
	if err != nil {
		return nil, err
	}
	target, err := sp.Resolve(req.Target, spec.ModulePath(mod.GoMod))
	if err != nil {
		return nil, err
	}
	if err := applyGoenvArgs(target, req.BuildArgs); err != nil {
		return nil, err
	}
	if err := applyDebugArg(target, req.BuildArgs); err != nil {
		return nil, err
	}
	layout, work, err := moduleLayout(mod.Dir, mod.Files, target.Goenv["GOWORK"], func(paths []string) (map[string][]byte, error) {
		return req.Read(ctx, paths, "load go.work modules")
	})
	if err != nil {
		return nil, SpecError(sp, "module", err)
	}
	if !layout.Vendor && work == nil {
		if err := checkGoSum(mod.Dir, mod.GoMod, mod.GoSum, mod.HasGoSum); err != nil {
			if !mod.HasGoSum {
				if ignored := ignoredFile(ctx, "go.sum", path.Join(mod.Dir, "go.sum"), sp.File(), req.Ignore); ignored != nil {
					err = ignored
				}
			}
			return nil, SpecError(sp, "module", err)
		}
	}
	// in a workspace, go.work's go line is at least every module's
	versionSource := mod.GoMod
	if work != nil {
		versionSource = work
	}
	ref, err := spec.BuilderImage(sp, versionSource)
	if err != nil {
		return nil, err
	}
	epoch, err := sourceDateEpoch(ctx, req.BuildArgs, req.ContextEpoch)
	if err != nil {
		return nil, err
	}
	cache, err := cacheMode(req.BuildArgs, req.ImportsCache)
	if err != nil {
		return nil, err
	}
	if layout.Profiles, err = profiles(ctx, req.Read, target, layout, cache); err != nil {
		return nil, err
	}
	return &Inputs{
		Module: *mod, Target: target, Layout: layout, Work: work, BuilderRef: ref,
		Epoch: epoch, Template: templateData(req.BuildArgs, req.FrontendOpts), Cache: cache,
	}, nil
}

// ReadModule reads <module>/go.mod, the go.work files above it and whether
// go.sum and vendor/modules.txt exist, in one small read. A missing go.mod
// is an error at the spec's module: field; ignore (nil when unknown) tells
// whether the context's ignore patterns left it out.
func ReadModule(ctx context.Context, read Read, ignore Ignore, sp *spec.Spec) (*Module, error) {
	dir := path.Clean(cmp.Or(sp.Module, "."))
	sum := path.Join(dir, "go.sum")
	files, err := read(ctx, append(probePaths(dir), sum), "load go.mod")
	if err != nil {
		return nil, err
	}
	gomod, ok := files[path.Join(dir, "go.mod")]
	if !ok {
		return nil, SpecError(sp, "module", missingGoMod(ctx, path.Join(dir, "go.mod"), sp.File(), ignore))
	}
	gosum, hasGoSum := files[sum]
	delete(files, sum)
	return &Module{Dir: dir, GoMod: gomod, HasGoSum: hasGoSum, GoSum: gosum, Files: files}, nil
}

// SpecError ties an error found outside the parser to the spec field it is
// about, so it carries that field's position.
func SpecError(sp *spec.Spec, field string, err error) error {
	var se *spec.Error
	if errors.As(err, &se) {
		return err
	}
	return &spec.Error{File: sp.File(), Pos: sp.Pos(field), Path: field, Msg: err.Error(), Err: err}
}

// BuilderError ties a builder image error to where the image was chosen:
// the spec's `builder:` or `go:`, else go.mod's go or toolchain line.
func (in *Inputs) BuilderError(sp *spec.Spec, err error) error {
	switch {
	case sp.Builder != "":
		return SpecError(sp, "builder", err)
	case sp.Go != "":
		return SpecError(sp, "go", err)
	}
	return SpecError(sp, "module", fmt.Errorf("%v; the image comes from the go or toolchain line of %s", err, path.Join(in.Module.Dir, "go.mod")))
}
