package llb

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/solver/pb"
)

// The fields real servers need (issue 18): health check, stop signal and
// volumes in the image config, data directories in the base layer, file
// capabilities in a binary's layer.

// serverResolved is resolved() with every server field set, through the
// spec package (so the defaults are the real ones).
func serverResolved(t *testing.T) *spec.Resolved {
	t.Helper()
	s, err := spec.Parse("goscratch.yaml", []byte(`
binaries: [./cmd/server, {main: ./cmd/probe, capabilities: []}]
capabilities: [net_bind_service]
dirs: [/var/lib/server, {path: /run/server, mode: 0750, owner: "0:65532"}]
volumes: [/var/lib/server]
healthcheck: {test: [/usr/local/bin/server, -health], interval: 30s, timeout: 3s, start_period: 1m, start_interval: 2s, retries: 5}
stopsignal: int
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Resolve("", "example.com/server")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestServerImageConfig decodes the marshalled image config: the health
// check in exec form, the stop signal and the volumes, as Docker reads them.
func TestServerImageConfig(t *testing.T) {
	res, _ := convert(t, serverResolved(t), options(amd64))
	dt, err := json.Marshal(res.Image)
	if err != nil {
		t.Fatal(err)
	}
	var img struct {
		Config struct {
			Healthcheck struct {
				Test                                                   []string
				Interval, Timeout, StartPeriod, StartInterval, Retries int64
			}
			StopSignal string
			Volumes    map[string]struct{}
		} `json:"config"`
	}
	if err := json.Unmarshal(dt, &img); err != nil {
		t.Fatal(err)
	}
	h := img.Config.Healthcheck
	if !slices.Equal(h.Test, []string{"CMD", "/usr/local/bin/server", "-health"}) {
		t.Errorf("healthcheck test %q, want the exec form", h.Test)
	}
	if h.Interval != int64(30*time.Second) || h.Timeout != int64(3*time.Second) || h.StartPeriod != int64(time.Minute) || h.StartInterval != int64(2*time.Second) || h.Retries != 5 {
		t.Errorf("healthcheck %+v", h)
	}
	if img.Config.StopSignal != "SIGINT" {
		t.Errorf("stop signal %q, want SIGINT", img.Config.StopSignal)
	}
	if _, ok := img.Config.Volumes["/var/lib/server"]; !ok || len(img.Config.Volumes) != 1 {
		t.Errorf("volumes %v", img.Config.Volumes)
	}

	// without them the config has none of the keys: existing images keep their digests
	plain, _ := convert(t, resolved(), options(amd64))
	dt, err = json.Marshal(plain.Image)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"Healthcheck", "StopSignal", "Volumes"} {
		if strings.Contains(string(dt), `"`+key+`"`) {
			t.Errorf("a spec without %s writes it: %s", key, dt)
		}
	}
}

// TestDirsInBaseLayer: each dirs entry is made in the base layer with its
// mode and owner (default the image's user), its parents 0755 root, and
// every layer that makes it again (a files: entry under it) makes it alike.
func TestDirsInBaseLayer(t *testing.T) {
	r := serverResolved(t)
	r.Files = []spec.File{{Src: "seed.db", Dst: "/var/lib/server/seed.db", Owner: "65532:65532"}}
	_, g := convert(t, r, options(amd64))
	base := map[string]*pb.FileActionMkDir{}
	for _, a := range layerActions(g, 0) {
		if md := a.GetMkdir(); md != nil {
			base[md.Path] = md
		}
	}
	want := map[string]struct {
		mode     os.FileMode
		uid, gid uint32
	}{
		"/var": {0o755, 0, 0}, "/var/lib": {0o755, 0, 0}, "/var/lib/server": {0o755, 65532, 65532},
		"/run": {0o755, 0, 0}, "/run/server": {0o750, 0, 65532},
	}
	for p, w := range want {
		md := base[p]
		if md == nil {
			t.Errorf("the base layer does not make %s", p)
			continue
		}
		uid, gid := uint32(0), uint32(0)
		if md.Owner != nil {
			uid, gid = md.Owner.User.GetByID(), md.Owner.Group.GetByID()
		}
		if os.FileMode(md.Mode) != w.mode || uid != w.uid || gid != w.gid {
			t.Errorf("%s made %o %d:%d, want %o %d:%d", p, md.Mode, uid, gid, w.mode, w.uid, w.gid)
		}
	}
	made := mkdirsOf(t, g)
	if n := len(made["/var/lib/server"]); n != 2 {
		t.Errorf("/var/lib/server made by %d layers, want 2 (base and the file)", n)
	}
	for _, md := range made["/var/lib/server"] {
		if md.Mode != 0o755 || md.Owner == nil || md.Owner.User.GetByID() != 65532 {
			t.Errorf("a layer makes /var/lib/server %o %v, not as the base layer does", md.Mode, md.Owner)
		}
	}
	// the base layer is staged: its copy gives every entry the epoch
	base0 := g.input(g.root(), 0).GetFile().Actions
	if c := base0[0].GetCopy(); len(base0) != 1 || c == nil || c.Timestamp != 0 {
		t.Errorf("base layer %v: want one copy of the staged tree with the epoch as time", base0)
	}
}

// TestCapabilityLayer: a binary with capabilities gets its layer from
// `gotool setcap` on the go build output (an exec's output mount, exported
// as it is, so the xattr reaches the layer's tar); one without keeps the
// plain copy. The static check and the SBOM read the same layers.
func TestCapabilityLayer(t *testing.T) {
	epoch := time.Unix(1700000000, 0)
	opt := options(arm64)
	opt.Epoch = &epoch
	res, g := convert(t, serverResolved(t), opt)
	e := g.exec(toolBin, "setcap")
	want := []string{toolBin, "setcap", "-caps", "0x400", "-epoch", "1700000000", "-root", capOutDir,
		capInDir + "/usr/local/bin/server", "/usr/local/bin/server"}
	if !slices.Equal(e.Meta.Args, want) {
		t.Errorf("args\n got %q\nwant %q", e.Meta.Args, want)
	}
	if e.Network != pb.NetMode_NONE {
		t.Errorf("network %v, want none", e.Network)
	}
	op := g.opOf(e)
	if p := op.Platform; p.Architecture != "amd64" {
		t.Errorf("setcap runs on %s, want the build platform", p.Architecture)
	}
	in := mount(e, capInDir)
	if in == nil || !in.Readonly {
		t.Fatalf("input mount %v: want the build output, read-only", in)
	}
	if b := g.input(op, in.Input).GetExec(); b == nil || b.Meta.Args[1] != "build" || !slices.Contains(b.Meta.Args, "server=./cmd/server") {
		t.Errorf("setcap reads %v, want the go build of ./cmd/server", b)
	}
	out := mount(e, capOutDir)
	if out == nil || out.Input != -1 || out.Output < 0 || out.Readonly {
		t.Fatalf("output mount %v: want a fresh scratch output", out)
	}
	if m := mount(e, toolDir); m == nil || !m.Readonly { // compiled in the builder: no prebuilt one in these options
		t.Errorf("gotool mount %v", m)
	}

	// the merge takes the exec's output as the server's layer; the probe
	// (capabilities: []) keeps the plain copy
	merge := g.root()
	var capLayers, copies int
	for i := range merge.GetMerge().Inputs {
		l := g.input(merge, int64(i))
		switch {
		case l.GetExec() != nil:
			capLayers++
			if l.GetExec() != e || merge.Inputs[i].Index != out.Output {
				t.Errorf("merge input %d is another exec output", i)
			}
		case slices.ContainsFunc(layerActions(g, i), func(a *pb.FileAction) bool {
			return a.GetCopy() != nil && a.GetCopy().Dest == "/usr/local/bin/probe"
		}):
			copies++
		}
	}
	if capLayers != 1 || copies != 1 {
		t.Errorf("%d capability layers and %d plain probe copies, want 1 each", capLayers, copies)
	}
	if len(res.Binaries) != 2 {
		t.Fatalf("%d binary layers", len(res.Binaries))
	}
	if got := marshal(t, res.Binaries[0]).root(); got.GetExec() == nil || !slices.Equal(got.GetExec().Meta.Args, e.Meta.Args) {
		t.Errorf("the static check reads the server from %v, want the capability layer", got)
	}
	if h := res.Image.History[len(res.Image.History)-2].CreatedBy; !strings.Contains(h, "CAP_NET_BIND_SERVICE") {
		t.Errorf("history %q does not name the capability", h)
	}
	assertDeterministic(t, serverResolved(t), opt)
}

// TestBinaryLayerWithoutCapabilities: no capabilities, no setcap step, so
// the images of specs that set none are what they were.
func TestBinaryLayerWithoutCapabilities(t *testing.T) {
	_, g := convert(t, resolved(), options(amd64))
	if n := len(g.execs(toolBin, "setcap")); n != 0 {
		t.Errorf("%d setcap steps without capabilities", n)
	}
}

// TestUnknownCapability: a resolved target built in Go with a name that
// is not a capability is an error, not a silent mask.
func TestUnknownCapability(t *testing.T) {
	r := resolved()
	r.Binaries[0].Capabilities = []string{"NET_BIND_SERVICE"} // not canonical
	if _, err := Convert(r, options(amd64)); err == nil || !strings.Contains(err.Error(), "capabilities") {
		t.Errorf("err %v", err)
	}
}
