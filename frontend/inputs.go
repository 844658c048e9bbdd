package frontend

import (
	"cmp"
	"context"
	"fmt"
	"path"
	"strconv"
	"time"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// inputs is everything read from the request before per-platform conversion.
type inputs struct {
	specFile  string
	sourceMap *llb.SourceMap
	module    *moduleFiles
	target    *spec.Resolved
	options   gsllb.Options // TargetPlatform is filled per platform
	epoch     *time.Time    // set only when the request gave SOURCE_DATE_EPOCH
	// explainFailure turns a failed solve into the builder error when the
	// builder image has no go command (checked only after a failure, so a
	// good build pays no extra solve); else it returns err.
	explainFailure func(ctx context.Context, err error) error
}

func loadInputs(ctx context.Context, bc *dockerui.Client, sp *spec.Spec, sm *llb.SourceMap) (*inputs, error) {
	mod, err := readModule(ctx, bc, sp)
	if err != nil {
		return nil, withSpecSource(specError(sp, "module", err), sm)
	}
	moduleDir, files, gomod := mod.dir, mod.files, mod.gomod
	target, err := sp.Resolve(bc.Target, spec.ModulePath(gomod))
	if err != nil {
		return nil, withSpecSource(err, sm)
	}
	if err := applyGoenvArgs(target, bc.BuildArgs); err != nil {
		return nil, err
	}
	if err := checkFileSources(ctx, bc, target, sp.File()); err != nil {
		return nil, withSpecSource(err, sm)
	}
	layout, work, err := moduleLayout(moduleDir, files, target.Goenv["GOWORK"], func(paths []string) (map[string][]byte, error) {
		return readContextFiles(ctx, bc, paths, "load go.work modules")
	})
	if err != nil {
		return nil, withSpecSource(specError(sp, "module", err), sm)
	}
	if !layout.Vendor && work == nil {
		if err := checkGoSum(moduleDir, gomod, mod.gosum, mod.hasGoSum); err != nil {
			return nil, withSpecSource(specError(sp, "module", err), sm)
		}
	}
	// in a workspace, go.work's go line is at least every module's
	versionSource := gomod
	if work != nil {
		versionSource = work
	}
	ref, err := spec.BuilderImage(sp, versionSource)
	if err != nil {
		return nil, withSpecSource(err, sm)
	}
	epoch, err := sourceDateEpoch(ctx, bc)
	if err != nil {
		return nil, err
	}
	main, err := bc.MainContext(ctx)
	if err != nil {
		return nil, err
	}
	buildPlatform := buildPlatform0(bc)
	builder, env, err := loadBuilder(ctx, bc, ref, buildPlatform)
	if err != nil {
		return nil, withSpecSource(builderError(sp, mod.dir, err), sm)
	}
	cache, err := cacheMode(bc)
	if err != nil {
		return nil, err
	}
	var constraints []llb.ConstraintsOpt
	if bc.IsNoCache(bc.Target) {
		constraints = append(constraints, llb.IgnoreCache)
	}
	return &inputs{
		specFile:  sp.File(),
		sourceMap: sm,
		module:    mod,
		target:    target,
		epoch:     epoch,
		explainFailure: func(ctx context.Context, err error) error {
			if berr := checkBuilderHasGo(ctx, bc, builder, env, ref); berr != nil {
				return withSpecSource(builderError(sp, mod.dir, berr), sm)
			}
			return err
		},
		options: gsllb.Options{
			GoTool:        prebuiltGoTool(ctx, bc, buildPlatform),
			BuildPlatform: buildPlatform,
			Context:       *main,
			Builder:       builder,
			BuilderEnv:    env,
			Epoch:         epoch,
			Labels:        bc.Labels,
			Template:      templateData(bc),
			CacheNS:       bc.CacheIDNamespace,
			SourceMap:     sm,
			Constraints:   constraints,
			Layout:        layout,
			Cache:         cache,
		},
	}, nil
}

// builderError ties a builder image error to where the image was chosen:
// the spec's `builder:` or `go:`, else go.mod's go or toolchain line.
func builderError(sp *spec.Spec, moduleDir string, err error) error {
	switch {
	case sp.Builder != "":
		return specError(sp, "builder", err)
	case sp.Go != "":
		return specError(sp, "go", err)
	}
	return specError(sp, "module", fmt.Errorf("%v; the image comes from the go or toolchain line of %s", err, path.Join(moduleDir, "go.mod")))
}

// moduleFiles are what the frontend reads of the Go module before building.
type moduleFiles struct {
	dir      string            // the module's directory in the context
	gomod    []byte            // its go.mod
	hasGoSum bool              // whether go.sum is next to it
	gosum    []byte            // its go.sum
	files    map[string][]byte // go.mod, go.work files and vendor/modules.txt found (see probePaths)
}

// readModule reads <module>/go.mod, the go.work files above it and whether
// go.sum and vendor/modules.txt exist, in one small transfer.
func readModule(ctx context.Context, bc *dockerui.Client, sp *spec.Spec) (*moduleFiles, error) {
	dir := path.Clean(cmp.Or(sp.Module, "."))
	sum := path.Join(dir, "go.sum")
	files, err := readContextFiles(ctx, bc, append(probePaths(dir), sum), "load go.mod")
	if err != nil {
		return nil, err
	}
	gomod, ok := files[path.Join(dir, "go.mod")]
	if !ok {
		return nil, fmt.Errorf("no go.mod at %s in the build context: point `module:` at the directory holding go.mod, or check .dockerignore", path.Join(dir, "go.mod"))
	}
	gosum, hasGoSum := files[sum]
	delete(files, sum)
	return &moduleFiles{dir: dir, gomod: gomod, hasGoSum: hasGoSum, gosum: gosum, files: files}, nil
}

// readContextFiles reads files from the main context in one transfer that
// holds only them; missing files are left out of the result. Of
// vendor/modules.txt only the existence matters, so it is not read.
func readContextFiles(ctx context.Context, bc *dockerui.Client, paths []string, name string) (map[string][]byte, error) {
	st, err := bc.MainContext(ctx, llb.FollowPaths(paths), dockerui.WithInternalName(name))
	if err != nil {
		return nil, err
	}
	ref, err := solve(ctx, bc, *st, nil)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, p := range paths {
		if path.Base(p) == "modules.txt" {
			if st, err := ref.StatFile(ctx, client.StatRequest{Path: p}); err == nil && !st.IsDir() {
				out[p] = nil
			}
			continue
		}
		if dt, err := ref.ReadFile(ctx, client.ReadRequest{Filename: p}); err == nil {
			out[p] = dt
		}
	}
	return out, nil
}

// sourceDateEpoch reads SOURCE_DATE_EPOCH from the build args: Unix seconds,
// or `context` for the main context's commit time (git contexts).
func sourceDateEpoch(ctx context.Context, bc *dockerui.Client) (*time.Time, error) {
	v, ok := bc.BuildArgs["SOURCE_DATE_EPOCH"]
	if !ok || v == "" {
		return nil, nil
	}
	if v == "context" {
		return bc.ResolveMainContextSourceDateEpoch(ctx)
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec < 0 {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want Unix seconds (e.g. $(git log -1 --format=%%ct)) or \"context\"", v)
	}
	t := time.Unix(sec, 0).UTC()
	return &t, nil
}
