package cli

import (
	"flag"
	"fmt"
)

var _ = register(&command{
	name:    "dockerfile",
	args:    "FILE",
	summary: "Eject: print an equivalent multi-stage Dockerfile for one target (no lock-in).",
	help: `
The Dockerfile does what the frontend does: Go steps on $BUILDPLATFORM
(cross-compiling with GOOS/GOARCH and GOARM/GOAMD64/GOARM64 from
TARGETVARIANT), go.mod and go.sum copied alone before go mod download,
module and build caches on cache mounts, the source bind-mounted, then
FROM scratch with the same accounts, certificates, time zones, files,
binaries and image config. Templates in ldflags, labels and annotations are
expanded now, with the --build-arg values (as the frontend does with the
build's); their platform fields become $TARGETOS, $TARGETARCH... It needs the Dockerfile 1.4+ syntax (heredocs,
COPY --chmod), which the # syntax line selects; --syntax "" leaves the
line out for a BuildKit whose built-in Dockerfile frontend is recent.

  goscratch dockerfile goscratch.yaml > Dockerfile
  docker buildx build --platform linux/amd64,linux/arm64 -t app .`,
	flags: func(fs *flag.FlagSet) func(*ctx, []string) error {
		target := fs.String("target", "", "eject this `TARGET` (default: the top level)")
		contextDir := fs.String("context", "", contextUsage)
		syntax := fs.String("syntax", "docker/dockerfile:1", "`IMAGE` for the # syntax= line; empty for none")
		buildArgs := buildArgFlag(fs, "`NAME=VALUE` as the frontend's build args: for the spec's templates (VERSION, VCS_REVISION, VCS_SOURCE, SOURCE_DATE_EPOCH, .Args) and goenv (GOPROXY...); repeatable")
		return func(c *ctx, args []string) error {
			file, err := oneFile(args)
			if err != nil {
				return err
			}
			p, err := c.load(file, *contextDir)
			if err != nil {
				return err
			}
			in, err := c.inputs(p, *target, buildArgs)
			if err != nil {
				return err
			}
			if in.Target.Test != nil {
				return usageErr("the test target has no image to eject: run its tests with go test, or eject another target")
			}
			e := &eject{file: file, target: *target, builder: in.BuilderRef, syntax: *syntax, platforms: p.spec.Platforms, buildArgs: buildArgs, r: in.Target, layout: in.Layout}
			df, err := e.dockerfile()
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(c.stdout, df)
			return err
		}
	},
})
