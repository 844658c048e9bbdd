package frontend

import (
	"context"
	"fmt"
	"path"

	"github.com/containerd/platforms"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// debugHints are for the debug shell's busybox.
var debugHints = elfHints{
	arch:    "the debug image has no variant for this platform; replace it with --build-context " + spec.DebugImage + "=docker-image://<an image with a static busybox for every platform>",
	dynamic: "The debug shell needs a static busybox in the image's /bin, as " + spec.DebugImage + " has; replace it with --build-context " + spec.DebugImage + "=docker-image://<such an image>",
}

// verifyDebugShell checks the debug layer's sh (a hard link to busybox,
// or a link that stays inside the layer) is a static executable for p:
// an image whose applets are absolute links to /bin/busybox, or whose
// busybox needs a libc, would give a debug image without a working shell.
func verifyDebugShell(ctx context.Context, bc *dockerui.Client, layer llb.State, in *request, p ocispecs.Platform) error {
	ref, err := solveState(ctx, bc, layer)
	if err != nil {
		return in.explainFailure(ctx, err)
	}
	sh := path.Join(spec.DebugDir, "sh")
	rr, err := newRangeReader(ctx, ref, sh)
	if err == nil {
		err = checkStatic(rr, p, debugHints)
	} else {
		err = fmt.Errorf("no shell: %v (the debug image's /bin needs sh, as a hard link to a static busybox or a relative link, as %s has)", err, spec.DebugImage)
	}
	if err != nil {
		return withSpecSource(&spec.Error{
			File: in.specFile, Pos: in.target.FieldPos("debug"), Path: "debug",
			Msg: fmt.Sprintf("[%s] debug shell %s: %v", platforms.Format(p), sh, err),
		}, in.sourceMap)
	}
	return nil
}
