package cli

import (
	"bytes"
	"github.com/goscratch/goscratch/internal/golden"
	"github.com/goscratch/goscratch/spec"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/solver/pb"
)

func TestDockerfileEject(t *testing.T) {
	r := runCLI("dockerfile", "--build-arg", "VERSION=1.2.3", "testdata/eject/goscratch.yaml")
	if r.code != 0 {
		t.Fatalf("%s", r)
	}
	golden.Check(t, "testdata/eject/Dockerfile.golden", r.stdout)

	// BuildKit's own Dockerfile parser reads it: two stages, heredocs, flags
	res, err := parser.Parse(strings.NewReader(r.stdout))
	if err != nil {
		t.Fatalf("BuildKit cannot parse the ejected Dockerfile: %v", err)
	}
	stages, _, err := instructions.Parse(res.AST, nil)
	if err != nil {
		t.Fatalf("BuildKit rejects the ejected Dockerfile: %v", err)
	}
	if len(stages) != 2 || stages[0].Name != "build" || stages[1].BaseName != "scratch" {
		t.Fatalf("stages %+v: want build and a scratch stage", stages)
	}
	if !strings.HasPrefix(r.stdout, "# syntax=docker/dockerfile:1\n") {
		t.Errorf("no # syntax line by default")
	}
	if strings.Contains(r.stdout, "busybox") {
		t.Errorf("the default eject has the debug shell")
	}
	// the debug variant: busybox's /bin as it is, /busybox on PATH
	d := runCLI("dockerfile", "--build-arg", "GOSCRATCH_DEBUG=1", "testdata/eject/goscratch.yaml")
	if d.code != 0 {
		t.Fatalf("%s", d)
	}
	if !strings.Contains(d.stdout, "\nCOPY --from="+spec.DebugImage+" --chown=0:0 /bin/ /busybox/\n") || !strings.Contains(d.stdout, " PATH=/usr/local/bin:/busybox") {
		t.Errorf("GOSCRATCH_DEBUG=1: no busybox COPY or PATH with /busybox:\n%s", d.stdout)
	}
	if _, err := parser.Parse(strings.NewReader(d.stdout)); err != nil {
		t.Errorf("BuildKit cannot parse the ejected debug Dockerfile: %v", err)
	}
	if r := runCLI("dockerfile", "--syntax=", "testdata/eject/goscratch.yaml"); r.code != 0 || strings.Contains(r.stdout, "# syntax=") || !strings.Contains(r.stdout, "main.version=dev-") {
		t.Errorf("--syntax= still writes a # syntax line, or without VERSION the template does not give dev: %s", r)
	}
	for _, want := range []string{
		"FROM --platform=$BUILDPLATFORM golang:1.26.8 AS build",
		"WORKDIR /src/services/api",
		"COPY services/api/go.mod services/api/go.su[m] ./",
		`-ldflags '-s -w -X '\''main.role=db migrate'\'' -X main.version=1.2.3-'"${TARGETARCH}" -o /out/api-migrate ./cmd/migrate`,
		"ARG TARGETOS TARGETARCH TARGETVARIANT TARGETPLATFORM\nLABEL org.opencontainers.image.title=api\nLABEL platform=\"${TARGETPLATFORM}\"",
		"--annotation index,manifest:org.opencontainers.image.version=1.2.3",
		"-tags jsoniter,netgo,timetzdata",
		`ENV GREETING="it's \$HOME" PATH=/usr/local/bin TZ=Europe/Paris`,
		`COPY --chmod=0640 --chown=1000:2000 config/app.yaml /etc/app/app.yaml`,
		`COPY --chown=0:0 ["static dir","/srv/static/"]`,
		"mkdir -p /rootfs/etc /rootfs/tmp /rootfs/etc/app /rootfs/srv/static &&",
		"USER 1000:2000", "WORKDIR /srv/data", "EXPOSE 8080/tcp 53/udp",
		`LABEL team="core platform"`,
		`ENTRYPOINT ["/usr/local/bin/api"]`, `CMD ["--port","8080"]`,
		"--annotation index,manifest:org.opencontainers.image.source=https://github.com/acme/api",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("ejected Dockerfile lacks %q", want)
		}
	}
	for _, absent := range []string{"ca-certificates.crt", "/usr/share/zoneinfo"} {
		if strings.Contains(r.stdout, absent) {
			t.Errorf("certs: false and zoneinfo: embed, yet the Dockerfile copies %s", absent)
		}
	}
}

func TestLLBCommand(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	r := runCLI("llb", "testdata/validate/valid/goscratch.yaml", "--platform", "linux/arm/v7")
	if r.code != 0 {
		t.Fatalf("%s", r)
	}
	def, err := llb.ReadFrom(bytes.NewReader([]byte(r.stdout)))
	if err != nil {
		t.Fatalf("stdout is not an LLB definition: %v", err)
	}
	var build *pb.ExecOp
	var sources []string
	for _, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			t.Fatal(err)
		}
		if e := op.GetExec(); e != nil && slices.Contains(e.Meta.Args, "build") {
			build = e
		}
		if s := op.GetSource(); s != nil {
			sources = append(sources, s.Identifier)
		}
		if f := op.GetFile(); f != nil {
			for _, a := range f.Actions {
				if c := a.GetCopy(); c != nil && c.Timestamp > 0 && c.Timestamp != 1700000000*1e9 {
					t.Errorf("copy %s has time %d, want SOURCE_DATE_EPOCH", c.Dest, c.Timestamp)
				}
			}
		}
	}
	if build == nil {
		t.Fatalf("no go build step")
	}
	if env := strings.Join(build.Meta.Env, " "); !strings.Contains(env, "GOARCH=arm") || !strings.Contains(env, "GOARM=7") || !strings.Contains(env, "GOPATH=/go") {
		t.Errorf("go build env %q: want GOARCH=arm GOARM=7 and the golang image's GOPATH", env)
	}
	slices.Sort(sources)
	if !slices.Equal(sources, []string{"docker-image://docker.io/library/golang:1.26.8", "local://context"}) {
		t.Errorf("sources %q: want the builder from go.mod and the local context", sources)
	}
	if def.Source == nil || len(def.Source.Infos) != 1 || def.Source.Infos[0].Filename != "goscratch.yaml" {
		t.Errorf("no source map for goscratch.yaml")
	}
}
