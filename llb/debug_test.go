package llb

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// TestDebugLayer: the debug variant adds one layer, a copy of the debug
// image's /bin for the target platform to /busybox with the epoch as time
// and root as owner, and appends /busybox to PATH; everything else is the
// default image's graph, and without debug no busybox is in the graph.
func TestDebugLayer(t *testing.T) {
	epoch := time.Unix(1700000000, 0)
	opt := options(arm64)
	opt.Epoch = &epoch
	plain, pg := convert(t, resolved(), opt)
	r := resolved()
	r.Env = map[string]string{"TZ": "UTC"}
	r.Debug = true
	dbg, dg := convert(t, r, opt)

	if n, m := len(pg.root().GetMerge().Inputs), len(dg.root().GetMerge().Inputs); m != n+1 {
		t.Fatalf("debug image has %d layers, the default %d: want one more", m, n)
	}
	for _, op := range pg.ops {
		if s := op.GetSource(); s != nil && strings.Contains(s.Identifier, "busybox") {
			t.Errorf("the default image's graph reads %s", s.Identifier)
		}
	}
	var found bool
	for i := range dg.root().GetMerge().Inputs {
		for _, a := range layerActions(dg, i) {
			c := a.GetCopy()
			if c == nil || c.Dest != spec.DebugDir+"/" {
				continue
			}
			found = true
			if c.Src != "/bin" || !c.DirCopyContents || !c.CreateDestPath || c.Timestamp != epoch.UnixNano() {
				t.Errorf("debug copy %+v: want /bin/'s contents, dest created, epoch time", c)
			}
			if c.Owner == nil || c.Owner.User.GetByID() != 0 || c.Owner.Group.GetByID() != 0 {
				t.Errorf("debug copy owner %v, want 0:0", c.Owner)
			}
		}
	}
	if !found {
		t.Fatal("no copy to /busybox/ in the debug image")
	}
	var src string
	for _, op := range dg.ops {
		if s := op.GetSource(); s != nil && strings.Contains(s.Identifier, "busybox") {
			src = s.Identifier
			if op.Platform == nil || op.Platform.Architecture != "arm64" {
				t.Errorf("debug image source for %v, want the target platform arm64", op.Platform)
			}
		}
	}
	if src != "docker-image://docker.io/library/"+spec.DebugImage {
		t.Errorf("debug image source %q, want the default %s", src, spec.DebugImage)
	}
	if !slices.Contains(dbg.Image.Config.Env, "PATH="+spec.BinDir+":"+spec.DebugDir) || !slices.Contains(dbg.Image.Config.Env, "TZ=UTC") {
		t.Errorf("debug env %q: want PATH with /busybox appended and the spec's env", dbg.Image.Config.Env)
	}
	if slices.Contains(plain.Image.Config.Env, "PATH="+spec.BinDir+":"+spec.DebugDir) {
		t.Errorf("default env %q has /busybox", plain.Image.Config.Env)
	}

	// a named context replaces the image
	named := llb.Local("mybusybox")
	opt.DebugImage = &named
	_, ng := convert(t, r, opt)
	for _, op := range ng.ops {
		if s := op.GetSource(); s != nil && strings.Contains(s.Identifier, "busybox") && !strings.HasPrefix(s.Identifier, "local://mybusybox") {
			t.Errorf("with a named context the graph still reads %s", s.Identifier)
		}
	}
}
