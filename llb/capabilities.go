package llb

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// Paths of the capability step.
const (
	capInDir  = "/goscratch/in"   // the go build output, read-only
	capOutDir = "/goscratch/caps" // the layer being written
)

// capabilityLayer is the layer of a binary with file capabilities. A file
// copy would not carry the security.capability xattr (moby/buildkit#2250;
// a chown after the copy clears it too), so `gotool setcap` writes the
// layer on an output mount, which BuildKit exports as it is: the binary at
// its path with mode 0755, owner root, the xattr and the epoch as every
// entry's time, as binaryLayer makes it without capabilities. The exported
// tar header carries the xattr (PAX SCHILY.xattr.security.capability).
func capabilityLayer(bin llb.State, b spec.ResolvedBinary, opt Options) (layer, error) {
	mask, ok := spec.CapabilityMask(b.Capabilities)
	if !ok {
		return layer{}, fmt.Errorf("binary %s: capabilities %v are not Linux capability names", b.Name, b.Capabilities)
	}
	p := path.Join(spec.BinDir, b.Name)
	run := opt.compiles().rootfs().Run(append([]llb.RunOption{
		llb.Args([]string{toolBin, "setcap", "-caps", "0x" + strconv.FormatUint(mask, 16),
			"-epoch", strconv.FormatInt(opt.epoch().Unix(), 10), "-root", capOutDir,
			path.Join(capInDir, p), p}),
		llb.Dir("/"),
		opt.toolMount(),
		llb.AddMount(capInDir, bin, llb.Readonly),
		llb.Network(llb.NetModeNone),
		llb.WithCustomNamef("[%s] %s with %s", formatPlatform(opt.TargetPlatform), p, strings.Join(b.Capabilities, ",")),
	}, opt.runConstraints(b.Pos)...)...)
	return layer{
		state:     run.AddMount(capOutDir, llb.Scratch()),
		createdBy: "goscratch: go build " + p + " with " + strings.Join(b.Capabilities, ","),
	}, nil
}
