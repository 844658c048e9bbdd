package inputs

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
)

func TestDebugArg(t *testing.T) {
	for _, tc := range []struct {
		spec bool
		arg  string
		want bool
		err  string
	}{
		{spec: false, arg: "", want: false},
		{spec: false, arg: "1", want: true},
		{spec: false, arg: "true", want: true},
		{spec: true, arg: "", want: true},
		{spec: true, arg: "0", want: false},
		{spec: false, arg: "yes please", err: `build arg GOSCRATCH_DEBUG="yes please": want 1`},
	} {
		r := &spec.Resolved{Debug: tc.spec}
		args := map[string]string{}
		if tc.arg != "" {
			args[ArgDebug] = tc.arg
		}
		err := applyDebugArg(r, args)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("spec %v arg %q: error %v, want %q", tc.spec, tc.arg, err, tc.err)
			}
			continue
		}
		if err != nil || r.Debug != tc.want {
			t.Errorf("spec %v arg %q: debug %v (%v), want %v", tc.spec, tc.arg, r.Debug, err, tc.want)
		}
	}
	in, err := loadExample(t, filepath.Join("..", "examples", "hello"), map[string]string{ArgDebug: "1"})
	if err != nil || !in.Target.Debug {
		t.Errorf("examples/hello with %s=1: debug %v (%v), want on", ArgDebug, in != nil && in.Target.Debug, err)
	}
}
