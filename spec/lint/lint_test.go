package lint

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

const gomodPlain = "module example.com/app\n\ngo 1.26.8\n"
const gomodRequires = gomodPlain + "\nrequire golang.org/x/sync v0.19.0\n"

type lintCase struct {
	name     string
	spec     string
	gomod    string // default gomodPlain
	noGoSum  bool
	args     map[string]string
	plats    []ocispecs.Platform
	want     []string // "RuleID@field path" ("RuleID@" when not about a spec line)
	wantLine map[string]int
}

var lintCases = []lintCase{
	{name: "clean", spec: "main: ./cmd/server\nplatforms: [linux/amd64, linux/arm64/v8.2]\n"},
	{name: "clean with ldflags and entrypoint", spec: `
builder: golang:1.26.8@sha256:0123456789012345678901234567890123456789012345678901234567890123
binaries: [./cmd/api, {main: ./cmd/tool, ldflags: "-s -w -X main.v=1"}]
entrypoint: [api, serve]
goenv: {GOPRIVATE: github.com/acme/*, GOPROXY: "https://goproxy.example.com,direct"}
env: {TOKEN_URL: https://auth.example.com/token}
targets:
  tool: {entrypoint: [/usr/local/bin/tool]}
  conf: {entrypoint: [/etc/app/run], files: [{src: run, dst: /etc/app/}]}
`},
	{name: "missing go.sum", spec: "main: .\n", gomod: gomodRequires, noGoSum: true, want: []string{"MissingGoSum@"}},
	{name: "missing go.sum, module set", spec: "module: svc\nmain: .\n", gomod: gomodRequires, noGoSum: true,
		want: []string{"MissingGoSum@module"}, wantLine: map[string]int{"module": 1}},
	{name: "go.sum not needed without requires", spec: "main: .\n", noGoSum: true},
	{name: "go.mod newer than go", spec: "go: 1.25\nmain: .\n", want: []string{"GoModNewerThanBuilder@go"}},
	{name: "go.mod newer than builder patch", spec: "builder: golang:1.26.2-alpine\nmain: .\n",
		want: []string{"BuilderNotPinned@builder", "GoModNewerThanBuilder@builder"}},
	{name: "same minor, builder without patch", spec: "go: 1.26\nmain: .\n"},
	{name: "custom builder image", spec: "builder: registry.example/go:latest\nmain: .\n", want: []string{"BuilderNotPinned@builder"}},
	{name: "GOARM64 needs 1.23", spec: "go: 1.22\nmain: .\nplatforms: [linux/amd64, linux/arm64/v8.2, linux/amd64/v3]\n",
		gomod: "module example.com/app\n\ngo 1.22\n", want: []string{"PlatformNeedsNewerGo@platforms[1]"}},
	{name: "request platforms", spec: "go: 1.17\nmain: .\nplatforms: [linux/amd64/v2]\n", gomod: "module m\n\ngo 1.17\n",
		plats: []ocispecs.Platform{{OS: "linux", Architecture: "amd64", Variant: "v2"}, {OS: "linux", Architecture: "loong64"}},
		want:  []string{"PlatformNeedsNewerGo@platforms[0]", "PlatformNeedsNewerGo@"}},
	{name: "cgo", spec: "main: .\ngoenv: {CGO_ENABLED: 1}\ntargets:\n  ok: {goenv: {CGO_ENABLED: 0}}\n", want: []string{"CgoEnabled@goenv.CGO_ENABLED"}},
	{name: "ldflags", spec: `
main: .
ldflags: "-X main.version=1"
targets:
  none: {ldflags: ""}
  dup: {ldflags: "-s -w -s"}
  dupx: {ldflags: "-s -X a.b=1 -X a.b=2 -X a.c=3"}
  bin: {binaries: [{main: ./cmd/x, ldflags: "-w"}]}
`, want: []string{"LdflagsNotStripped@ldflags", "LdflagsDuplicate@targets.dup.ldflags", "LdflagsDuplicate@targets.dupx.ldflags", "LdflagsNotStripped@targets.bin.binaries[0].ldflags"}},
	{name: "goflags", spec: "main: .\ngoflags: [-trimpath, -v, -v, -buildvcs=true]\n",
		want: []string{"RedundantGoflag@goflags[0]", "RedundantGoflag@goflags[2]"}},
	{name: "timetzdata", spec: `
main: .
tags: [netgo, timetzdata]
targets:
  embed: {zoneinfo: embed}
  off: {zoneinfo: off}
  bin: {binaries: [{main: ./cmd/x, tags: [timetzdata]}], zoneinfo: embed}
`, want: []string{"RedundantTimetzdata@tags[1]", "RedundantTimetzdata@targets.bin.binaries[0].tags[0]"}},
	{name: "entrypoint", spec: `
main: ./cmd/server
entrypoint: [/bin/sh, -c, server]
targets:
  bare: {entrypoint: [serverd]}
  ok: {entrypoint: [./server], workdir: /usr/local/bin}
`, want: []string{"EntrypointNotInImage@entrypoint[0]", "EntrypointNotInImage@targets.bare.entrypoint[0]"}},
	{name: "healthcheck", spec: `
main: ./cmd/server
healthcheck: {test: [/bin/sh, -c, "curl -f localhost"]}
targets:
  named: {healthcheck: {test: [server, -health]}}
  inherits: {user: root}
  tools: {binaries: [./cmd/tool], healthcheck: {test: [/usr/local/bin/server]}}
  off: {healthcheck: {test: [NONE]}}
  conf: {healthcheck: {test: [/etc/app/probe]}, files: [{src: probe, dst: /etc/app/}]}
`, want: []string{"HealthcheckNotInImage@healthcheck.test[0]", "HealthcheckNotInImage@targets.tools.healthcheck.test[0]"}},
	{name: "capabilities", spec: `
main: .
capabilities: [NET_ADMIN, net_bind_service]
targets:
  ok: {capabilities: [CAP_NET_BIND_SERVICE]}
  bins: {binaries: [{main: ./cmd/a, capabilities: [cap_sys_ptrace]}, ./cmd/b]}
`, want: []string{"PrivilegedCapability@capabilities[0]", "PrivilegedCapability@targets.bins.binaries[0].capabilities[0]"}},
	{name: "volumes", spec: `
main: .
workdir: /srv
dirs: [/var/lib/app, {path: /var/cache/app, owner: "0:0"}]
volumes: [/var/lib/app, /data, /srv, /var/cache/app, /home/nonroot]
targets:
  root: {user: root}
  app: {user: "1000", dirs: [/data], volumes: [/data, /var/lib/app]}
`, want: []string{"VolumeWithoutDir@volumes[1]", "VolumeWithoutDir@volumes[3]", "VolumeWithoutDir@targets.app.volumes[1]"}},
	{name: "proxy credentials in spec", spec: `
main: .
goenv: {GOPROXY: "https://proxy.golang.org,direct", HTTPS_PROXY: "http://proxy.corp:3128"}
env: {HTTPS_PROXY: "u:tok@proxy.corp:3128", no_proxy: "localhost,.corp", http_proxy: "tok@proxy.corp"}
`, want: []string{"SecretInSpec@env.HTTPS_PROXY", "SecretInSpec@env.http_proxy"}},
	{name: "secrets in spec", spec: `
main: .
goenv: {GITHUB_TOKEN: abc, GOFLAGS: -mod=mod}
env: {API_TOKEN: abc, LOG: info}
labels: {ci: ghp_abcdefghijklmnopqrstuvwxyz0123456789}
`, want: []string{"SecretInSpec@goenv.GITHUB_TOKEN", "SecretInSpec@env.API_TOKEN", "SecretInSpec@labels.ci"}},
	{name: "secrets in build args", spec: "main: .\n",
		args: map[string]string{"GITHUB_TOKEN": "x", "SOURCE_DATE_EPOCH": "1", "VERSION": "1.2", "BUILDKIT_SYNTAX": "img", "NETRC_URL": "https://a:b@host/",
			"GOPROXY": "proxy.example,u:tok@proxy2.example", "GOSUMDB": "sum.golang.org", "HTTPS_PROXY": "u:tok@proxy.corp:3128"},
		want: []string{"SecretInBuildArg@", "SecretInBuildArg@", "SecretInBuildArg@", "SecretInBuildArg@"}},
	{name: "skip directive", spec: "# syntax=x\n# check=skip=BuilderNotPinned;error=true\nbuilder: golang:1.26.8\nmain: .\n"},
	{name: "skip all", spec: "# check=skip=all\nmain: .\ngoenv: {CGO_ENABLED: 1}\n"},
}

