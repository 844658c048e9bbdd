package llb

import (
	"bufio"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/apicaps"
	capspb "github.com/moby/buildkit/util/apicaps/pb"
)

// oldestCaps are the LLB capabilities of the oldest BuildKit goscratch
// supports (testdata/caps: v0.12.5's list).
func oldestCaps(t testing.TB) *apicaps.CapSet {
	t.Helper()
	f, err := os.Open("testdata/caps/v0.12.5.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var list []*capspb.APICap
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if id := strings.TrimSpace(sc.Text()); id != "" && !strings.HasPrefix(id, "#") {
			list = append(list, &capspb.APICap{ID: id, Enabled: true})
		}
	}
	if len(list) < 50 {
		t.Fatalf("read %d capabilities, want v0.12.5's list", len(list))
	}
	cs := pb.Caps.CapSet(list)
	return &cs
}

// TestGraphsNeedOnlyOldestCaps: every example's and golden spec's graph, for
// every target and both cache modes, marshals against v0.12.5's capabilities
// when the converter is told them, which is what the frontend does with the
// gateway's LLBCaps (BuildKit refuses a definition that needs one it lacks).
func TestGraphsNeedOnlyOldestCaps(t *testing.T) {
	caps := oldestCaps(t)
	graphs := 0
	for _, data := range fuzzSeeds(t) {
		s, err := spec.Parse("f.yaml", data)
		if err != nil {
			continue // the bad-input catalog
		}
		names := s.TargetNames()
		if s.HasDefault() {
			names = append(names, "")
		}
		for _, name := range names {
			r, err := s.Resolve(name, spec.ModulePath([]byte(fuzzGomod)))
			if err != nil {
				continue
			}
			for _, mode := range []CacheMode{CacheMounts, CacheLayers} {
				opt := options(arm64)
				opt.Cache, opt.Caps = mode, caps
				if missing := missingCaps(t, convertFor(t, r, opt), caps); len(missing) > 0 {
					t.Errorf("target %q, cache mode %d: needs %v, which v0.12.5 lacks", name, mode, missing)
				}
				graphs++
			}
		}
	}
	if graphs < 20 {
		t.Fatalf("checked %d graphs, want every example's targets", graphs)
	}
}

// TestContentCacheOnlyWhenSupported: the dependency and module layers are
// mounted without content hashing where the daemon has the capability, and
// plainly where it does not (v0.12.5 refuses the option).
func TestContentCacheOnlyWhenSupported(t *testing.T) {
	for _, tc := range []struct {
		name string
		caps *apicaps.CapSet
		want pb.MountContentCache
	}{
		{"newest", nil, pb.MountContentCache_OFF},
		{"v0.12.5", oldestCaps(t), pb.MountContentCache_DEFAULT},
	} {
		opt := options(arm64)
		opt.Caps = tc.caps
		_, g := convert(t, resolved(), opt)
		b := g.exec(toolBin, "build")
		for _, dir := range []string{modCacheDir, depLayerDir} {
			if m := mount(b, dir); m == nil || !m.Readonly || m.ContentCache != tc.want {
				t.Errorf("%s: build mount %s = %v, want read-only with content cache %v", tc.name, dir, m, tc.want)
			}
		}
	}
	// Without the fallback the oldest daemon would refuse the graph.
	opt := options(arm64)
	res, err := Convert(resolved(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if missing := missingCaps(t, res.State, oldestCaps(t)); !slices.Contains(missing, pb.CapExecMountContentCache) {
		t.Errorf("the newest graph needs %v of v0.12.5, want %s", missing, pb.CapExecMountContentCache)
	}
	def, err := res.State.Marshal(context.TODO())
	if err != nil {
		t.Fatal(err)
	}
	err = CheckCaps(def, *oldestCaps(t))
	if want := "this BuildKit lacks exec.mount.cache.content, which goscratch needs: use BuildKit v0.12 or newer"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("CheckCaps = %v, want %q...", err, want)
	}
}

// missingCaps are the capabilities st's ops declare that caps lacks: what the
// daemon checks before it solves a definition ("requested feature ... is not
// supported by build server").
func missingCaps(t *testing.T, st llb.State, caps *apicaps.CapSet) []apicaps.CapID {
	t.Helper()
	def, err := st.Marshal(context.TODO(), llb.WithCaps(*caps))
	if err != nil {
		t.Fatal(err)
	}
	return MissingCaps(def, *caps)
}

func convertFor(t *testing.T, r *spec.Resolved, opt Options) llb.State {
	t.Helper()
	if r.Test != nil {
		opt.TargetPlatform = opt.BuildPlatform
		st, err := ConvertTest(r, opt)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	res, err := Convert(r, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res.State
}

// TestTmpStickyOnOldDaemons: BuildKit v0.12 drops the sticky bit from a
// copy's mode, so there the base layer's /tmp comes from gotool stickydir,
// and it stamps the parents a copy creates with the build's time, so the
// certs, zoneinfo and binary layers are copied once more with the epoch;
// newer daemons get neither.
func TestTmpStickyOnOldDaemons(t *testing.T) {
	for _, tc := range []struct {
		name     string
		caps     *apicaps.CapSet
		steps    int
		restamps int
	}{
		{"newest", nil, 0, 0},
		{"v0.12.5", oldestCaps(t), 1, 3}, // certs, zoneinfo, the binary
	} {
		opt := options(arm64)
		opt.Caps = tc.caps
		_, g := convert(t, resolved(), opt)
		steps := g.execs(toolBin, "stickydir")
		if len(steps) != tc.steps {
			t.Fatalf("%s: %d stickydir steps, want %d", tc.name, len(steps), tc.steps)
		}
		restamps := 0
		for _, md := range g.meta {
			if strings.HasSuffix(md.Description["llb.customname"], "(times, for BuildKit < v0.13)") {
				restamps++
			}
		}
		if restamps != tc.restamps {
			t.Errorf("%s: %d layers copied again for their times, want %d", tc.name, restamps, tc.restamps)
		}
		if tc.steps == 1 {
			e := steps[0].GetExec()
			if want := []string{toolBin, "stickydir", "/goscratch/tmp-out/tmp"}; !slices.Equal(e.Meta.Args, want) {
				t.Errorf("stickydir args %q, want %q", e.Meta.Args, want)
			}
		}
	}
}

// TestCheckDaemon: a daemon whose gateway lacks the capability v0.12 added
// (v0.11's list is today's without it) is refused naming the version to
// upgrade to; today's full list passes.
func TestCheckDaemon(t *testing.T) {
	var all, v011 []*capspb.APICap
	for _, c := range gatewaypb.Caps.All() {
		all = append(all, c)
		if apicaps.CapID(c.ID) != gatewaypb.CapGatewayExecSecretEnv {
			v011 = append(v011, c)
		}
	}
	if err := CheckDaemon(gatewaypb.Caps.CapSet(all)); err != nil {
		t.Fatalf("today's gateway: %v", err)
	}
	err := CheckDaemon(gatewaypb.Caps.CapSet(v011))
	if err == nil || !strings.Contains(err.Error(), "older than "+OldestBuildKit) || !strings.Contains(err.Error(), "upgrade it to") {
		t.Fatalf("v0.11's gateway: got %v, want the upgrade error", err)
	}
}
