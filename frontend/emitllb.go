package frontend

import (
	"bytes"
	"context"
	"strings"

	"github.com/containerd/platforms"
	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// argLLB makes the frontend return the LLB definitions it would solve
// instead of building them: one file per target platform, <os>-<arch>[-<variant>].llb
// (test.llb for the test target), in llb.WriteTo's format, for
// `--output type=local,dest=DIR`. `goscratch llb` writes the same
// definition from the same request (the parity test compares them).
const argLLB = "GOSCRATCH_LLB"

// emitLLB answers a request with argLLB set.
func emitLLB(ctx context.Context, bc *dockerui.Client, in *request) (*client.Result, error) {
	defs := map[string]llb.State{}
	if in.target.Test != nil {
		opt := in.options
		opt.TargetPlatform = opt.BuildPlatform
		st, err := gsllb.ConvertTest(in.target, opt)
		if err != nil {
			return nil, err
		}
		defs["test"] = st
	} else {
		targets := bc.TargetPlatforms
		if len(targets) == 0 {
			targets = []ocispecs.Platform{platforms.DefaultSpec()}
		}
		for _, p := range targets {
			opt, err := in.platformOptions(ctx, bc, p)
			if err != nil {
				return nil, err
			}
			res, err := gsllb.Convert(in.target, opt)
			if err != nil {
				return nil, err
			}
			defs[strings.ReplaceAll(platforms.FormatAll(p), "/", "-")] = res.State
		}
	}
	out := llb.Scratch()
	for name, st := range defs {
		def, err := st.Marshal(ctx, llb.WithCaps(bc.BuildOpts().LLBCaps))
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := llb.WriteTo(def, &buf); err != nil {
			return nil, err
		}
		out = out.File(llb.Mkfile("/"+name+".llb", 0o644, buf.Bytes()), llb.WithCustomName("definition for "+name))
	}
	ref, err := solve(ctx, bc, out, nil)
	if err != nil {
		return nil, err
	}
	res := client.NewResult()
	res.SetRef(ref)
	return res, nil
}
