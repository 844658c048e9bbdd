package llb

import (
	"testing"

	"github.com/goscratch/goscratch/llb/stepname"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/solver/pb"
)

// rootImage is the image a step's root filesystem comes from, through the
// toolchain copy when the step runs on it: "toolchain:" before the image.
func rootImage(g *graph, e *pb.ExecOp) string {
	g.t.Helper()
	in := g.input(g.opOf(e), mount(e, "/").Input)
	prefix := ""
	if x := in.GetExec(); x != nil {
		if len(x.Meta.Args) < 2 || x.Meta.Args[1] != "toolchain" {
			g.t.Fatalf("root filesystem made by %q", x.Meta.Args)
		}
		prefix = "toolchain:"
		in = g.input(in, mount(x, "/").Input)
	}
	if src := in.GetSource(); src != nil {
		return prefix + src.Identifier
	}
	return prefix + "?"
}

// TestCompilesRunOnTheToolchain: in the layers mode the compile steps
// (precompile, own precompile, go build) and setcap run on the toolchain copied out
// of the builder image, the others on the builder; with cgo, -toolexec or
// in the mounts mode everything runs on the builder.
func TestCompilesRunOnTheToolchain(t *testing.T) {
	const builder = "docker-image://docker.io/library/golang:1.26"
	compiles := [][]string{depPrecompile, ownPrecompile, {toolBin, "build"}, {toolBin, "setcap"}}
	others := [][]string{{toolBin, "download"}, {toolBin, "prune"}}
	for _, c := range []struct {
		name      string
		mode      CacheMode
		edit      func(*spec.Resolved)
		toolchain bool
	}{
		{"layers", CacheLayers, func(*spec.Resolved) {}, true},
		{"mounts", CacheMounts, func(*spec.Resolved) {}, false},
		{"cgo", CacheLayers, func(r *spec.Resolved) { r.Goenv["CGO_ENABLED"] = "1" }, false},
		{"toolexec", CacheLayers, func(r *spec.Resolved) { r.Goflags = []string{"-toolexec=/src/tool"} }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := resolved()
			r.Binaries[0].Capabilities = []string{"CAP_NET_BIND_SERVICE"}
			c.edit(r)
			opt := options(arm64)
			opt.Cache = c.mode
			_, g := convert(t, r, opt)
			copies := g.execs(toolBin, "toolchain")
			if !c.toolchain {
				if len(copies) != 0 {
					t.Errorf("%d toolchain copies, want none", len(copies))
				}
				b := g.exec(toolBin, "build")
				if got := rootImage(g, b); got != builder {
					t.Errorf("go build runs on %q, want the builder", got)
				}
				return
			}
			if len(copies) != 1 {
				t.Fatalf("%d toolchain copies, want 1", len(copies))
			}
			tc := copies[0].GetExec()
			if tc.Network != pb.NetMode_NONE || g.meta[g.digestOf(copies[0])].Description["llb.customname"] != stepname.Toolchain {
				t.Errorf("toolchain copy: network %v, metadata %v", tc.Network, g.meta[g.digestOf(copies[0])].Description)
			}
			for _, prefix := range compiles {
				for _, op := range g.execs(prefix...) {
					if got := rootImage(g, op.GetExec()); got != "toolchain:"+builder {
						t.Errorf("%q runs on %q, want the toolchain copy", prefix, got)
					}
				}
				if len(g.execs(prefix...)) == 0 {
					t.Errorf("no %q step", prefix)
				}
			}
			for _, prefix := range others {
				if got := rootImage(g, g.exec(prefix...)); got != builder {
					t.Errorf("%q runs on %q, want the builder", prefix, got)
				}
			}
		})
	}
}
