package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRenderResults(t *testing.T) {
	out := renderResults(sampleResults(), "benchmarks.png")
	for _, want := range []string{
		"| change | 2 | goscratch | 2.00 | 2.00–2.00 | 1.00× (1.00×–1.00×) | 0 | 1 |",
		"| change | 2 | dockerfile | 4.00 | 4.00–4.00 | 2.00× (2.00×–2.00×) | 0 | 1 |",
		"**PASS** hello change 2 platform(s): goscratch 0.50× the Dockerfile (target ≤ 0.80×)",
		"**MISS** hello change 2 platform(s): goscratch 2.00× the host `go build` floor",
		"**MISS** hello noop 1 platform(s): goscratch median 1.50 s (target ≤ 0.3 s)",
		"**MISS** hello ephemeral 2 platform(s): goscratch 0.50× the Dockerfile (target ≤ 0.35×)",
		"**MISS** hello ephemeral 2 platform(s): goscratch module-proxy requests per rebuild 3–3 (target 0)",
		"**MISS** hello image: 10000 bytes over its compressed parts (target ≤ 8192)",
		"**PASS** frontend image 15.0 MB",
		"| hello | change | 2 | 300 (300–300) | 40.0 (40.0) |",
		"Machine: Test CPU, 2 cores, 23.4 GiB RAM",
		"| big | 329 | ? | ./cmd/server |",
		"| big2bin | 329 | ? | ./cmd/server ./cmd/svcctl |",
		"| hello | ephemeral | 2 | goscratch | 10.0 | 1.50 | 0.25 | – | – | – | 4.00 | 2.00 | – | – |",
		"| hello | ephemeral | 2 | dockerfile | 20.0 | – | – | 5.00 | – | – | 12.0 | – | – | – |",
		"| hello | export | 2 | goscratch | 50.0 | – | – | – | – | 30.0 | – | – | 6.00 | – |",
		"| hello | goscratch | 250 | 0.02 | 3 | 150, 90, 9.98 |",
		"![median build time against the subject's module count: cold, warm one-line change, fresh-runner one-line change](benchmarks-scaling.png)",
	} {
		wantIn(t, "rendered results", out, want)
	}
}

