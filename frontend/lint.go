package frontend

import (
	"context"
	"errors"
	"fmt"
	"github.com/goscratch/goscratch/inputs"

	"github.com/goscratch/goscratch/spec"
	"github.com/goscratch/goscratch/spec/lint"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	sublint "github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/solver/pb"
)

// lintInput is what the lint rules read from a request.
// The platforms are the request's (after choosePlatforms, the ones built).
func lintInput(bc *dockerui.Client, sp *spec.Spec, mod inputs.Module) lint.Input {
	return lint.Input{Spec: sp, GoMod: mod.GoMod, HasGoSum: mod.HasGoSum, BuildArgs: bc.BuildArgs, Platforms: bc.TargetPlatforms}
}

// warnLint reports the lint findings of a normal build as build warnings,
// each with its spec line, the way the Dockerfile frontend reports its checks.
func warnLint(ctx context.Context, src *dockerui.Source, in lint.Input) {
	for _, f := range lint.Check(in, lint.Skipped(src.Data)) {
		msg := fmt.Sprintf("%s: %s", f.Rule.ID, f.Message)
		opts := client.WarnOpts{Level: 1, Detail: [][]byte{[]byte(f.Rule.Description)}, URL: f.Rule.URL()}
		if f.Pos.Line > 0 {
			msg = fmt.Sprintf("%s (line %d)", msg, f.Pos.Line)
			opts.Range = lineRange(f.Pos)
		}
		src.Warn(ctx, msg, opts)
	}
}

// lintResults answers `--call check`: the findings as warnings, or the
// spec's first error as the build error.
func lintResults(ctx context.Context, bc *dockerui.Client, src *dockerui.Source) (*sublint.LintResults, error) {
	res := &sublint.LintResults{Warnings: []sublint.Warning{}}
	idx := res.AddSource(src.SourceMap)
	sp, err := spec.Parse(src.Filename, src.Data)
	if err != nil {
		res.Error = buildError(err, idx)
		return res, nil
	}
	mod, err := inputs.ReadModule(ctx, gatewayRead(bc), bc.DockerIgnorePatterns, sp)
	if err != nil {
		res.Error = buildError(err, idx)
		return res, nil
	}
	for _, f := range lint.Check(lintInput(bc, sp, *mod), lint.Skipped(src.Data)) {
		loc := &pb.Location{SourceIndex: -1}
		if f.Pos.Line > 0 {
			loc = &pb.Location{SourceIndex: int32(idx), Ranges: lineRange(f.Pos)}
		}
		res.Warnings = append(res.Warnings, sublint.Warning{
			RuleName:    f.Rule.ID,
			Description: f.Rule.Description,
			URL:         f.Rule.URL(),
			Detail:      f.Message,
			Location:    loc,
		})
	}
	return res, nil
}

// buildError is a spec error as a lint result: the first problem, at its line.
func buildError(err error, idx int) *sublint.BuildError {
	be := &sublint.BuildError{Message: err.Error(), Location: pb.Location{SourceIndex: -1}}
	var se *spec.Error
	if errors.As(err, &se) && se.Pos.Line > 0 {
		be.Location = pb.Location{SourceIndex: int32(idx), Ranges: lineRange(se.Pos)}
	}
	return be
}

// lineRange is the whole spec line of pos, as BuildKit source ranges count.
func lineRange(pos spec.Pos) []*pb.Range {
	line := int32(pos.Line)
	return []*pb.Range{{Start: &pb.Position{Line: line}, End: &pb.Position{Line: line}}}
}
