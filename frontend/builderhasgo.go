package frontend

import (
	"context"
	"fmt"
	"path"
	"strings"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// checkBuilderHasGo looks for a go command in the builder image's PATH
// after a build failed, so an image that is not a Go toolchain (a typo in
// `builder:`, a named context pointing at the wrong image) fails with a
// message naming the image and the fix, instead of an exec error from the
// first step. It is not run before the build: that would cost every good
// build a solve of the builder image before its first step.
func checkBuilderHasGo(ctx context.Context, bc *dockerui.Client, builder llb.State, env []string, ref string) error {
	r, err := solve(ctx, bc, builder, nil)
	if err != nil {
		return fmt.Errorf("builder image %s: %v", ref, err)
	}
	p := gsllb.BuilderPath(env) // the PATH the Go steps get
	for _, dir := range strings.Split(p, ":") {
		if !path.IsAbs(dir) {
			continue
		}
		if st, err := r.StatFile(ctx, client.StatRequest{Path: path.Join(dir, "go")}); err == nil && !st.IsDir() {
			return nil
		}
	}
	return fmt.Errorf("builder image %s has no go command in its PATH (%s): use a Go toolchain image such as golang:1.26 (`builder:` or `go:` in the spec), or replace it with --build-context %s=docker-image://<a golang image>", ref, p, ref)
}
