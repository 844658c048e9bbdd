package inputs

import (
	"strings"
	"testing"

	gsllb "github.com/goscratch/goscratch/llb"
)

func TestCacheMode(t *testing.T) {
	for _, tc := range []struct {
		arg     string
		imports bool
		want    gsllb.CacheMode
		err     string
	}{
		{want: gsllb.CacheMounts},
		{imports: true, want: gsllb.CacheLayers},
		{arg: "auto", want: gsllb.CacheMounts},
		{arg: "auto", imports: true, want: gsllb.CacheLayers},
		{arg: "layers", want: gsllb.CacheLayers},
		{arg: "mounts", imports: true, want: gsllb.CacheMounts},
		{arg: "layer", err: `build arg GOSCRATCH_CACHE="layer": want auto`},
	} {
		args := map[string]string{}
		if tc.arg != "" {
			args[ArgCache] = tc.arg
		}
		got, err := cacheMode(args, tc.imports)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("arg %q: error %v, want %q", tc.arg, err, tc.err)
			}
		case err != nil:
			t.Errorf("arg %q: %v", tc.arg, err)
		case got != tc.want:
			t.Errorf("arg %q, imports %v: %s, want %s", tc.arg, tc.imports, got, tc.want)
		}
	}
}
