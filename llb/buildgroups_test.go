package llb

import (
	"slices"
	"testing"

	"github.com/goscratch/goscratch/spec"
)

// TestBinariesSharingFlagsAreOneBuild: binaries with the same tags and
// ldflags are one go build (gotool build -exe NAME=PKG ... -out DIR), a
// binary with other tags is a build of its own, and each binary's layer
// copies its file from the build that made it, in spec order.
func TestBinariesSharingFlagsAreOneBuild(t *testing.T) {
	r := resolved()
	r.Binaries = []spec.ResolvedBinary{
		{Main: "./cmd/server", Name: "server", Ldflags: "-s -w"},
		{Main: "./cmd/debug", Name: "debugger", Ldflags: "-s -w", Tags: []string{"debug"}},
		{Main: "./cmd/cli", Name: "app", Ldflags: "-s -w"},
	}
	for _, mode := range []CacheMode{CacheMounts, CacheLayers} {
		opt := options(arm64)
		opt.Cache = mode
		_, g := convert(t, r, opt)
		builds := g.execs(toolBin, "build")
		if len(builds) != 2 {
			t.Fatalf("mode %v: %d go build steps, want 2 (server+app, debugger)", mode, len(builds))
		}
		var joint, single []string
		for _, op := range builds {
			args := op.GetExec().Meta.Args
			if slices.Contains(args, "-exe") {
				joint = args
			} else {
				single = args
			}
		}
		if !slices.Contains(joint, "server=./cmd/server") || !slices.Contains(joint, "app=./cmd/cli") ||
			!slices.Contains(joint, "/goscratch/out/usr/local/bin") || slices.Contains(joint, "-o") || slices.Contains(joint, "debugger=./cmd/debug") {
			t.Errorf("mode %v: the joint build %q: want -exe server=./cmd/server -exe app=./cmd/cli -out, no -o", mode, joint)
		}
		if !slices.Contains(single, "-o") || !slices.Contains(single, "./cmd/debug") || !slices.Contains(single, "debug") {
			t.Errorf("mode %v: the debugger's build %q: want -o and its tags", mode, single)
		}

		// the binary layers, in spec order, each from its build
		var copied []string
		for i := range g.root().GetMerge().Inputs {
			for _, a := range layerActions(g, i) {
				c := a.GetCopy()
				if c == nil || len(c.Dest) < len(spec.BinDir) || c.Dest[:len(spec.BinDir)] != spec.BinDir {
					continue
				}
				copied = append(copied, c.Dest)
				src := g.input(g.input(g.root(), int64(i)), 0).GetExec()
				want := "-exe"
				if c.Dest == spec.BinDir+"/debugger" {
					want = "-o"
				}
				if src == nil || !slices.Contains(src.Meta.Args, want) {
					t.Errorf("mode %v: %s is copied from %v, want the build with %s", mode, c.Dest, src, want)
				}
			}
		}
		if want := []string{spec.BinDir + "/server", spec.BinDir + "/debugger", spec.BinDir + "/app"}; !slices.Equal(copied, want) {
			t.Errorf("mode %v: binary layers %q, want %q", mode, copied, want)
		}
	}
}
