package llb

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// graph is a marshalled definition decoded back into ops, for assertions.
type graph struct {
	t    *testing.T
	ops  map[digest.Digest]*pb.Op
	meta map[digest.Digest]llb.OpMetadata
	def  *llb.Definition
}

func marshal(t *testing.T, st llb.State) *graph {
	t.Helper()
	def, err := st.Marshal(context.Background())
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	g := &graph{t: t, ops: map[digest.Digest]*pb.Op{}, meta: def.Metadata, def: def}
	for _, dt := range def.Def {
		op := &pb.Op{}
		if err := op.UnmarshalVT(dt); err != nil {
			t.Fatalf("unmarshal op: %v", err)
		}
		g.ops[digest.FromBytes(dt)] = op
	}
	return g
}

// execs returns the exec ops whose args start with prefix, in a stable order.
// depPrecompile and ownPrecompile start the args of the two precompile
// steps: the dependency layer's and the own packages' layer's.
var (
	depPrecompile = []string{toolBin, "precompile", "-list", depsDir + "/deps.txt"}
	ownPrecompile = []string{toolBin, "precompile", "-list", ownListFile}
)

func (g *graph) execs(prefix ...string) []*pb.Op {
	var out []*pb.Op
	for _, op := range g.ops {
		if e := op.GetExec(); e != nil && len(e.Meta.Args) >= len(prefix) && slices.Equal(e.Meta.Args[:len(prefix)], prefix) {
			out = append(out, op)
		}
	}
	slices.SortFunc(out, func(a, b *pb.Op) int {
		return strings.Compare(strings.Join(a.GetExec().Meta.Args, " "), strings.Join(b.GetExec().Meta.Args, " "))
	})
	return out
}

func (g *graph) exec(prefix ...string) *pb.ExecOp {
	g.t.Helper()
	ops := g.execs(prefix...)
	if len(ops) != 1 {
		g.t.Fatalf("want 1 exec %q, found %d", prefix, len(ops))
	}
	return ops[0].GetExec()
}

func (g *graph) opOf(e *pb.ExecOp) *pb.Op {
	for _, op := range g.ops {
		if op.GetExec() == e {
			return op
		}
	}
	g.t.Fatalf("exec not in graph")
	return nil
}

// input returns the op feeding input i of op.
func (g *graph) input(op *pb.Op, i int64) *pb.Op {
	g.t.Helper()
	in := op.Inputs[i]
	src, ok := g.ops[digest.Digest(in.Digest)]
	if !ok {
		g.t.Fatalf("input %d not found", i)
	}
	return src
}

// root is the op the definition's final state points at.
func (g *graph) root() *pb.Op {
	g.t.Helper()
	last := &pb.Op{}
	if err := last.UnmarshalVT(g.def.Def[len(g.def.Def)-1]); err != nil {
		g.t.Fatal(err)
	}
	return g.input(last, 0)
}

func mount(e *pb.ExecOp, dest string) *pb.Mount {
	for _, m := range e.Mounts {
		if m.Dest == dest {
			return m
		}
	}
	return nil
}

func envMap(e *pb.ExecOp) map[string]string {
	m := map[string]string{}
	for _, kv := range e.Meta.Env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

// assertDeterministic converts r 20 times and fails unless every marshalled
// definition is byte-identical.
func assertDeterministic(t *testing.T, r *spec.Resolved, opt Options) {
	t.Helper()
	var first []byte
	for i := 0; i < 20; i++ {
		res, err := Convert(r, opt)
		if err != nil {
			t.Fatal(err)
		}
		def, err := res.State.Marshal(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		dt := bytes.Join(def.Def, []byte{0})
		if i == 0 {
			first = dt
		} else if !bytes.Equal(first, dt) {
			t.Fatalf("run %d produced a different definition", i)
		}
	}
}

// digestOf is op's digest in the graph.
func (g *graph) digestOf(op *pb.Op) digest.Digest {
	g.t.Helper()
	for d, o := range g.ops {
		if o == op {
			return d
		}
	}
	g.t.Fatalf("op not in graph")
	return ""
}
