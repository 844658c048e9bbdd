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
}

func (c cellSpec) String() string {
	return fmt.Sprintf("%s %s %dp", c.subject, c.scenario, c.platforms)
}

// defaultMatrix covers every target of issues #8 and #10 in about an hour
// on a 2-core machine; "full" is every subject x scenario x platform count.
// The order puts the headline cells first, so an interrupted run (Ctrl-C
// writes what was measured) still has them.
func defaultMatrix() []cellSpec {
	return []cellSpec{
		{"hello", scNoop, 1}, {"hello", scNoop, 2}, {"hello", scNoop, 4},
		{"hello", scChange, 1}, {"hello", scChange, 2}, {"hello", scChange, 4},
		{"hello", scGoSum, 2},
		{"frontend", scNoop, 2},
		{"frontend", scChange, 2},
		{"hello", scEphemeral, 2},
		{"hello", scCold, 2},
	}
}

func fullMatrix() []cellSpec {
	var out []cellSpec
	for _, s := range subjects {
		for _, sc := range allScenarios {
			for _, n := range []int{1, 2, 4} {
				out = append(out, cellSpec{s.Name, sc, n})
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

// cellTools: the tools that take part in a scenario (ephemeral is about
// BuildKit state, so only the BuildKit tools).
func cellTools(scenario string, tools []string) []string {
	if scenario != scEphemeral {
		return tools
	}
	var out []string
	for _, t := range tools {
		if buildkitTool(t) {
			out = append(out, t)
		}
	}
	return out
}

// estimateSeconds is a rough guess for one build on a 2-core machine
// (measured once here, loosely); only for the estimate printed at start.
func estimateSeconds(c cellSpec, tool string) float64 {
	big := c.subject != "hello"
	var s float64
	switch c.scenario {
	case scCold:
		s = map[bool]float64{false: 50, true: 300}[big]
	case scNoop:
		s = 3
	case scChange:
		s = map[bool]float64{false: 6, true: 40}[big]
	case scGoSum:
		s = map[bool]float64{false: 10, true: 60}[big]
	case scEphemeral:
		s = map[bool]float64{false: 60, true: 300}[big]
	}
	if !buildkitTool(tool) {
		s /= 2
	}
	return s * (0.6 + 0.4*float64(c.platforms)/2)
}

func estimate(cells []cellSpec, tools []string, runs, warmup int) time.Duration {
	var total float64
	for _, c := range cells {
		n := runs + warmup
		if c.scenario == scCold {
			n = runs // a cold build needs no warm-up
		}
		for _, t := range cellTools(c.scenario, tools) {
			total += float64(n) * estimateSeconds(c, t)
		}
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
