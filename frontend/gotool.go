package frontend

import (
	"bytes"
	"context"
	"debug/elf"
	"github.com/goscratch/goscratch/inputs"
	"io"
	"os"
	"path/filepath"
	"runtime"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// goToolName is the prebuilt gotool's file name, next to the frontend's
// own executable in the frontend image.
const goToolName = "gotool"

// goToolHead is how much of gotool's start is compared between the
// frontend's own copy and the image's: the ELF headers and Go's build id
// note, which differs between any two builds of different source.
const goToolHead = 32 << 10

// prebuiltGoTool returns where the Go steps find a prebuilt gotool for the
// build platform: in the frontend image itself, which carries gotool next
// to the frontend, built for the frontend's own platform. The steps
// bind-mount that file, so the build's LLB holds only the image's name
// (sending the 2.8 MB binary in every platform's LLB cost about 0.4 s per
// build). Nil means the steps compile gotool from the embedded source:
// another build platform, 32-bit arm, a frontend not started from an
// image, or an image whose gotool is not this frontend's own (a tag that
// moved since BuildKit resolved it).
func prebuiltGoTool(ctx context.Context, bc *dockerui.Client, build ocispecs.Platform) *gsllb.PrebuiltTool {
	path := filepath.Join(frontendDir(), goToolName)
	head := localGoTool(path, build)
	if head == nil {
		return nil
	}
	ref := pinnedFrontendImage(ctx, bc, build)
	if ref == "" {
		return nil
	}
	tool := inputs.PrebuiltGoTool(ref, path, build)
	if !sameHead(ctx, bc, tool.Image, path, head) {
		return nil
	}
	return tool
}

// localGoTool returns the start of the gotool next to the frontend when it
// is an executable for the build platform, which must be the frontend's
// own (never 32-bit arm, whose variants differ); else nil.
func localGoTool(path string, build ocispecs.Platform) []byte {
	if build.OS != runtime.GOOS || build.Architecture != runtime.GOARCH || runtime.GOARCH == "arm" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, goToolHead)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil
	}
	head = head[:n]
	ef, err := elf.NewFile(f)
	if err != nil {
		return nil
	}
	defer ef.Close()
	if want, ok := elfTargets[runtime.GOARCH]; !ok || ef.Machine != want.machine || ef.Type != elf.ET_EXEC {
		return nil
	}
	return head
}

// pinnedFrontendImage is the image this frontend runs from (the request's
// source option), pinned by digest; "" when unknown.
func pinnedFrontendImage(ctx context.Context, bc *dockerui.Client, build ocispecs.Platform) string {
	src := bc.BuildOpts().Opts["source"] // BuildKit's gateway passes its own options on: source is the frontend image
	pinned, _, err := inputs.PinImage(ctx, bc.GatewayClient(), src, build, false)
	if err != nil {
		return ""
	}
	return pinned
}

// sameHead reads the start of path in img and compares it with head.
func sameHead(ctx context.Context, bc *dockerui.Client, img llb.State, path string, head []byte) bool {
	ref, err := solve(ctx, bc, img, nil)
	if err != nil || ref == nil {
		return false
	}
	dt, err := ref.ReadFile(ctx, client.ReadRequest{Filename: path, Range: &client.FileRange{Offset: 0, Length: len(head)}})
	return err == nil && bytes.Equal(dt, head)
}

// frontendDir is the directory of the frontend's executable.
func frontendDir() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	return filepath.Dir(exe)
}
