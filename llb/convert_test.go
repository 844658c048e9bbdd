package llb

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

var (
	amd64 = ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	arm64 = ocispecs.Platform{OS: "linux", Architecture: "arm64"}
	armv7 = ocispecs.Platform{OS: "linux", Architecture: "arm", Variant: "v7"}
)

func resolved() *spec.Resolved {
	return &spec.Resolved{
		Module:      ".",
		Binaries:    []spec.ResolvedBinary{{Main: "./cmd/server", Name: "server", Ldflags: "-s -w", Pos: spec.Pos{Line: 2, Column: 7}}},
		Goenv:       map[string]string{},
		Entrypoint:  []string{"/usr/local/bin/server"},
		Env:         map[string]string{},
		User:        spec.User{Name: "nonroot", UID: 65532, GID: 65532},
		Workdir:     "/",
		Labels:      map[string]string{},
		Annotations: map[string]string{},
		Certs:       true,
		Zoneinfo:    "copy",
	}
}

func options(target ocispecs.Platform) Options {
	return Options{
		BuildPlatform:  amd64,
		TargetPlatform: target,
		Context:        llb.Local("context", llb.LocalUniqueID("test")),
		Builder:        llb.Image("docker.io/library/golang:1.26"),
		BuilderEnv:     []string{"PATH=/go/bin:/usr/local/go/bin:/usr/bin:/bin", "GOPATH=/go"},
		Cache:          CacheLayers,
	}
}

func convert(t *testing.T, r *spec.Resolved, opt Options) (*Result, *graph) {
	t.Helper()
	res, err := Convert(r, opt)
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	return res, marshal(t, res.State)
}

func TestDownloadOnlyReadsGoModAndSum(t *testing.T) {
	_, g := convert(t, resolved(), options(arm64))
	dl := g.exec(toolBin, "download")
	// the layer cache mode (options): the download only fills the seed
	if want := []string{toolBin, "download", "-seed", modSeedDir, "-slim", "-seed-only"}; !slices.Equal(dl.Meta.Args, want) {
		t.Errorf("download args %q, want %q", dl.Meta.Args, want)
	}
	op := g.opOf(dl)
	if p := op.Platform; p.Architecture != "amd64" || p.OS != "linux" {
		t.Errorf("download runs on %s/%s, want the build platform linux/amd64", p.OS, p.Architecture)
	}
	gomod := mount(dl, gomodDir)
	if gomod == nil || !gomod.Readonly {
		t.Fatalf("go.mod mount %v: want read-only at %s", gomod, gomodDir)
	}
	cp := g.input(op, gomod.Input).GetFile()
	if cp == nil || len(cp.Actions) != 1 || cp.Actions[0].GetCopy() == nil {
		t.Fatalf("go.mod mount input is not a single copy: %v", cp)
	}
	c := cp.Actions[0].GetCopy()
	if !slices.Equal(c.IncludePatterns, []string{"go.mod", "go.sum"}) || !c.AllowEmptyWildcard {
		t.Errorf("copy includes %v (allow empty %v), want only go.mod and go.sum", c.IncludePatterns, c.AllowEmptyWildcard)
	}
	if src := g.input(g.input(op, gomod.Input), 0).GetSource(); src == nil || src.Identifier != "local://context" {
		t.Errorf("go.mod copy reads %v, want the main context", src)
	}
	for _, m := range dl.Mounts {
		if m.Dest == srcDir {
			t.Errorf("download mounts the whole source; a source edit would re-run it")
		}
	}
	// the module cache is a real layer (exportable with --cache-to), the
	// persistent cache mount only its seed
	if m := mount(dl, modCacheDir); m == nil || m.MountType != pb.MountType_BIND || m.Output < 0 || m.Readonly || m.Input != -1 {
		t.Errorf("module cache mount = %v, want an output mount on scratch", m)
	}
	seed := mount(dl, modSeedDir)
	if id := sharedID(resolved(), options(arm64), "gomodcache"); seed == nil || seed.MountType != pb.MountType_CACHE || seed.CacheOpt.ID != id || seed.CacheOpt.Sharing != pb.CacheSharingOpt_SHARED {
		t.Errorf("seed mount = %v, want shared cache %s", seed, id)
	}
	if env := envMap(dl); env["GOMODCACHE"] != modCacheDir || env["GOPATH"] != "/go" || env["GOTOOLCHAIN"] != "local" {
		t.Errorf("download env %v: want GOMODCACHE on the layer, the builder env and GOTOOLCHAIN=local", dl.Meta.Env)
	}
}

