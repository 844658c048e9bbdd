package llb

import (
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/solver/pb"
)

// TestPrecompileWithProfile checks that a main package's default.pgo
// reaches the precompile step as that one file, copied out of the context
// (so the step stays keyed on the profile's content, never the source), and
// that gotool compiles the dependencies with it.
func TestPrecompileWithProfile(t *testing.T) {
	r := resolved()
	r.Module = "svc"
	opt := options(amd64)
	opt.Layout.Profiles = []string{"./cmd/server"}
	_, g := convert(t, r, opt)

	pre := g.exec(depPrecompile...)
	wantArgs := []string{toolBin, "precompile", "-list", depsDir + "/deps.txt", "-cache-out", depLayerDir, "-cache-rw", buildCache,
		"-pgo", pgoDir + "/default.pgo", "--", "-trimpath", "-buildvcs=false"}
	if !slices.Equal(pre.Meta.Args, wantArgs) {
		t.Errorf("precompile args\n got %q\nwant %q", pre.Meta.Args, wantArgs)
	}
	if m := mount(pre, srcDir); m != nil {
		t.Errorf("precompile mounts the source: a source edit would re-run it")
	}
	m := mount(pre, pgoDir)
	if m == nil || !m.Readonly || m.Output != -1 {
		t.Fatalf("profile mount %v: want read-only", m)
	}
	cp := g.input(g.opOf(pre), m.Input).GetFile()
	if cp == nil || len(cp.Actions) != 1 || cp.Actions[0].GetCopy() == nil {
		t.Fatalf("profile mount does not come from one copy: %v", cp)
	}
	c := cp.Actions[0].GetCopy()
	if c.Src != "/svc/cmd/server/default.pgo" || c.Dest != "/default.pgo" {
		t.Errorf("profile copy %q -> %q, want /svc/cmd/server/default.pgo -> /default.pgo", c.Src, c.Dest)
	}
	if src := g.input(g.input(g.opOf(pre), m.Input), cp.Actions[0].SecondaryInput).GetSource(); src == nil || !strings.HasPrefix(src.Identifier, "local://context") {
		t.Errorf("profile copied from %v, want the build context", src)
	}

	// the build finds the profile by itself (-pgo=auto) and reads this layer
	build := g.exec(toolBin, "build")
	if slices.ContainsFunc(build.Meta.Args, func(a string) bool { return strings.HasPrefix(a, "-pgo") }) {
		t.Errorf("build args %q: go build finds default.pgo itself", build.Meta.Args)
	}
	layer := mount(build, depLayerDir)
	if layer == nil || g.input(g.opOf(build), layer.Input).GetExec() != pre {
		t.Errorf("the build does not read the layer precompiled with its profile")
	}
	// the lists are not keyed on the profile: they list the same packages
	for _, step := range []string{"imports", "prune"} {
		list := g.exec(toolBin, step)
		if mount(list, pgoDir) != nil || slices.Contains(list.Meta.Args, "-pgo") {
			t.Errorf("%s step gets the profile: %q", step, list.Meta.Args)
		}
	}
}

