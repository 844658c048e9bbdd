package llb

import (
	"os"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/solver/pb"
)

// mkdirsOf returns path -> mkdir action of every file op feeding the merge.
func mkdirsOf(t *testing.T, g *graph) map[string][]*pb.FileActionMkDir {
	out := map[string][]*pb.FileActionMkDir{}
	for i := range g.root().GetMerge().Inputs {
		for _, a := range layerActions(g, i) {
			if md := a.GetMkdir(); md != nil {
				if md.MakeParents {
					t.Errorf("mkdir %s makes parents: they would get its mode and owner", md.Path)
				}
				out[md.Path] = append(out[md.Path], md)
			}
		}
	}
	return out
}

// TestLayersAgreeOnDirectories: a later layer's directory entry replaces an
// earlier one's, so an extra file's mode and owner must not reach /etc or
// the home directory, and every layer makes a directory the same way.
func TestLayersAgreeOnDirectories(t *testing.T) {
	r := resolved()
	r.Workdir = "/srv/app"
	mode := uint32(0o640)
	r.Files = []spec.File{
		{Src: "config/app.yaml", Dst: "/etc/app/app.yaml", Mode: &mode, Owner: "65532:65532"},
		{Src: "config/dev.yaml", Dst: "/home/nonroot/.config/", Mode: &mode, Owner: "65532:65532"},
		{Src: "static", Dst: "/srv/app/static", Owner: "65532:65532"},
	}
	_, g := convert(t, r, options(amd64))
	want := map[string]struct {
		mode     os.FileMode
		uid, gid int
	}{
		"/etc": {0o755, 0, 0}, "/etc/app": {0o755, 0, 0},
		"/home": {0o755, 0, 0}, "/home/nonroot": {0o700, 65532, 65532}, "/home/nonroot/.config": {0o755, 0, 0},
		"/srv": {0o755, 0, 0}, "/srv/app": {0o755, 65532, 65532},
	}
	got := mkdirsOf(t, g)
	for p, w := range want {
		if len(got[p]) == 0 {
			t.Errorf("no layer makes %s", p)
		}
		for _, md := range got[p] {
			uid, gid := uint32(0), uint32(0)
			if md.Owner != nil {
				uid, gid = md.Owner.User.GetByID(), md.Owner.Group.GetByID()
			}
			if os.FileMode(md.Mode) != w.mode || uid != uint32(w.uid) || gid != uint32(w.gid) {
				t.Errorf("%s made %o %v, want %o %d:%d", p, md.Mode, md.Owner, w.mode, w.uid, w.gid)
			}
		}
	}
	// /tmp is copied with mode 1777: LLB's mkdir keeps only the 0777 bits
	var tmp *pb.FileActionCopy
	for _, a := range layerActions(g, 0) {
		if c := a.GetCopy(); c != nil && c.Dest == "/tmp" {
			tmp = c
		}
	}
	if tmp == nil || tmp.Mode != 0o1777 {
		t.Errorf("/tmp copy %v, want mode 1777 (sticky)", tmp)
	}
	if n := len(got["/home/nonroot"]); n != 2 {
		t.Errorf("/home/nonroot made by %d layers, want 2 (base and the .config file)", n)
	}
}

// layerActions are the file actions of merge input i and, when the layer
// copies a staged tree (see staged), of the staging state.
func layerActions(g *graph, i int) []*pb.FileAction {
	op := g.input(g.root(), int64(i))
	if op.GetFile() == nil {
		return nil // an exec's output (a binary with capabilities)
	}
	acts := op.GetFile().Actions
	if len(acts) == 1 && acts[0].GetCopy() != nil && len(op.Inputs) == 1 {
		if stage := g.input(op, 0).GetFile(); stage != nil {
			acts = append(acts, stage.Actions...)
		}
	}
	return acts
}