func TestBuildStep(t *testing.T) {
	r := resolved()
	r.Binaries[0].Tags = []string{"netgo", "timetzdata"}
	r.Goflags = []string{"-v"}
	r.Goenv = map[string]string{"GOEXPERIMENT": "greenteagc", "GOARCH": "ignored"}
	opt := options(armv7)
	opt.CacheNS = "ns-"
	_, g := convert(t, r, opt)
	b := g.exec(toolBin, "build")
	want := []string{toolBin, "build", "-cache-rw", buildCache, "-cache-ro", depLayerDir, "-cache-ro", ownLayerDir, "--", "-trimpath", "-buildvcs=false", "-v", "-tags", "netgo,timetzdata",
		"-ldflags", "-s -w", "-o", "/goscratch/out/usr/local/bin/server", "./cmd/server"}
	if !slices.Equal(b.Meta.Args, want) {
		t.Errorf("args\n got %q\nwant %q", b.Meta.Args, want)
	}
	env := envMap(b)
	for k, v := range map[string]string{"CGO_ENABLED": "0", "GOOS": "linux", "GOARCH": "arm", "GOARM": "7", "GOEXPERIMENT": "greenteagc", "GOCACHE": buildCache} {
		if env[k] != v {
			t.Errorf("env %s=%q, want %q", k, env[k], v)
		}
	}
	if b.Meta.Cwd != srcDir {
		t.Errorf("cwd %q, want %q", b.Meta.Cwd, srcDir)
	}
	if p := g.opOf(b).Platform; p.Architecture != "amd64" {
		t.Errorf("go build runs on %s, want the build platform (no emulation)", p.Architecture)
	}
	src := mount(b, srcDir)
	if src == nil || !src.Readonly {
		t.Errorf("source mount %v: want read-only bind, not a copy", src)
	} else if s := g.input(g.opOf(b), src.Input).GetSource(); s == nil || s.Identifier != "local://context" {
		t.Errorf("source mount reads %v, want the main context", s)
	}
	if id := sharedID(r, opt, "gocache"); !strings.HasPrefix(id, "ns-goscratch-gocache-") {
		t.Errorf("cache id %q does not start with the request's BUILDKIT_CACHE_MOUNT_NS", id)
	} else if m := mount(b, buildCache); m == nil || m.MountType != pb.MountType_CACHE || m.CacheOpt.ID != id || m.CacheOpt.Sharing != pb.CacheSharingOpt_SHARED || m.Readonly {
		t.Errorf("mount %s = %v, want writable shared cache %s", buildCache, m, id)
	}
	// the pruned module cache and the dependency layer: read-only, keyed by
	// the steps that made them (no content hashing of big trees)
	for dest, maker := range map[string]string{modCacheDir: "prune", depLayerDir: "precompile", ownLayerDir: "precompile"} {
		m := mount(b, dest)
		if m == nil || !m.Readonly || m.ContentCache != pb.MountContentCache_OFF {
			t.Errorf("mount %s = %v, want read-only, content cache off", dest, m)
			continue
		}
		if e := g.input(g.opOf(b), m.Input).GetExec(); e == nil || len(e.Meta.Args) < 2 || e.Meta.Args[1] != maker {
			t.Errorf("mount %s does not come from the %s step", dest, maker)
		}
	}
	if out := mount(b, outDir); out == nil || out.Output < 0 || out.Readonly {
		t.Errorf("output mount %v: want a writable output", out)
	}
}