// TestDependencyLayerPerProfile checks that binaries share a dependency
// layer only when they have the same tags and the same profile, and that
// each build reads the layer made with its own.
func TestDependencyLayerPerProfile(t *testing.T) {
	for _, tc := range []struct {
		name     string
		bins     []spec.ResolvedBinary
		profiles []string
		goflags  []string
		goenv    map[string]string
		want     []string // the -pgo of each precompile step, "" for none, sorted
	}{
		{name: "no profile", want: []string{""}},
		{name: "profile", profiles: []string{"./cmd/server"}, want: []string{"cmd/server/default.pgo"}},
		{name: "a profile of another main", profiles: []string{"./cmd/other"}, want: []string{""}},
		{name: "one with, one without", bins: []spec.ResolvedBinary{{Main: "./cmd/b", Name: "b"}},
			profiles: []string{"./cmd/server"}, want: []string{"", "cmd/server/default.pgo"}},
		{name: "two profiles", bins: []spec.ResolvedBinary{{Main: "./cmd/b", Name: "b"}, {Main: "./cmd/c", Name: "c"}},
			profiles: []string{"./cmd/server", "./cmd/b"}, want: []string{"", "cmd/b/default.pgo", "cmd/server/default.pgo"}},
		{name: "the same main twice", bins: []spec.ResolvedBinary{{Main: "./cmd/server", Name: "server2", Ldflags: "-X main.v=2"}},
			profiles: []string{"./cmd/server"}, want: []string{"cmd/server/default.pgo"}},
		{name: "profile and tags", bins: []spec.ResolvedBinary{{Main: "./cmd/server", Name: "server2", Tags: []string{"x"}}},
			profiles: []string{"./cmd/server"}, want: []string{"cmd/server/default.pgo", "cmd/server/default.pgo"}},
		{name: "-pgo=off", profiles: []string{"./cmd/server"}, goflags: []string{"-pgo=off"}, want: []string{""}},
		{name: "GOFLAGS=-pgo=off", profiles: []string{"./cmd/server"}, goenv: map[string]string{"GOFLAGS": "-v -pgo=off"}, want: []string{""}},
		{name: "-pgo=auto", profiles: []string{"./cmd/server"}, goflags: []string{"--pgo=auto"}, want: []string{"cmd/server/default.pgo"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := resolved()
			r.Binaries = append(r.Binaries, tc.bins...)
			r.Goflags = tc.goflags
			if tc.goenv != nil {
				r.Goenv = tc.goenv
			}
			opt := options(arm64)
			opt.Layout.Profiles = tc.profiles
			_, g := convert(t, r, opt)
			var got []string
			for _, op := range g.execs(depPrecompile...) {
				got = append(got, profileCopied(g, op))
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("precompile steps with profiles %q, want %q", got, tc.want)
			}
			if n := len(g.execs(toolBin, "imports")); n != len(tc.want) {
				t.Errorf("%d imports steps, want %d", n, len(tc.want))
			}
			for _, op := range g.execs(toolBin, "build") {
				b := op.GetExec()
				main := b.Meta.Args[len(b.Meta.Args)-1]
				want := ""
				if slices.Contains(tc.profiles, main) && pgoAuto(r) {
					want = main[2:] + "/default.pgo"
				}
				layer := mount(b, depLayerDir)
				if layer == nil {
					t.Fatalf("build of %s reads no dependency layer", main)
				}
				if got := profileCopied(g, g.input(op, layer.Input)); got != want {
					t.Errorf("build of %s reads the layer precompiled with profile %q, want %q", main, got, want)
				}
			}
		})
	}
}

// TestProfilesOnlyInLayersMode: with cache mounts there is no precompile
// step, and the build finds the profile by itself.
func TestProfilesOnlyInLayersMode(t *testing.T) {
	opt := options(amd64)
	opt.Cache = CacheMounts
	opt.Layout.Profiles = []string{"./cmd/server"}
	_, g := convert(t, resolved(), opt)
	if n := len(g.execs(depPrecompile...)); n != 0 {
		t.Errorf("%d precompile steps with cache mounts", n)
	}
	if b := g.exec(toolBin, "build"); mount(b, pgoDir) != nil || !strings.Contains(strings.Join(b.Meta.Args, " "), "./cmd/server") {
		t.Errorf("build %q", b.Meta.Args)
	}
	opt.Cache = CacheLayers
	assertDeterministic(t, resolved(), opt)
}

// profileCopied is the context path of the profile a precompile op mounts,
// "" for none; the profile mount and the -pgo argument go together.
func profileCopied(g *graph, op *pb.Op) string {
	g.t.Helper()
	e := op.GetExec()
	m := mount(e, pgoDir)
	arg := slices.Index(e.Meta.Args, "-pgo")
	if (m == nil) != (arg < 0) {
		g.t.Fatalf("precompile %q: profile mount %v and -pgo argument disagree", e.Meta.Args, m)
	}
	if m == nil {
		return ""
	}
	if e.Meta.Args[arg+1] != pgoDir+"/default.pgo" {
		g.t.Errorf("precompile -pgo %q", e.Meta.Args[arg+1])
	}
	return strings.TrimPrefix(g.input(op, m.Input).GetFile().Actions[0].GetCopy().Src, "/")
}
