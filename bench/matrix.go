package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Scenarios, in the order they run.
const (
	scCold      = "cold"      // BuildKit cache pruned (host tools: caches emptied); builder image in the registry
	scNoop      = "noop"      // nothing changed since the last build
	scChange    = "change"    // one string literal edited in the main package
	scGoSum     = "gosum"     // a requirement bumped or reverted: go.mod and go.sum change
	scEphemeral = "ephemeral" // fresh daemon root, --import-cache from a local cache, one-line change
)

var allScenarios = []string{scCold, scNoop, scChange, scGoSum, scEphemeral}

// platformSets: 1, 2 and 4 target platforms.
var platformSets = map[int][]string{
	1: {"linux/amd64"},
	2: {"linux/amd64", "linux/arm64"},
	4: {"linux/amd64", "linux/arm64", "linux/arm/v7", "linux/riscv64"},
}

// cellSpec is one planned cell.
type cellSpec struct {
	subject, scenario string
	platforms         int
	// maxRuns caps the counted runs of an expensive cell (0: -runs).
	maxRuns int
	// buildkitOnly leaves out the host tools (ko, hostgo): cells that
	// compare the BuildKit builds only, for their cost.
	buildkitOnly bool
	// only, if set, are the tools that take part (of those asked for):
	// the 300+ module subject's 20-minute builds run only where a target
	// needs them.
	only []string
}

// runs is the number of counted runs of the cell when -runs asks for n.
func (c cellSpec) runs(n int) int {
	if c.maxRuns > 0 {
		return min(n, c.maxRuns)
	}
	return n
}

func (c cellSpec) String() string {
	return fmt.Sprintf("%s %s %dp", c.subject, c.scenario, c.platforms)
}

// defaultMatrix covers every target of issues #8, #10 and #17: per subject
// (hello, frontend, big: 2, 54 and 174 modules compiled from) noop, change, ephemeral and cold at 2
// platforms, the two-binary variant's change, hello's platform scaling and
// go.sum change; "full" is every subject x scenario x platform count. A
// cold build of the big subject takes about 20 minutes on 2 cores, so its
// cells run only the tools a target compares (the fresh-runner cell
// goscratch and the layer Dockerfile, the cold cell goscratch and the
// Dockerfile), its fresh-runner cell is capped at 3 counted runs and its
// cold cell at 2, the frontend's cold cell at 3, and the frontend's cold
// cell compares the BuildKit tools only. That is still hours (`go run .
// plan`), more than one sitting on a 2-core machine: run it in parts with
// -merge (docs/benchmarks.md). The order puts the cheap headline cells
// first, so an interrupted run (Ctrl-C writes what was measured) still has
// them.
func defaultMatrix() []cellSpec {
	return []cellSpec{
		{subject: "hello", scenario: scNoop, platforms: 1}, {subject: "hello", scenario: scNoop, platforms: 2}, {subject: "hello", scenario: scNoop, platforms: 4},
		{subject: "hello", scenario: scChange, platforms: 1}, {subject: "hello", scenario: scChange, platforms: 2}, {subject: "hello", scenario: scChange, platforms: 4},
		{subject: "hello", scenario: scGoSum, platforms: 2},
		{subject: "frontend", scenario: scNoop, platforms: 2},
		{subject: "frontend", scenario: scChange, platforms: 2},
		{subject: "big", scenario: scNoop, platforms: 2, only: []string{toolGoscratch, toolDockerfile}},
		{subject: "big", scenario: scChange, platforms: 2, only: []string{toolGoscratch, toolDockerfile, toolDockerfileLayer}},
		{subject: "big2bin", scenario: scChange, platforms: 2, only: []string{toolGoscratch, toolDockerfile}},
		{subject: "hello", scenario: scEphemeral, platforms: 2},
		{subject: "frontend", scenario: scEphemeral, platforms: 2},
		{subject: "big", scenario: scEphemeral, platforms: 2, maxRuns: 3, only: []string{toolGoscratch, toolDockerfileLayer}},
		{subject: "hello", scenario: scCold, platforms: 2},
		{subject: "frontend", scenario: scCold, platforms: 2, maxRuns: 3, buildkitOnly: true},
		{subject: "big", scenario: scCold, platforms: 2, maxRuns: 2, only: []string{toolGoscratch, toolDockerfile}},
	}
}

func fullMatrix() []cellSpec {
	var out []cellSpec
	for _, s := range subjects {
		for _, sc := range allScenarios {
			for _, n := range []int{1, 2, 4} {
				out = append(out, cellSpec{subject: s.Name, scenario: sc, platforms: n})
			}
		}
	}
	return out
}

