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
}

func loadInputs(ctx context.Context, bc *dockerui.Client, sp *spec.Spec, sm *llb.SourceMap) (*inputs, error) {
	mod, err := readModule(ctx, bc, sp)
	if err != nil {
		return nil, withSpecSource(specError(sp, "module", err), sm)
	}
	gomod := mod.gomod
	target, err := sp.Resolve(bc.Target, spec.ModulePath(gomod))
	if err != nil {
		return nil, withSpecSource(err, sm)
	}
	ref, err := spec.BuilderImage(sp, gomod)
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
		return nil, withSpecSource(specError(sp, "builder", err), sm)
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
		options: gsllb.Options{
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
		},
	}, nil
}

// moduleFiles are what the frontend reads of the Go module before building.
type moduleFiles struct {
	gomod    []byte
	hasGoSum bool
}

// readModule reads <module>/go.mod from the main context and whether go.sum
// is next to it, transferring only those two files.
func readModule(ctx context.Context, bc *dockerui.Client, sp *spec.Spec) (*moduleFiles, error) {
	dir := path.Clean(cmp.Or(sp.Module, "."))
	p, sum := path.Join(dir, "go.mod"), path.Join(dir, "go.sum")
	st, err := bc.MainContext(ctx, llb.FollowPaths([]string{p, sum}), dockerui.WithInternalName("load go.mod"))
	if err != nil {
		return nil, err
	}
	def, err := st.Marshal(ctx)
	if err != nil {
		return nil, err
	}
	res, err := bc.GatewayClient().Solve(ctx, client.SolveRequest{Definition: def.ToPB()})
	if err != nil {
		return nil, err
	}
	ref, err := res.SingleRef()
	if err != nil {
		return nil, err
	}
	dt, err := ref.ReadFile(ctx, client.ReadRequest{Filename: p})
	if err != nil {
		return nil, fmt.Errorf("no go.mod at %s in the build context: point `module:` at the directory holding go.mod, or check .dockerignore", p)
	}
	_, err = ref.StatFile(ctx, client.StatRequest{Path: sum})
	return &moduleFiles{gomod: dt, hasGoSum: err == nil}, nil
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
