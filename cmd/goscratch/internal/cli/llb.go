package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	gsllb "github.com/goscratch/goscratch/llb"
	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/patternmatcher/ignorefile"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

var _ = register(&command{
	name:    "llb",
	args:    "FILE",
	summary: "Print the LLB definition of one platform's image, for buildctl, with no frontend image.",
	help: `
Writes the same graph the frontend builds (binary protobuf, llb.WriteTo) to
stdout, so BuildKit can run it directly:

  goscratch llb goscratch.yaml --platform linux/arm64 | \
    buildctl build --local context=. --output type=image,name=REG/app:dev,push=true

The main build context must be sent as the local named "context". The builder
image is chosen as the frontend does (builder:, go:, else go.mod) and used
with the golang images' environment; the image config (entrypoint, user...)
is not part of LLB, so use the frontend for complete images. One platform per
definition; SOURCE_DATE_EPOCH in the environment sets file times.`,
	flags: func(fs *flag.FlagSet) func(*ctx, []string) error {
		target := fs.String("target", "", "build this `TARGET` (default: the top level)")
		platform := fs.String("platform", "", "target `PLATFORM` (default: the spec's first platform, else linux/"+runtime.GOARCH+")")
		buildPlatform := fs.String("build-platform", "linux/"+runtime.GOARCH, "`PLATFORM` the Go steps run on (the BuildKit worker's)")
		contextDir := fs.String("context", "", contextUsage)
		return func(c *ctx, args []string) error {
			file, err := oneFile(args)
			if err != nil {
				return err
			}
			return c.printLLB(file, *contextDir, *target, *platform, *buildPlatform)
		}
	},
})

// builderEnv is the environment of the official golang images, which the
// frontend reads from the image config and the CLI cannot.
var builderEnv = []string{
	"PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"GOPATH=/go",
}

func (c *ctx) printLLB(file, contextDir, target, platform, buildPlatform string) error {
	if strings.Contains(platform, ",") {
		return usageErr("one --platform per definition; run llb once per platform")
	}
	p, err := c.load(file, contextDir)
	if err != nil {
		return err
	}
	r, builder, err := c.resolve(p, target)
	if err != nil {
		return err
	}
	if platform == "" {
		platform = "linux/" + runtime.GOARCH
		if len(p.spec.Platforms) > 0 {
			platform = p.spec.Platforms[0]
		}
	}
	tp, err := spec.ParsePlatform(platform)
	if err != nil {
		return usageErr("--platform: %v", err)
	}
	bp, err := spec.ParsePlatform(buildPlatform)
	if err != nil {
		return usageErr("--build-platform: %v", err)
	}
	opt, err := c.llbOptions(p, builder, bp)
	if err != nil {
		return err
	}
	opt.TargetPlatform = tp
	res, err := gsllb.Convert(r, opt)
	if err != nil {
		return err
	}
	def, err := res.State.Marshal(context.Background())
	if err != nil {
		return err
	}
	return llb.WriteTo(def, c.stdout)
}

// llbOptions are the converter's options for a local build: the context as
// the local "context" with .dockerignore applied, the builder image by
// name, SOURCE_DATE_EPOCH from the environment, and the spec as source map.
func (c *ctx) llbOptions(p *project, builder string, buildPlatform ocispecs.Platform) (gsllb.Options, error) {
	excludes, err := dockerignore(p.context)
	if err != nil {
		return gsllb.Options{}, err
	}
	opt := gsllb.Options{
		BuildPlatform: buildPlatform,
		Context:       llb.Local("context", llb.ExcludePatterns(excludes), llb.SharedKeyHint("context"), llb.WithCustomName("load build context")),
		Builder:       llb.Image(builder, llb.Platform(buildPlatform), llb.WithCustomName("builder "+builder)),
		BuilderEnv:    builderEnv,
		SourceMap:     llb.NewSourceMap(nil, filepath.Base(p.file), "yaml", p.data),
	}
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil || sec < 0 {
			return opt, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want Unix seconds", v)
		}
		t := time.Unix(sec, 0).UTC()
		opt.Epoch = &t
	}
	return opt, nil
}

// dockerignore reads the context's .dockerignore patterns, as BuildKit's
// Dockerfile frontend and dockerui do for the main context.
func dockerignore(dir string) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, ".dockerignore"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ignorefile.ReadAll(f)
}
