package llb

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	gatewaypb "github.com/moby/buildkit/frontend/gateway/pb"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/apicaps"
)

// The graph runs on every BuildKit from v0.12 (Docker Engine 25) on. What a
// newer daemon adds is used only when the daemon says it has it, and only
// where the image is the same without it; docs/compat.md lists them.

// OldestBuildKit is the oldest BuildKit goscratch supports and tests
// (`make test-compat`): the one in Docker Engine 25.
const OldestBuildKit = "v0.12"

// oldestGatewayCap is the gateway capability OldestBuildKit added: the
// only difference between v0.11's capability lists and v0.12's (gateway and
// LLB), so a daemon without it is older than goscratch supports.
const oldestGatewayCap = gatewaypb.CapGatewayExecSecretEnv

// CheckDaemon fails at once for a daemon older than OldestBuildKit, told by
// its gateway capabilities, before anything is asked of it: such a daemon
// might build, but untested, and its images are not known to be the same.
func CheckDaemon(gatewayCaps apicaps.CapSet) error {
	if gatewayCaps.Supports(oldestGatewayCap) == nil {
		return nil
	}
	return fmt.Errorf("this BuildKit is older than %s (it lacks the gateway capability %s), the oldest goscratch supports: upgrade it to %s or newer (Docker Engine 25 or newer; `docker buildx inspect` shows a builder's BuildKit version, `docker version` the Engine's)", OldestBuildKit, oldestGatewayCap, OldestBuildKit)
}

// MissingCaps are the capabilities def's ops declare that caps lacks, in a
// stable order: what the daemon would refuse the definition for.
func MissingCaps(def *llb.Definition, caps apicaps.CapSet) []apicaps.CapID {
	var out []apicaps.CapID
	for _, md := range def.Metadata {
		for id := range md.Caps {
			if caps.Supports(id) != nil && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

// CheckCaps fails at once, naming what to upgrade, when the daemon lacks a
// capability def needs (BuildKit would refuse it with "requested feature
// ... is not supported by build server", which says neither).
func CheckCaps(def *llb.Definition, caps apicaps.CapSet) error {
	missing := MissingCaps(def, caps)
	if len(missing) == 0 {
		return nil
	}
	names := make([]string, len(missing))
	for i, id := range missing {
		names[i] = string(id)
	}
	return fmt.Errorf("this BuildKit lacks %s, which goscratch needs: use BuildKit %s or newer (Docker Engine 25 or newer; `docker buildx version` and `docker version` show them)", strings.Join(names, ", "), OldestBuildKit)
}

// supports reports whether the daemon solving the graph has the capability.
func (o Options) supports(id apicaps.CapID) bool {
	return o.Caps == nil || o.Caps.Supports(id) == nil
}

// tmpSource is a state with /tmp, the source of the base layer's /tmp, which
// the copy gives mode 1777. BuildKit v0.13 (the first with
// exec.mount.cache.content; no capability names the fix) honours the sticky
// bit of a copy's mode; v0.12 keeps only the source's, and its Mkdir masks
// the mode with 0777, so there /tmp is made with the sticky bit by gotool in
// the builder: the same layer, one more step.
func (o Options) tmpSource(pos spec.Pos) llb.State {
	if o.supports(pb.CapExecMountContentCache) {
		return llb.Scratch().File(llb.Mkdir("/tmp", 0o777), o.at(pos, llb.WithCustomName("stage /tmp"))...)
	}
	const out = "/goscratch/tmp-out"
	run := o.Builder.Run(append([]llb.RunOption{
		llb.Args([]string{toolBin, "stickydir", out + "/tmp"}),
		o.toolMount(),
		llb.WithCustomName("stage /tmp (mode 1777, for BuildKit < v0.13)"),
	}, o.runConstraints(pos)...)...)
	return run.AddMount(out, llb.Scratch())
}

// restamped is st for the daemon: BuildKit before v0.13 gives the parents
// a copy creates (CreateDestPath) the time of the build instead of the
// copy's CreatedTime (found comparing v0.12.5's image with v0.34.2's), so
// there the layer is copied once more with the epoch on every entry, as
// staged does; newer daemons get st unchanged.
func (o Options) restamped(st llb.State, name string, pos spec.Pos) llb.State {
	if o.supports(pb.CapExecMountContentCache) {
		return st
	}
	epoch := o.epoch()
	return llb.Scratch().File(llb.Copy(st, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true, CreatedTime: &epoch}),
		o.at(pos, llb.WithCustomName(name+" (times, for BuildKit < v0.13)"))...)
}

// layerMount mounts a layer of an earlier step read-only. BuildKit keys the
// step on that step's cache key, so it need not hash the layer's content
// (exec.mount.cache.content, BuildKit v0.13+; older daemons hash it, which
// costs time, not a different image).
func (o Options) layerMount(dir string, st llb.State) llb.RunOption {
	if !o.supports(pb.CapExecMountContentCache) {
		return llb.AddMount(dir, st, llb.Readonly)
	}
	return llb.AddMount(dir, st, llb.Readonly, llb.ContentCache(llb.MountContentCacheOff))
}
