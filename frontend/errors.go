package frontend

import (
	"errors"
	"strconv"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
)

// withSpecSource attaches the spec file and the line of every spec error to
// err, so buildx prints the spec snippet with the offending lines marked.
func withSpecSource(err error, sm *llb.SourceMap) error {
	if err == nil || sm == nil {
		return err
	}
	var list spec.ErrorList
	var one *spec.Error
	var errs []*spec.Error
	switch {
	case errors.As(err, &list):
		errs = list
	case errors.As(err, &one):
		errs = []*spec.Error{one}
	}
	for i := len(errs) - 1; i >= 0; i-- {
		if errs[i].Pos.Line == 0 {
			continue
		}
		line := int32(errs[i].Pos.Line)
		err = errdefs.WithSource(err, &errdefs.Source{
			Info: &pb.SourceInfo{Filename: sm.Filename, Data: sm.Data, Language: sm.Language},
			Ranges: []*pb.Range{{
				Start: &pb.Position{Line: line, Character: int32(errs[i].Pos.Column)},
				End:   &pb.Position{Line: line, Character: int32(errs[i].Pos.Column)},
			}},
		})
	}
	return err
}

func itoa(i int) string { return strconv.Itoa(i) }
