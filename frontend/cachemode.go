package frontend

import (
	"fmt"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/frontend/dockerui"
)

// argCache chooses where the Go steps keep modules and compiled packages
// (llb.CacheMode): `mounts`, `layers`, or `auto` (the default).
const argCache = "GOSCRATCH_CACHE"

// cacheMode reads GOSCRATCH_CACHE. auto picks layers when the request
// imports a cache (--cache-from): the build's cache travels, so the module
// and dependency layers are worth making and exporting, and a fresh builder
// gets them back. Without an import the builder is long-lived (or starts
// from nothing anyway), and the persistent cache mounts alone are faster:
// a source edit runs only go build, with Go's own build cache.
func cacheMode(bc *dockerui.Client) (gsllb.CacheMode, error) {
	switch v := bc.BuildArgs[argCache]; v {
	case "", "auto":
		if len(bc.CacheImports) > 0 {
			return gsllb.CacheLayers, nil
		}
		return gsllb.CacheMounts, nil
	case "layers":
		return gsllb.CacheLayers, nil
	case "mounts":
		return gsllb.CacheMounts, nil
	default:
		return 0, fmt.Errorf("build arg %s=%q: want auto (the default: layers when the build imports a cache with --cache-from, else mounts), layers (module and dependency layers that --cache-to exports) or mounts (persistent cache mounts only)", argCache, v)
	}
}
