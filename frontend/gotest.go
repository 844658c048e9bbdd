package frontend

import (
	"context"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// buildTest solves the reserved target `test`. Tests run once, natively on
// the build platform, whatever --platform says; the result is the report
// directory (empty unless the spec asks for a report), so
// `--output type=local,dest=DIR` receives the report and nothing else.
func buildTest(ctx context.Context, bc *dockerui.Client, in *request) (*client.Result, error) {
	opt := in.options
	opt.TargetPlatform = opt.BuildPlatform
	st, err := gsllb.ConvertTest(in.target, opt)
	if err != nil {
		return nil, err
	}
	ref, err := solveState(ctx, bc, st)
	if err == nil {
		err = ref.Evaluate(ctx) // run the tests here, so a failure can be explained
	}
	if err != nil {
		return nil, in.explainFailure(ctx, err)
	}
	out := client.NewResult()
	out.SetRef(ref)
	return out, nil
}
