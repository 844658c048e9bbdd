package cli

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/goscratch/goscratch/inputs"
	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

var _ = register(&command{
	name:    "llb",
	args:    "FILE",
	summary: "Print the LLB definition of one platform's image, for buildctl, with no frontend image.",
	help: `
Writes the graph the frontend builds (binary protobuf, llb.WriteTo) to stdout,
so BuildKit can run it directly:

  goscratch llb goscratch.yaml --platform linux/arm64 | \
    buildctl build --local context=. --output type=image,name=REG/app:dev,push=true

The inputs are derived as the frontend derives them (package inputs): the
module's layout (vendor, go.work, local replacements), the go.sum check, the
builder image (builder:, go:, else go.mod or go.work), SOURCE_DATE_EPOCH and
the goenv build args. The main build context must be sent as the local
named "context".

With --addr (default $BUILDKIT_HOST) the builder image is resolved through
that daemon, as the frontend resolves it (pinned by digest, its configured
environment, the daemon's registry mirrors and credentials), and the build
platform is the daemon's; with --frontend IMAGE the prebuilt gotool is taken
from that goscratch frontend image, as the frontend does. Then the definition
is the one the frontend solves for the same request. Without a daemon the
builder is used by name with the official golang images' environment.
The image config (entrypoint, user...) is not part of LLB, so use the
frontend for complete images. One platform per definition; the test target
gives the go test step.`,
	flags: func(fs *flag.FlagSet) func(*ctx, []string) error {
		o := llbOpts{}
		fs.StringVar(&o.target, "target", "", "build this `TARGET` (default: the top level)")
		fs.StringVar(&o.platform, "platform", "", "target `PLATFORM` (default: the spec's first platform, else the build platform)")
		fs.StringVar(&o.buildPlatform, "build-platform", "", "`PLATFORM` the Go steps run on (default: the daemon's with --addr, else linux/"+runtime.GOARCH+")")
		fs.StringVar(&o.contextDir, "context", "", contextUsage)
		fs.StringVar(&o.addr, "addr", os.Getenv("BUILDKIT_HOST"), "BuildKit `ADDRESS` to resolve the builder image (and --frontend) through; empty for none")
		fs.StringVar(&o.frontend, "frontend", "", "goscratch frontend `IMAGE` whose prebuilt gotool the steps use (needs --addr)")
		o.buildArgs = buildArgFlag(fs, "`NAME=VALUE` as the frontend's build args (SOURCE_DATE_EPOCH, VERSION, GOPROXY, GOSCRATCH_CACHE...); repeatable; SOURCE_DATE_EPOCH defaults to the environment's")
		return func(c *ctx, args []string) error {
			file, err := oneFile(args)
			if err != nil {
				return err
			}
			o.file = file
			return c.printLLB(o)
		}
	},
})

type llbOpts struct {
	file, target, platform, buildPlatform, contextDir, addr, frontend string
	buildArgs                                                         map[string]string
}

func (c *ctx) printLLB(o llbOpts) error {
	if strings.Contains(o.platform, ",") {
		return usageErr("one --platform per definition; run llb once per platform")
	}
	if o.platform != "" {
		// Before any daemon is dialled: a bad platform is a usage error either way.
		if _, err := spec.ParsePlatform(o.platform); err != nil {
			return usageErr("--platform: %v", err)
		}
	}
	if o.frontend != "" && o.addr == "" {
		return usageErr("--frontend needs --addr (or BUILDKIT_HOST): the image is pinned through the daemon")
	}
	if _, ok := o.buildArgs[inputs.ArgSourceDateEpoch]; !ok && os.Getenv(inputs.ArgSourceDateEpoch) != "" {
		o.buildArgs[inputs.ArgSourceDateEpoch] = os.Getenv(inputs.ArgSourceDateEpoch)
	}
	p, err := c.load(o.file, o.contextDir)
	if err != nil {
		return err
	}
	in, err := c.inputs(p, o.target, o.buildArgs)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	env := inputs.Env{
		Context:   llb.Local("context", llb.ExcludePatterns(p.excludes), llb.SharedKeyHint("context"), llb.WithCustomName("load build context")),
		SourceMap: llb.NewSourceMap(nil, filepath.Base(p.file), "yaml", p.data),
	}
	if o.addr != "" {
		r, err := resolveThrough(ctx, o.addr, in.BuilderRef, o.frontend, o.buildPlatform)
		if err != nil {
			return err
		}
		env.BuildPlatform, env.Builder, env.GoTool, env.Caps = r.buildPlatform, r.builder, r.goTool, &r.caps
	} else {
		bp, err := spec.ParsePlatform(cmpOr(o.buildPlatform, "linux/"+runtime.GOARCH))
		if err != nil {
			return usageErr("--build-platform: %v", err)
		}
		env.BuildPlatform = bp
		env.Builder = inputs.Builder{State: inputs.BuilderState(in.BuilderRef, in.BuilderRef, bp), Env: inputs.OfficialImageEnv(in.BuilderRef)}
	}
	opt := in.Options(env)
	st, err := c.convert(p, in, opt, o.platform)
	if err != nil {
		return err
	}
	def, err := st.Marshal(ctx)
	if err != nil {
		return err
	}
	if env.Caps != nil { // the daemon at --addr
		if err := gsllb.CheckCaps(def, *env.Caps); err != nil {
			return err
		}
	}
	return llb.WriteTo(def, c.stdout)
}

// convert is the target's graph for one platform: the image, or for the
// test target the go test step (on the build platform).
func (c *ctx) convert(p *project, in *inputs.Inputs, opt gsllb.Options, platform string) (llb.State, error) {
	if in.Target.Test != nil {
		opt.TargetPlatform = opt.BuildPlatform
		return gsllb.ConvertTest(in.Target, opt)
	}
	tp := opt.BuildPlatform
	if platform == "" && len(p.spec.Platforms) > 0 {
		platform = p.spec.Platforms[0]
	}
	if platform != "" {
		var err error
		if tp, err = spec.ParsePlatform(platform); err != nil {
			return llb.State{}, usageErr("--platform: %v", err)
		}
	}
	opt.TargetPlatform = tp
	res, err := gsllb.Convert(in.Target, opt)
	if err != nil {
		return llb.State{}, err
	}
	return res.State, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
