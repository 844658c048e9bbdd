package llb

import (
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

func privateResolved() *spec.Resolved {
	r := resolved()
	r.Secrets = []spec.ResolvedSecret{
		{ID: "netrc", Target: "/root/.netrc"},
		{ID: "token", Env: "GITLAB_TOKEN", Required: true},
	}
	r.SSH = true
	return r
}

func TestPrivateDownload(t *testing.T) {
	_, g := convert(t, privateResolved(), options(arm64))
	dl := g.exec(toolBin, "download")
	wantArgs := []string{toolBin, "download", "-seed", modSeedDir, "-slim", "-secret", "netrc=file:/root/.netrc", "-secret", "token=env:GITLAB_TOKEN", "-ssh"}
	if !slices.Equal(dl.Meta.Args, wantArgs) {
		t.Errorf("download args %q, want %q", dl.Meta.Args, wantArgs)
	}
	var secrets, ssh []*pb.Mount
	for _, m := range dl.Mounts {
		switch m.MountType {
		case pb.MountType_SECRET:
			secrets = append(secrets, m)
		case pb.MountType_SSH:
			ssh = append(ssh, m)
		}
	}
	if len(secrets) != 1 || secrets[0].Dest != "/root/.netrc" || secrets[0].SecretOpt.ID != "netrc" || !secrets[0].SecretOpt.Optional || secrets[0].SecretOpt.Mode != 0o400 {
		t.Errorf("secret mounts %v: want netrc at /root/.netrc, optional, 0400", secrets)
	}
	if len(dl.Secretenv) != 1 || dl.Secretenv[0].ID != "token" || dl.Secretenv[0].Name != "GITLAB_TOKEN" || dl.Secretenv[0].Optional {
		t.Errorf("secret env %v: want token as GITLAB_TOKEN, required", dl.Secretenv)
	}
	if len(ssh) != 1 || ssh[0].Dest != sshSocket || ssh[0].SSHOpt.ID != "default" || !ssh[0].SSHOpt.Optional {
		t.Errorf("ssh mounts %v", ssh)
	}
	env := envMap(dl)
	if env["NETRC"] != "/root/.netrc" || env["SSH_AUTH_SOCK"] != sshSocket {
		t.Errorf("download env %v: want NETRC and SSH_AUTH_SOCK", dl.Meta.Env)
	}
	tool := mount(dl, toolDir)
	if tool == nil || !tool.Readonly {
		t.Fatalf("gotool mount %v: want read-only at %s", tool, toolDir)
	}
	compile := g.input(g.opOf(dl), tool.Input).GetExec()
	if compile == nil || !slices.Equal(compile.Meta.Args[:2], []string{"go", "build"}) || envMap(compile)["GOFLAGS"] != "" || envMap(compile)["GOWORK"] != "off" {
		t.Errorf("gotool is not compiled by a plain go build in the builder: %v", compile)
	}
	if p := g.opOf(compile).Platform; p.Architecture != "amd64" {
		t.Errorf("gotool compiled for %s, want the build platform", p.Architecture)
	}
}

// TestSecretsOnlyInDownload: no build step sees a secret, the agent or a
// variable pointing at them.
func TestSecretsOnlyInDownload(t *testing.T) {
	r := privateResolved()
	r.Binaries = append(r.Binaries, spec.ResolvedBinary{Main: "./cmd/migrate", Name: "migrate"})
	_, g := convert(t, r, options(arm64))
	for _, op := range g.execs(toolBin, "build") {
		e := op.GetExec()
		for _, m := range e.Mounts {
			if m.MountType == pb.MountType_SECRET || m.MountType == pb.MountType_SSH {
				t.Errorf("%q mounts %s %s", e.Meta.Args, m.MountType, m.Dest)
			}
		}
		if len(e.Secretenv) > 0 {
			t.Errorf("%q gets secret env %v", e.Meta.Args, e.Secretenv)
		}
		if env := envMap(e); env["NETRC"] != "" || env["SSH_AUTH_SOCK"] != "" {
			t.Errorf("%q env %v", e.Meta.Args, e.Meta.Env)
		}
	}
}

func TestPublicDownloadIsPlain(t *testing.T) {
	_, g := convert(t, resolved(), options(amd64))
	dl := g.exec(toolBin, "download")
	// the layer cache mode (options): the download only fills the seed
	if want := []string{toolBin, "download", "-seed", modSeedDir, "-slim", "-seed-only"}; !slices.Equal(dl.Meta.Args, want) {
		t.Errorf("download args %q, want %q", dl.Meta.Args, want)
	}
	for _, m := range dl.Mounts {
		if m.MountType == pb.MountType_SECRET || m.MountType == pb.MountType_SSH {
			t.Errorf("a public download mounts %v", m)
		}
	}
}

func TestGoenvNetrcWins(t *testing.T) {
	r := privateResolved()
	r.Goenv = map[string]string{"NETRC": "/custom/netrc"}
	_, g := convert(t, r, options(amd64))
	if got := envMap(g.exec(toolBin, "download"))["NETRC"]; got != "/custom/netrc" {
		t.Errorf("NETRC %q, want goenv's", got)
	}
}

func TestPrivateDeterministic(t *testing.T) {
	assertDeterministic(t, privateResolved(), options(arm64))
}

func TestGoToolSourceEmbedded(t *testing.T) {
	for _, name := range goToolFiles {
		dt, err := goToolSource.ReadFile("gotool/" + name)
		if err != nil || !strings.Contains(string(dt), "package main") {
			t.Errorf("gotool source %s not embedded: %v", name, err)
		}
	}
}

// TestPrivateDownloadLocation: a failed private download shows the spec's
// secrets, where the fix goes.
func TestPrivateDownloadLocation(t *testing.T) {
	r := privateResolved()
	r.Secrets[0].Pos = spec.Pos{Line: 3, Column: 5}
	opt := options(amd64)
	opt.SourceMap = llb.NewSourceMap(nil, "goscratch.yaml", "yaml", []byte("main: .\nsecrets:\n  - netrc\n"))
	_, g := convert(t, r, opt)
	dl := g.opOf(g.exec(toolBin, "download"))
	for d, op := range g.ops {
		if op != dl {
			continue
		}
		locs := g.def.Source.Locations[d.String()]
		if locs == nil || len(locs.Locations) == 0 || locs.Locations[0].Ranges[0].Start.Line != 3 {
			t.Errorf("download step location %v, want line 3 (secrets)", locs)
		}
	}
}
