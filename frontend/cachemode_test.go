package frontend

import (
	"strings"
	"testing"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

func TestCacheMode(t *testing.T) {
	imports := []client.CacheOptionsEntry{{Type: "gha"}}
	for _, tc := range []struct {
		arg     string
		imports []client.CacheOptionsEntry
		want    gsllb.CacheMode
		err     string
	}{
		{want: gsllb.CacheMounts},
		{imports: imports, want: gsllb.CacheLayers},
		{arg: "auto", want: gsllb.CacheMounts},
		{arg: "auto", imports: imports, want: gsllb.CacheLayers},
		{arg: "layers", want: gsllb.CacheLayers},
		{arg: "mounts", imports: imports, want: gsllb.CacheMounts},
		{arg: "layer", err: `build arg GOSCRATCH_CACHE="layer": want auto`},
	} {
		bc := &dockerui.Client{Config: dockerui.Config{CacheImports: tc.imports, BuildArgs: map[string]string{}}}
		if tc.arg != "" {
			bc.BuildArgs[argCache] = tc.arg
		}
		got, err := cacheMode(bc)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("arg %q: error %v, want %q", tc.arg, err, tc.err)
			}
		case err != nil:
			t.Errorf("arg %q: %v", tc.arg, err)
		case got != tc.want:
			t.Errorf("arg %q, %d imports: %s, want %s", tc.arg, len(tc.imports), got, tc.want)
		}
	}
}