func TestPathFindsGo(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
		{"/usr/bin:/bin", "/usr/bin:/bin:/usr/local/go/bin"},
		{"/go/bin:/usr/local/go/bin:/bin", "/go/bin:/usr/local/go/bin:/bin"},
	} {
		opt := options(amd64)
		opt.BuilderEnv = []string{"PATH=" + tc.in}
		if tc.in == "" {
			opt.BuilderEnv = nil
		}
		_, g := convert(t, resolved(), opt)
		if got := envMap(g.exec(toolBin, "build"))["PATH"]; got != tc.want {
			t.Errorf("builder PATH %q: step PATH %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWorkspaceSubdirModule(t *testing.T) {
	r := resolved()
	r.Module = "services/api"
	_, g := convert(t, r, options(amd64))
	if b := g.exec(toolBin, "build"); b.Meta.Cwd != "/goscratch/src/services/api" {
		t.Errorf("cwd %q, want the module dir", b.Meta.Cwd)
	}
	dl := g.opOf(g.exec(toolBin, "download"))
	cp := g.input(dl, mount(dl.GetExec(), gomodDir).Input).GetFile().Actions[0].GetCopy()
	if want := []string{"services/api/go.mod", "services/api/go.sum"}; cp.Src != "/" || !slices.Equal(cp.IncludePatterns, want) {
		t.Errorf("copy %q including %q, want / including %q (paths kept, for workspaces and local replacements)", cp.Src, cp.IncludePatterns, want)
	}
	if cwd := dl.GetExec().Meta.Cwd; cwd != gomodDir+"/services/api" {
		t.Errorf("download cwd %q, want the module dir under %s", cwd, gomodDir)
	}
}

func TestFinalImageLayers(t *testing.T) {
	epoch := time.Unix(1700000000, 0)
	mode := uint32(0o600)
	r := resolved()
	r.Files = []spec.File{{Src: "config/app.yaml", Dst: "/etc/app.yaml", Mode: &mode, Owner: "65532:65532"}}
	opt := options(arm64)
	opt.Epoch = &epoch
	res, g := convert(t, r, opt)
	merge := g.root().GetMerge()
	if merge == nil {
		t.Fatalf("final op is not a merge")
	}
	if len(merge.Inputs) != 5 || len(res.Image.History) != 5 {
		t.Fatalf("%d layers, %d history entries; want 5 each (base, certs, zoneinfo, file, binary)", len(merge.Inputs), len(res.Image.History))
	}
	var files []*pb.FileAction
	for i := range merge.Inputs {
		if g.input(g.root(), int64(i)).GetFile() == nil {
			t.Fatalf("layer %d is not a file op", i)
		}
		files = append(files, layerActions(g, i)...)
	}
	var passwd []byte
	copies := map[string]*pb.FileActionCopy{}
	for _, a := range files {
		if mk := a.GetMkfile(); mk != nil {
			if mk.Path == "/etc/passwd" {
				passwd = mk.Data
			}
		}
		if c := a.GetCopy(); c != nil {
			copies[c.Dest] = c
			if c.Timestamp != epoch.UnixNano() {
				t.Errorf("copy %s timestamp %d, want the epoch", c.Dest, c.Timestamp)
			}
		}
	}
	if !bytes.Contains(passwd, []byte("nonroot:x:65532:65532:")) {
		t.Errorf("passwd %q has no nonroot user", passwd)
	}
	for _, p := range []string{certsPath, zoneinfoPath, "/usr/local/bin/server", "/etc/app.yaml"} {
		if copies[p] == nil {
			t.Errorf("no copy to %s; have %v", p, slices.Sorted(maps.Keys(copies)))
		}
	}
	if c := copies["/etc/app.yaml"]; c != nil && (c.Mode != 0o600 || c.Owner.User.GetByID() != 65532) {
		t.Errorf("extra file mode %o owner %v, want 0600 owned by 65532", c.Mode, c.Owner)
	}
	if c := copies["/usr/local/bin/server"]; c != nil && c.Mode != 0o755 {
		t.Errorf("binary mode %o, want 0755", c.Mode)
	}
}

func TestCertsAndZoneinfoOff(t *testing.T) {
	r := resolved()
	r.Certs = false
	r.Zoneinfo = "embed"
	res, g := convert(t, r, options(amd64))
	if n := len(g.root().GetMerge().Inputs); n != 2 {
		t.Errorf("%d layers, want 2 (base, binary) with certs and zoneinfo off", n)
	}
	if len(res.Image.History) != 2 {
		t.Errorf("%d history entries, want 2", len(res.Image.History))
	}
}

func TestImageConfig(t *testing.T) {
	r := resolved()
	r.Cmd = []string{"serve"}
	r.Env = map[string]string{"TZ": "Europe/Paris"}
	r.Expose = []spec.Port{{Number: 8080, Protocol: "tcp"}, {Number: 53, Protocol: "udp"}}
	r.Labels = map[string]string{"a": "spec", "b": "spec"}
	opt := options(armv7)
	opt.Labels = map[string]string{"b": "request"}
	res, _ := convert(t, r, opt)
	img := res.Image
	if img.OS != "linux" || img.Architecture != "arm" || img.Variant != "v7" {
		t.Errorf("platform %s/%s/%s, want linux/arm/v7", img.OS, img.Architecture, img.Variant)
	}
	if img.Config.User != "65532:65532" {
		t.Errorf("user %q, want numeric 65532:65532", img.Config.User)
	}
	if !slices.Equal(img.Config.Entrypoint, []string{"/usr/local/bin/server"}) || !slices.Equal(img.Config.Cmd, []string{"serve"}) {
		t.Errorf("entrypoint %q cmd %q", img.Config.Entrypoint, img.Config.Cmd)
	}
	if !slices.Equal(img.Config.Env, []string{"PATH=/usr/local/bin", "TZ=Europe/Paris"}) {
		t.Errorf("env %q", img.Config.Env)
	}
	if _, ok := img.Config.ExposedPorts["53/udp"]; !ok || len(img.Config.ExposedPorts) != 2 {
		t.Errorf("ports %v", img.Config.ExposedPorts)
	}
	if img.Config.Labels["a"] != "spec" || img.Config.Labels["b"] != "request" {
		t.Errorf("labels %v: request labels must override spec labels", img.Config.Labels)
	}
	if img.Created == nil || !img.Created.Equal(time.Unix(0, 0)) {
		t.Errorf("created %v, want the Unix epoch by default", img.Created)
	}
}

func TestRootUser(t *testing.T) {
	r := resolved()
	r.User = spec.User{Name: "root"}
	res, g := convert(t, r, options(amd64))
	if res.Image.Config.User != "0:0" {
		t.Errorf("user %q", res.Image.Config.User)
	}
	for _, a := range g.input(g.input(g.root(), 0), 0).GetFile().Actions {
		if mk := a.GetMkfile(); mk != nil && mk.Path == "/etc/passwd" && string(mk.Data) != "root:x:0:0:root:/root:/sbin/nologin\n" {
			t.Errorf("passwd %q, want only root", mk.Data)
		}
		if md := a.GetMkdir(); md != nil && md.Path == "/home/root" {
			t.Errorf("root gets a home dir under /home")
		}
	}
}

func TestSeveralBinariesShareOneDownload(t *testing.T) {
	r := resolved()
	r.Binaries = append(r.Binaries, spec.ResolvedBinary{Main: "./cmd/migrate", Name: "migrate", Ldflags: ""})
	_, g := convert(t, r, options(arm64))
	if n := len(g.execs(toolBin, "download")); n != 1 {
		t.Errorf("%d download steps, want 1", n)
	}
	if n := len(g.execs(toolBin, "build")); n != 2 {
		t.Errorf("%d build steps, want 2", n)
	}
}

func TestSourceMapLocation(t *testing.T) {
	r := resolved()
	opt := options(amd64)
	opt.SourceMap = llb.NewSourceMap(nil, "goscratch.yaml", "yaml", []byte("# syntax=x\nmain: ./cmd/server\n"))
	_, g := convert(t, r, opt)
	if g.def.Source == nil || len(g.def.Source.Locations) == 0 {
		t.Fatalf("no source locations in the definition")
	}
	found := false
	for _, locs := range g.def.Source.Locations {
		for _, l := range locs.Locations {
			for _, rg := range l.Ranges {
				found = found || rg.Start.Line == 2
			}
		}
	}
	if !found {
		t.Errorf("no step points at line 2 (main:)")
	}
}

func TestUnsupportedTarget(t *testing.T) {
	for _, p := range []ocispecs.Platform{
		{OS: "windows", Architecture: "amd64"},
		{OS: "linux", Architecture: "amd64", Variant: "v9"},
		{OS: "linux", Architecture: "sparc"},
	} {
		if _, err := Convert(resolved(), options(p)); err == nil {
			t.Errorf("%s: no error", formatPlatform(p))
		}
	}
}

func TestDeterministic(t *testing.T) {
	r := resolved()
	r.Env = map[string]string{"A": "1", "B": "2", "C": "3"}
	r.Goenv = map[string]string{"GOFLAGS": "-mod=mod", "GOPROXY": "direct", "GOPRIVATE": "x"}
	r.Labels = map[string]string{"x": "1", "y": "2", "z": "3"}
	assertDeterministic(t, r, options(arm64))
}