// selectCells applies the -subjects/-scenarios/-platforms filters (empty:
// no filter) to the named matrix.
func selectCells(matrix string, subjectsF, scenariosF, platformsF string) ([]cellSpec, error) {
	var cells []cellSpec
	switch matrix {
	case "default":
		cells = defaultMatrix()
	case "full":
		cells = fullMatrix()
	default:
		return nil, fmt.Errorf("-matrix %q: want default or full", matrix)
	}
	subs, scs := splitList(subjectsF), splitList(scenariosF)
	var plats []int
	for _, p := range splitList(platformsF) {
		n, err := strconv.Atoi(p)
		if err != nil || platformSets[n] == nil {
			return nil, fmt.Errorf("-platforms %q: want a list of 1, 2, 4", platformsF)
		}
		plats = append(plats, n)
	}
	for _, s := range subs {
		if _, ok := subjectByName(s); !ok {
			return nil, fmt.Errorf("-subjects: unknown subject %q", s)
		}
	}
	for _, s := range scs {
		if !slices.Contains(allScenarios, s) {
			return nil, fmt.Errorf("-scenarios: unknown scenario %q (have %s)", s, strings.Join(allScenarios, ", "))
		}
	}
	var out []cellSpec
	for _, c := range cells {
		if (len(subs) == 0 || slices.Contains(subs, c.subject)) &&
			(len(scs) == 0 || slices.Contains(scs, c.scenario)) &&
			(len(plats) == 0 || slices.Contains(plats, c.platforms)) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the filters select no cell of the %s matrix", matrix)
	}
	return out, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// cellTools: the tools that take part in a cell (ephemeral is about
// BuildKit state, so only the BuildKit tools; ko builds one binary per
// image, so not a several-binary subject).
func cellTools(c cellSpec, tools []string) []string {
	s, _ := subjectByName(c.subject)
	var out []string
	for _, t := range tools {
		switch {
		case c.only != nil && !slices.Contains(c.only, t):
		case (c.scenario == scEphemeral || c.buildkitOnly) && !buildkitTool(t):
		case t == toolKo && s.multiBinary():
		default:
			out = append(out, t)
		}
	}
	return out
}

// buildSeconds is a rough guess of one BuildKit build at 2 platforms on a
// 2-core machine, per subject and scenario (the medians of earlier runs,
// rounded up; big's from one smoke run on a machine busy with other builds;
// ephemeral is the mean of goscratch and the Dockerfiles, plus the daemon's
// restart). Only for the estimate printed at start.
var buildSeconds = map[string]map[string]float64{
	"hello":    {scCold: 60, scNoop: 3, scChange: 6, scGoSum: 10, scEphemeral: 45},
	"frontend": {scCold: 300, scNoop: 3, scChange: 10, scGoSum: 60, scEphemeral: 110},
	"big":      {scCold: 1200, scNoop: 4, scChange: 25, scGoSum: 150, scEphemeral: 700},
	"big2bin":  {scCold: 1200, scNoop: 4, scChange: 30, scGoSum: 150, scEphemeral: 700},
}

// estimateSeconds is a rough guess for one build on a 2-core machine; only
// for the estimate printed at start.
func estimateSeconds(c cellSpec, tool string) float64 {
	s := buildSeconds[c.subject][c.scenario]
	if !buildkitTool(tool) {
		s /= 2
	}
	return s * (0.6 + 0.4*float64(c.platforms)/2)
}

func estimate(cells []cellSpec, tools []string, runs, warmup int) time.Duration {
	var total float64
	primed := map[string]bool{} // module directories an earlier cell built
	for _, c := range cells {
		s, _ := subjectByName(c.subject)
		for _, t := range cellTools(c, tools) {
			switch c.scenario {
			case scCold: // no warm-up
				total += float64(c.runs(runs)) * estimateSeconds(c, t)
			case scEphemeral: // the warm-up is a cold build and the export
				total += estimateSeconds(cellSpec{subject: c.subject, scenario: scCold, platforms: c.platforms}, t)
				total += float64(c.runs(runs)+max(warmup, 1)-1) * estimateSeconds(c, t)
			default: // the first warm-up of a module compiles it all
				first := c
				if !primed[s.Dir] {
					first.scenario = scCold
				}
				total += estimateSeconds(first, t) + float64(c.runs(runs)+max(warmup, 1)-1)*estimateSeconds(c, t)
			}
		}
		primed[s.Dir] = true // every scenario's last build leaves the caches filled
	}
	return time.Duration(total) * time.Second
}

// buildTimeout is one build's timeout in a scenario unless -timeout is set.
func buildTimeout(scenario string, override time.Duration) time.Duration {
	if override > 0 {
		return override
	}
	switch scenario {
	case scCold, scEphemeral:
		return 40 * time.Minute
	case scGoSum:
		return 20 * time.Minute
	}
	return 15 * time.Minute
}
