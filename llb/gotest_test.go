package llb

import (
	"slices"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/solver/pb"
)

func testResolved() *spec.Resolved {
	r := resolved()
	r.Target, r.Binaries, r.Entrypoint = "test", nil, nil
	r.Goflags = []string{"-v"}
	r.Test = &spec.ResolvedTest{Packages: []string{"./..."}, Vet: true, Flags: []string{"-count=1"}, Tags: []string{"a", "b"}, Report: true, Coverage: true}
	return r
}

func TestTestStep(t *testing.T) {
	r := testResolved()
	st, err := ConvertTest(r, options(arm64))
	if err != nil {
		t.Fatal(err)
	}
	g := marshal(t, st)
	e := g.exec(toolBin, "test")
	want := []string{toolBin, "test", "-cache-rw", privateCache, "-cache-ro", buildCache, "-vet", "-report", reportDir, "-coverage", "-tags", "a,b", "-build", "-v", "-flag", "-count=1", "./..."}
	if !slices.Equal(e.Meta.Args, want) {
		t.Errorf("args\n got %q\nwant %q", e.Meta.Args, want)
	}
	op := g.opOf(e)
	if op.Platform.Architecture != "amd64" {
		t.Errorf("tests run on %s, want the build platform", op.Platform.Architecture)
	}
	if env := envMap(e); env["GOARCH"] != "" || env["CGO_ENABLED"] != "0" {
		t.Errorf("test env %v: want native (no GOARCH), CGO_ENABLED=0", e.Meta.Env)
	}
	if m := mount(e, srcDir); m == nil || !m.Readonly {
		t.Errorf("source mount %v", m)
	}
	// the tests are the author's code: the builds' cache read-only, and a
	// cache of their own that no other step sees
	id := sharedID(r, options(arm64), "gocache")
	if m := mount(e, buildCache); m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.ID != id || !m.Readonly {
		t.Errorf("mount %s = %v, want the builds' cache %s, read-only", buildCache, m, id)
	}
	if m := mount(e, privateCache); m == nil || m.MountType != pb.MountType_BIND || m.Input != -1 || m.Readonly {
		t.Errorf("mount %s = %v, want an empty writable scratch mount", privateCache, m)
	}
	if m := mount(e, modCacheDir); m == nil || !m.Readonly {
		t.Errorf("module cache mount %v, want the download's layer, read-only", m)
	} else if dl := g.input(op, m.Input).GetExec(); dl == nil || !slices.Equal(dl.Meta.Args[:2], []string{toolBin, "download"}) {
		t.Errorf("tests do not read the download step's module cache")
	}
	// the result is the report mount of the test step
	last := g.root()
	if last.GetExec() != e {
		t.Errorf("the result is not the test step's output")
	}
	if out := mount(e, reportDir); out == nil || out.Output < 0 {
		t.Errorf("report mount %v", out)
	}
}

func TestTestStepVendored(t *testing.T) {
	opt := options(amd64)
	opt.Layout.Vendor = true
	r := testResolved()
	r.Test.Report, r.Test.Coverage, r.Test.Vet = false, false, false
	st, err := ConvertTest(r, opt)
	if err != nil {
		t.Fatal(err)
	}
	g := marshal(t, st)
	e := g.exec(toolBin, "test")
	if want := []string{toolBin, "test", "-cache-rw", privateCache, "-cache-ro", buildCache, "-tags", "a,b", "-build", "-mod=vendor", "-build", "-v", "-flag", "-count=1", "./..."}; !slices.Equal(e.Meta.Args, want) {
		t.Errorf("args\n got %q\nwant %q", e.Meta.Args, want)
	}
	if len(g.execs("go", "mod", "download")) != 0 {
		t.Errorf("a vendored test has a download step")
	}
}

func TestConvertTestNeedsTest(t *testing.T) {
	if _, err := ConvertTest(resolved(), options(amd64)); err == nil {
		t.Error("no error for a target without test")
	}
}
