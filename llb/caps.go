package llb

import (
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/apicaps"
)

// The graph runs on every BuildKit from v0.12 (Docker Engine 25) on. What a
// newer daemon adds is used only when the daemon says it has it, and only
// where the image is the same without it; docs/compat.md lists them.

// supports reports whether the daemon solving the graph has the capability.
func (o Options) supports(id apicaps.CapID) bool {
	return o.Caps == nil || o.Caps.Supports(id) == nil
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
