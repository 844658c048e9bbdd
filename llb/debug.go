package llb

import (
	"fmt"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// debugLayer is the debug variant's shell (spec.Resolved.Debug): the debug
// image's /bin for the target platform, a static busybox and its applets,
// copied to spec.DebugDir with the epoch as every entry's time. Nothing
// runs: the image's files are taken as they are, so a cross build needs no
// emulation, and hard links stay hard links (one busybox in the layer).
// The frontend checks that the busybox it holds is static (see
// frontend/static.go).
func debugLayer(r *spec.Resolved, opt Options) layer {
	src := llb.Image(spec.DebugImage, llb.Platform(opt.TargetPlatform))
	if opt.DebugImage != nil {
		src = *opt.DebugImage
	}
	epoch := opt.epoch()
	name := fmt.Sprintf("[%s] debug shell: %s/bin to %s", formatPlatform(opt.TargetPlatform), spec.DebugImage, spec.DebugDir)
	st := llb.Scratch().File(llb.Copy(src, "/bin/", spec.DebugDir+"/", &llb.CopyInfo{
		CopyDirContentsOnly: true,
		CreateDestPath:      true,
		CreatedTime:         &epoch,
		ChownOpt:            &llb.ChownOpt{User: &llb.UserOpt{UID: 0}, Group: &llb.UserOpt{UID: 0}},
	}), opt.at(r.FieldPos("debug"), llb.WithCustomName(name))...)
	st = opt.restamped(st, name, r.FieldPos("debug"))
	return layer{state: st, createdBy: "goscratch: debug shell from " + spec.DebugImage + " /bin"}
}
