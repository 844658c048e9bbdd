package cli

import (
	"bytes"
	"github.com/goscratch/goscratch/internal/golden"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
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

func TestInit(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/tool\n\ngo 1.26\n")
	write("cmd/api/main.go", "// Command api.\npackage main\n\nfunc main() {}\n")
	write("cmd/gen/gen.go", "//go:build ignore\n\npackage main\n")
	write("cmd/gen/doc.go", "package gen\n")
	write("cmd/win/main_windows.go", "package main\n")
	write("internal/lib/lib.go", "package lib\n")
	write("internal/lib/lib_test.go", "package main\n")
	write("testdata/x/main.go", "package main\n")
	write("tools/go.mod", "module example.com/tool/tools\n")
	write("tools/main.go", "package main\n")
	write(".hidden/main.go", "package main\n")
	write("worker/main.go", "//go:build linux\n\npackage main\n")

	r := runCLI("init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("%s", r)
	}
	dt, err := os.ReadFile(filepath.Join(dir, "goscratch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := "# syntax=ghcr.io/goscratch/goscratch:v1\n" +
		"# yaml-language-server: $schema=" + schemaURL + "\n" +
		"binaries:\n  - main: ./cmd/api\n  - main: ./worker\nplatforms: [linux/amd64, linux/arm64]\n"
	if string(dt) != want {
		t.Errorf("spec\n%s\nwant\n%s", dt, want)
	}
	if _, err := spec.Parse("goscratch.yaml", dt); err != nil {
		t.Errorf("the starter spec is invalid: %v", err)
	}
	if r := runCLI("init", "--dir", dir); r.code != ExitFailed || !strings.Contains(r.stderr, "--force") {
		t.Errorf("init over an existing spec: %s", r)
	}
	if r := runCLI("init", "--dir", filepath.Join(dir, "cmd", "api"), "-o", "-"); r.code != ExitFailed || !strings.Contains(r.stderr, "no Go module here") {
		t.Errorf("init without go.mod: %s", r)
	}
	write("go.mod", "module example.com/tool\n\ngo 1.26\n")
	if err := os.RemoveAll(filepath.Join(dir, "worker")); err != nil {
		t.Fatal(err)
	}
	if r := runCLI("init", "--dir", dir, "--force"); r.code != 0 {
		t.Errorf("init --force: %s", r)
	}
	if dt, _ := os.ReadFile(filepath.Join(dir, "goscratch.yaml")); !strings.Contains(string(dt), "\nmain: ./cmd/api\n") {
		t.Errorf("one main package: want main:, got\n%s", dt)
	}
}