func runCase(t *testing.T, tc lintCase) []Finding {
	t.Helper()
	s, err := spec.Parse("goscratch.yaml", []byte(tc.spec))
	if err != nil {
		t.Fatalf("spec: %v", err)
	}
	gomod := tc.gomod
	if gomod == "" {
		gomod = gomodPlain
	}
	return Check(Input{Spec: s, GoMod: []byte(gomod), HasGoSum: !tc.noGoSum, BuildArgs: tc.args, Platforms: tc.plats}, Skipped([]byte(tc.spec)))
}

func TestRules(t *testing.T) {
	for _, tc := range lintCases {
		t.Run(tc.name, func(t *testing.T) {
			found := runCase(t, tc)
			var got []string
			for _, f := range found {
				got = append(got, f.Rule.ID+"@"+f.Path)
				if f.Path != "" && f.Pos.Line == 0 {
					t.Errorf("%s: path %s has no position", f.Rule.ID, f.Path)
				}
				if line, ok := tc.wantLine[f.Path]; ok && f.Pos.Line != line {
					t.Errorf("%s at line %d, want %d", f, f.Pos.Line, line)
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("findings\n got %q\nwant %q\n%v", got, want, found)
			}
		})
	}
}

// TestEveryRuleFires keeps a rule from silently never matching.
func TestEveryRuleFires(t *testing.T) {
	fired := map[string]bool{}
	for _, tc := range lintCases {
		for _, f := range runCase(t, tc) {
			fired[f.Rule.ID] = true
		}
	}
	for _, r := range Rules {
		if !fired[r.ID] {
			t.Errorf("rule %s fires in no test case", r.ID)
		}
	}
	if len(Rules) < 8 {
		t.Errorf("%d rules, want at least 8", len(Rules))
	}
}

// TestRulesDocumented checks that docs/lint.md has a section per rule, in
// order, and no section for a rule that does not exist.
func TestRulesDocumented(t *testing.T) {
	dt, err := os.ReadFile("../../docs/lint.md")
	if err != nil {
		t.Fatal(err)
	}
	var sections []string
	for _, line := range strings.Split(string(dt), "\n") {
		if id, ok := strings.CutPrefix(line, "## "); ok {
			sections = append(sections, id)
		}
	}
	var ids []string
	for _, r := range Rules {
		ids = append(ids, r.ID)
		if RuleByID(r.ID) != r || r.Description == "" || !strings.HasSuffix(r.URL(), "#"+strings.ToLower(r.ID)) {
			t.Errorf("rule %s: bad id, description or URL", r.ID)
		}
	}
	if !slices.Equal(sections, ids) {
		t.Errorf("docs/lint.md sections %q, want one per rule in order %q", sections, ids)
	}
}

func TestFindingsInFileOrder(t *testing.T) {
	found := runCase(t, lintCases[len(lintCases)-4]) // secrets in spec
	for i := 1; i < len(found); i++ {
		if found[i].Pos.Line < found[i-1].Pos.Line {
			t.Errorf("findings out of order: %v", found)
		}
	}
}

// TestProxyCredentialsMessages checks what lint says about user info in a go
// or proxy variable, with or without a scheme: the spec's own rule
// (spec.ProxyCredentials), never the credential itself.
func TestProxyCredentialsMessages(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"GOPROXY", "u:tok@proxy.example", "its value holds credentials (u:xxxxx@proxy.example)"},
		{"GOPROXY", "proxy.example,u:tok@proxy2.example", "its value holds credentials (u:xxxxx@proxy2.example)"},
		{"GOPROXY", "https://tok@proxy.example", "its value holds credentials (https://xxxxx@proxy.example)"},
		{"GOSUMDB", "sum.golang.org u:tok@sum.example", "its value holds credentials (u:xxxxx@sum.example)"},
		{"https_proxy", "u:tok@proxy.corp:3128", "its value holds credentials (u:xxxxx@proxy.corp:3128)"},
		{"GOPROXY", "https://proxy.golang.org,direct", ""},
		{"NO_PROXY", "localhost,.corp", ""},
		{"LOG_URL", "u:tok@log.example", ""}, // not a proxy variable, no scheme: not taken for a URL
		{"LOG_URL", "https://u:tok@log.example", "its value has a URL with a password (https://u:xxxxx@log.example)"},
	} {
		if got := secretIn(tc.name, tc.value); got != tc.want {
			t.Errorf("secretIn(%s, %q) = %q, want %q", tc.name, tc.value, got, tc.want)
		}
	}
	found := Check(Input{Spec: mustParse(t, "main: .\n"), GoMod: []byte(gomodPlain), HasGoSum: true,
		BuildArgs: map[string]string{"GOPROXY": "u:tok@proxy.example"}}, nil)
	want := "build arg GOPROXY: its value holds credentials (u:xxxxx@proxy.example); build args are recorded in the provenance attestation and the build history: use --secret id=goproxy instead"
	if len(found) != 1 || found[0].Message != want {
		t.Errorf("findings %v, want one: %s", found, want)
	}
}

func mustParse(t *testing.T, src string) *spec.Spec {
	t.Helper()
	s, err := spec.Parse("goscratch.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
