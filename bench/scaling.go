package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The scaling plot: build time against the subject's module count, one
// panel per scenario, one line per tool, at scalingPlatforms platforms.
var (
	scalingScenarios = []string{scCold, scChange, scEphemeral}
	scalingTools     = []string{toolGoscratch, toolDockerfile, toolDockerfileLayer}
	scalingTitles    = map[string]string{scCold: "cold", scChange: "warm one-line change", scEphemeral: "fresh runner, one-line change"}
)

const scalingPlatforms = 2

// scalingName is the scaling plot's file next to the main plot png.
func scalingName(png string) string {
	return strings.TrimSuffix(png, filepath.Ext(png)) + "-scaling" + filepath.Ext(png)
}

// scalingPoint is one tool's median in one scenario for one subject.
type scalingPoint struct{ modules, seconds float64 }

// Scaling axes: what the module count on the x axis counts.
const (
	axisCompiled = "modules the build compiles packages from"
	axisListed   = "modules (`go list -m all` − 1)"
)

// scalingAxis is the x value of each single-binary subject whose count was
// measured, and what it counts: the modules the build compiles packages
// from when every such subject has that count (what the build's work grows
// with), else `go list -m all`'s count (results made before the first was
// recorded).
func scalingAxis(r *Results) (map[string]int, string) {
	compiled, listed := map[string]int{}, map[string]int{}
	all := true
	for _, s := range r.Subjects {
		if len(s.Binaries) != 1 {
			continue
		}
		if s.Modules >= 0 {
			listed[s.Name] = s.Modules
		}
		if s.Compiled > 0 {
			compiled[s.Name] = s.Compiled
		} else {
			all = false
		}
	}
	if all && len(compiled) > 0 {
		return compiled, axisCompiled
	}
	return listed, axisListed
}

// scalingSeries: scenario -> tool -> points sorted by module count, from the
// single-binary subjects whose module count was measured.
func scalingSeries(r *Results) map[string]map[string][]scalingPoint {
	modules, _ := scalingAxis(r)
	out := map[string]map[string][]scalingPoint{}
	for _, c := range r.Cells {
		n, ok := modules[c.Subject]
		if !ok || len(c.Platforms) != scalingPlatforms || !slices.Contains(scalingScenarios, c.Scenario) {
			continue
		}
		for _, t := range summarizeCell(c, base) {
			if !slices.Contains(scalingTools, t.Tool) || t.Time.N == 0 {
				continue
			}
			if out[c.Scenario] == nil {
				out[c.Scenario] = map[string][]scalingPoint{}
			}
			// a module count of 0 would be off the log axis
			out[c.Scenario][t.Tool] = append(out[c.Scenario][t.Tool], scalingPoint{math.Max(1, float64(n)), t.Time.Median})
		}
	}
	for _, byTool := range out {
		for _, pts := range byTool {
			slices.SortFunc(pts, func(a, b scalingPoint) int { return int(a.modules - b.modules) })
		}
	}
	return out
}

// hasScaling: some scenario has a line with two or more subjects.
func hasScaling(r *Results) bool {
	for _, byTool := range scalingSeries(r) {
		for _, pts := range byTool {
			if len(pts) >= 2 {
				return true
			}
		}
	}
	return false
}

// plotScaling draws the scaling plot (log-log: 1 to 300+ modules, seconds to
// many minutes) as one PNG of side-by-side panels; without data it writes
// nothing.
func plotScaling(r *Results, path string) error {
	if !hasScaling(r) {
		return nil
	}
	series := scalingSeries(r)
	_, axis := scalingAxis(r)
	var row []*plot.Plot
	maxModules := 1.0
	for _, byTool := range series {
		for _, pts := range byTool {
			maxModules = math.Max(maxModules, pts[len(pts)-1].modules)
		}
	}
	for _, sc := range scalingScenarios {
		if len(series[sc]) == 0 {
			continue // a panel without data has no log range
		}
		p := plot.New()
		p.Title.Text = scalingTitles[sc]
		p.X.Label.Text = strings.ReplaceAll(axis, "`", "") + " (log scale)"
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
		p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, plot.LogTicks{Prec: -1}
		if len(row) == 0 {
			p.Y.Label.Text = fmt.Sprintf("median seconds, %d platforms (log scale)", scalingPlatforms)
		}
		p.Legend.Top, p.Legend.Left = true, true
		// the same module axis in every panel; whole decades of seconds
		// around the data, with room above it for the legend
		p.X.Min, p.X.Max = 0.7, maxModules*1.5
		lo, hi := math.Inf(1), 0.0
		for _, pts := range series[sc] {
			for _, pt := range pts {
				lo, hi = math.Min(lo, pt.seconds), math.Max(hi, pt.seconds)
			}
		}
		p.Y.Min, p.Y.Max = math.Pow(10, math.Floor(math.Log10(lo*0.7))), math.Pow(10, math.Ceil(math.Log10(hi*4)))
		for _, tool := range scalingTools {
			pts := series[sc][tool]
			if len(pts) == 0 {
				continue
			}
			xys := make(plotter.XYs, len(pts))
			for j, pt := range pts {
				xys[j] = plotter.XY{X: pt.modules, Y: pt.seconds}
			}
			l, s, err := plotter.NewLinePoints(xys)
			if err != nil {
				return err
			}
			l.Color, s.Color = toolColors[tool], toolColors[tool]
			p.Add(l, s)
			p.Legend.Add(tool, l, s)
		}
		row = append(row, p)
	}
	img := vgimg.New(vg.Length(4*len(row))*vg.Inch, 4*vg.Inch)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(row), PadX: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 4}
	for i, p := range row {
		p.Draw(tiles.At(dc, i, 0))
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
