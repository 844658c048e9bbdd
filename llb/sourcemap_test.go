package llb

import (
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
)

// TestEveryStepHasASpecLine: with a source map, every op that comes from the
// spec points at the line that asked for it, so BuildKit shows that line
// when the step fails.
func TestEveryStepHasASpecLine(t *testing.T) {
	src := `# syntax=x
module: .
main: ./cmd/server
user: "1000"
certs: true
zoneinfo: copy
files:
  - {src: a.conf, dst: /etc/a.conf}
  - {src: b.conf, dst: /etc/b.conf}
targets:
  two:
    binaries: [./cmd/api, ./cmd/worker]
    files: [{src: c.conf, dst: /etc/c.conf}]
`
	s, err := spec.Parse("goscratch.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		target string
		want   map[string]int // vertex name -> spec line
	}{
		{"", map[string]int{
			"copy go.mod go.sum":                         2,
			"go mod download":                            3,
			"[linux/arm64] go build ./cmd/server":        3,
			"[linux/arm64] /usr/local/bin/server":        3,
			"/etc/passwd /etc/group /tmp":                4,
			"copy " + certsPath + " from the builder":    5,
			"copy " + zoneinfoPath + " from the builder": 6,
			"copy a.conf to /etc/a.conf":                 8,
			"copy b.conf to /etc/b.conf":                 9,
			"[linux/arm64] assemble image":               3,
		}},
		{"two", map[string]int{
			"go mod download": 11,
			"[linux/arm64] go build ./cmd/api ./cmd/worker": 12, // one go build for both
			"/etc/passwd /etc/group /tmp":                   4,
			"copy c.conf to /etc/c.conf":                    13,
			"[linux/arm64] assemble image":                  11,
		}},
	} {
		r, err := s.Resolve(tc.target, "example.com/app")
		if err != nil {
			t.Fatal(err)
		}
		opt := options(arm64)
		opt.SourceMap = llb.NewSourceMap(nil, "goscratch.yaml", "yaml", []byte(src))
		_, g := convert(t, r, opt)
		lines := map[string]int{}
		for dgst, op := range g.ops {
			name := g.meta[dgst].Description["llb.customname"]
			if op.GetSource() != nil || name == "" {
				continue // the context and the builder image come from the request
			}
			if strings.Contains(name, "gotool") {
				continue // goscratch's own helper, the same for every spec
			}
			locs := g.def.Source.Locations[dgst.String()]
			if locs == nil || len(locs.Locations) == 0 {
				t.Errorf("%s: step %q has no spec location", tc.target, name)
				continue
			}
			lines[name] = int(locs.Locations[0].Ranges[0].Start.Line)
		}
		for name, line := range tc.want {
			if lines[name] != line {
				t.Errorf("target %q: step %q at line %d, want %d", tc.target, name, lines[name], line)
			}
		}
	}
}