func TestSpliceDoc(t *testing.T) {
	for _, tc := range []struct{ name, doc, want string }{
		{"no markers: appended", "# B\n", "# B\n\n" + markBegin + "\nGEN\n" + markEnd + "\n"},
		{"empty doc", "", "\n" + markBegin + "\nGEN\n" + markEnd + "\n"},
		{"replaced, rest kept", "# B\n" + markBegin + "\nold\n" + markEnd + "\ntail\n", "# B\n" + markBegin + "\nGEN\n" + markEnd + "\ntail\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := spliceDoc(tc.doc, "GEN\n"); got != tc.want {
				t.Errorf("spliceDoc:\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestPlotResults(t *testing.T) {
	path := t.TempDir() + "/b.png"
	if err := plotResults(sampleResults(), path); err != nil {
		t.Fatal(err)
	}
}

func TestScaling(t *testing.T) {
	r := sampleResults()
	s := scalingSeries(r)
	// hello (1 module) and big (329) in the ephemeral panel; big2bin (two
	// binaries) and the 1-platform noop are not points
	if got := s[scEphemeral][toolDockerfile]; len(got) != 2 || got[0] != (scalingPoint{1, 20}) || got[1] != (scalingPoint{329, 400}) {
		t.Errorf("ephemeral dockerfile points = %v", got)
	}
	if len(s[scCold]) != 0 {
		t.Errorf("cold points without cold cells: %v", s[scCold])
	}
	path := filepath.Join(t.TempDir(), "b-scaling.png")
	must(t, plotScaling(r, path))
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		t.Errorf("scaling plot not written: %v", err)
	}
	if scalingName("docs/benchmarks.png") != "docs/benchmarks-scaling.png" {
		t.Errorf("scalingName = %s", scalingName("docs/benchmarks.png"))
	}
}

// TestScalingAxis: the x axis counts the modules compiled from when every
// single-binary subject has that count, else `go list -m all`'s (older
// results); a subject of several binaries does not decide.
func TestScalingAxis(t *testing.T) {
	r := sampleResults()
	if _, axis := scalingAxis(r); axis != axisListed {
		t.Errorf("without compiled counts the axis is %q", axis)
	}
	r.Subjects[0].Compiled, r.Subjects[1].Compiled = 2, 174
	got, axis := scalingAxis(r)
	if axis != axisCompiled || !reflect.DeepEqual(got, map[string]int{"hello": 2, "big": 174}) {
		t.Errorf("scalingAxis = %v, %q", got, axis)
	}
	if p := scalingSeries(r)[scEphemeral][toolDockerfile]; len(p) != 2 || p[1] != (scalingPoint{174, 400}) {
		t.Errorf("ephemeral dockerfile points on the compiled axis = %v", p)
	}
	r.Subjects[1].Compiled = -1 // not counted: the whole axis falls back
	if got, axis := scalingAxis(r); axis != axisListed || got["big"] != 329 {
		t.Errorf("with one count missing: %v, %q", got, axis)
	}
	if md := subjectLines(r); !strings.Contains(md, "| hello | 1 | 2 | . |") || !strings.Contains(md, "| big | 329 | ? | ./cmd/server |") {
		t.Errorf("subject table:\n%s", md)
	}
}

// TestIssue17Targets: the targets of subjects of 300+ modules, of several
// binaries and of the fresh runner against the warm builder.
func TestIssue17Targets(t *testing.T) {
	r := sampleResults()
	two := []string{"linux/amd64", "linux/arm64"}
	pair := func(g, d float64, other string) []Run {
		return []Run{{Round: 0, Tool: "goscratch", Seconds: g}, {Round: 0, Tool: other, Seconds: d}}
	}
	r.Cells = append(r.Cells,
		Cell{Subject: "big", Scenario: "change", Platforms: two, Tools: []string{"goscratch", "dockerfile"}, Runs: pair(10, 10, "dockerfile")},
		Cell{Subject: "big2bin", Scenario: "change", Platforms: two, Tools: []string{"goscratch", "dockerfile"}, Runs: pair(12, 10, "dockerfile")},
		Cell{Subject: "big", Scenario: "cold", Platforms: two, Tools: []string{"goscratch", "dockerfile"}, Runs: pair(900, 1000, "dockerfile")},
		Cell{Subject: "big", Scenario: "noop", Platforms: two, Tools: []string{"goscratch"}, Runs: []Run{{Tool: "goscratch", Seconds: 0.25}}},
	)
	r.Cells[3].Runs = append(r.Cells[3].Runs, Run{Round: 0, Tool: "dockerfile-layer", Seconds: 200})
	r.Cells[3].Tools = append(r.Cells[3].Tools, "dockerfile-layer")
	out := strings.Join(targetLines(r), "\n")
	for _, want := range []string{
		"**PASS** big change 2 platform(s): goscratch 1.00× the Dockerfile (target ≤ 1.00×)",
		"**MISS** big2bin change 2 platform(s): goscratch 1.20× the Dockerfile that builds the 2 binaries in one go build (target ≤ 1.00×)",
		"**PASS** big cold 2 platform(s): goscratch 0.90× the Dockerfile (target ≤ 0.95×)",
		"**PASS** big noop 2 platform(s): goscratch median 0.25 s (target ≤ 0.3 s)",
		"**PASS** big ephemeral 2 platform(s): goscratch 0.10× the Dockerfile (target ≤ 0.35×)",
		"**PASS** big ephemeral 2 platform(s): goscratch 0.20× the layer Dockerfile (target ≤ 0.30×)",
		"**MISS** big ephemeral 2 platform(s): goscratch 40.00 s = 4.0× its warm-builder one-line change 10.00 s (medians; target ≤ 3×)",
	} {
		wantIn(t, "targets", out, want)
	}
	// hello (1 module) is held to neither the 300+ nor the fresh/warm target
	if strings.Contains(out, "hello ephemeral 2 platform(s): goscratch 10.00 s") {
		t.Errorf("hello got the fresh/warm target:\n%s", out)
	}
}

// TestAgainst: a ratio prints with enough decimals to be on its verdict's
// side of the limit.
func TestAgainst(t *testing.T) {
	for _, tc := range []struct {
		got, limit float64
		prec       int
		want       string
	}{
		{0.985, 1, 2, "0.98"}, // 0.985 is stored just below itself: prints below 1.00
		{1.004, 1, 2, "1.004"},
		{0.9996, 1, 2, "0.9996"},
		{1, 1, 2, "1.00"},
		{3.04, 3, 1, "3.04"},
		{2.5, 3, 1, "2.5"},
		{0.3001, 0.3, 2, "0.3001"},
	} {
		if got := against(tc.got, tc.limit, tc.prec); got != tc.want {
			t.Errorf("against(%v, %v, %d) = %q, want %q", tc.got, tc.limit, tc.prec, got, tc.want)
		}
	}
}
