package inputs

import (
	"fmt"

	gsllb "github.com/goscratch/goscratch/llb"
)

// ArgCache chooses where the Go steps keep modules and compiled packages
// (llb.CacheMode): `mounts`, `layers`, or `auto` (the default).
const ArgCache = "GOSCRATCH_CACHE"

// cacheMode reads GOSCRATCH_CACHE. auto picks layers when the request
// imports a cache (--cache-from): the build's cache travels, so the module
// and dependency layers are worth making and exporting, and a fresh builder
// gets them back. Without an import the builder is long-lived (or starts
// from nothing anyway), and the persistent cache mounts alone are faster:
// a source edit runs only go build, with Go's own build cache.
func cacheMode(buildArgs map[string]string, importsCache bool) (gsllb.CacheMode, error) {
	switch v := buildArgs[ArgCache]; v {
	case "", "auto":
		if importsCache {
			return gsllb.CacheLayers, nil
		}
		return gsllb.CacheMounts, nil
	case "layers":
		return gsllb.CacheLayers, nil
	case "mounts":
		return gsllb.CacheMounts, nil
	default:
		return 0, fmt.Errorf("build arg %s=%q: want auto (the default: layers when the build imports a cache with --cache-from, else mounts), layers (module and dependency layers that --cache-to exports) or mounts (persistent cache mounts only)", ArgCache, v)
	}
}
