package inputs

import (
	"fmt"
	"strconv"

	"github.com/goscratch/goscratch/spec"
)

// ArgDebug turns the debug variant (spec.Resolved.Debug) on or off for
// any spec and target: `--build-arg GOSCRATCH_DEBUG=1` gives the image a
// debug shell without editing the spec, `=0` leaves it out of a target that
// asks for it.
const ArgDebug = "GOSCRATCH_DEBUG"

// applyDebugArg sets r.Debug from GOSCRATCH_DEBUG when the request has it.
func applyDebugArg(r *spec.Resolved, buildArgs map[string]string) error {
	v, ok := buildArgs[ArgDebug]
	if !ok || v == "" || r.Test != nil {
		return nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("build arg %s=%q: want 1 (add a debug shell: busybox in %s, on PATH) or 0 (none, whatever the spec says)", ArgDebug, v, spec.DebugDir)
	}
	r.Debug = on
	return nil
}
