package main

import (
	"fmt"
	"math"
	"strings"
)

// phaseTitles are the breakdown's column headings.
var phaseTitles = map[string]string{
	phBuilder: "builder image", phCacheImport: "cache import", phDownload: "module download",
	phDeps: "imports, pruned modules", phPrecompile: "dependency compile", phBuild: "go build",
	phExport: "image export", phCacheExport: "cache export", phOther: "other",
}

// subjectLines: what each subject is, with its measured module count.
func subjectLines(r *Results) string {
	if len(r.Subjects) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| subject | modules (`go list -m all` − 1) | modules compiled from (`go list -deps`, own included) | main packages |\n|---|---|---|---|\n")
	for _, s := range r.Subjects {
		listed, compiled := "?", "?"
		if s.Modules >= 0 {
			listed = fmt.Sprint(s.Modules)
		}
		if s.Compiled > 0 {
			compiled = fmt.Sprint(s.Compiled)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", s.Name, listed, compiled, strings.Join(s.Binaries, " "))
	}
	b.WriteString("\n")
	return b.String()
}

// breakdownScenario: the scenarios whose builds are broken down by phase:
// those of the scaling plot, whose targets need a floor when missed.
func breakdownScenario(sc string) bool { return sc == scCold || sc == scEphemeral || sc == scChange }

// breakdownLines: per cold, warm-change and fresh-runner cell and BuildKit tool, the
// median seconds of each phase over the counted runs.
func breakdownLines(r *Results) string {
	var b strings.Builder
	for _, c := range r.Cells {
		if !breakdownScenario(c.Scenario) {
			continue
		}
		for _, tool := range c.Tools {
			var runs []map[string]float64
			var wall []float64
			for _, run := range c.Runs {
				if run.Tool == tool && run.Err == "" && run.Phases != nil {
					runs = append(runs, run.Phases)
					wall = append(wall, run.Seconds)
				}
			}
			if len(runs) == 0 {
				continue
			}
			if b.Len() == 0 {
				b.WriteString(breakdownHeader("### Where the time goes: cold, warm one-line change and fresh-runner builds",
					"Median seconds per phase over the counted runs, from BuildKit's progress stream (`buildctl --progress rawjson`): how long at least one step of the phase was running, so the platforms' parallel steps count once; phases can overlap. *wall* is the client command."))
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s |%s\n", c.Subject, c.Scenario, len(c.Platforms), tool,
				secs(summarize(wall).Median), phaseCells(runs))
		}
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	return b.String()
}

func breakdownHeader(title, text string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\n\n%s\n\n| subject | scenario | platforms | tool | wall s |", title, text)
	for _, p := range phaseOrder {
		fmt.Fprintf(&b, " %s |", phaseTitles[p])
	}
	b.WriteString("\n|---|---|---|---|---|" + strings.Repeat("---|", len(phaseOrder)) + "\n")
	return b.String()
}

// phaseCells: the median of every phase over runs ("–" where no run has it).
func phaseCells(runs []map[string]float64) string {
	var b strings.Builder
	for _, p := range phaseOrder {
		var xs []float64
		for _, ph := range runs {
			if v, ok := ph[p]; ok {
				xs = append(xs, v)
			}
		}
		fmt.Fprintf(&b, " %s |", secs(summarize(xs).Median))
	}
	return b.String()
}

// cacheExportLines: the fresh-runner scenario's first job per subject and
// tool: its time by phase and the cache it exported.
func cacheExportLines(r *Results) string {
	var b, sizes strings.Builder
	for _, c := range r.Cells {
		for _, e := range c.Exports {
			if e.Err != "" {
				continue
			}
			if b.Len() == 0 {
				b.WriteString(breakdownHeader("### The cache-exporting job (fresh runners' first build)",
					"The `ephemeral` scenario's warm-up: a fresh daemon builds and runs `--export-cache type=local,mode=max` (one build, seconds per phase as above)."))
			}
			fmt.Fprintf(&b, "| %s | export | %d | %s | %s |%s\n", c.Subject, len(c.Platforms), e.Tool, secs(e.Seconds), phaseCells([]map[string]float64{e.Phases}))
			fmt.Fprintf(&sizes, "| %s | %s | %s | %s | %d | %s |\n", c.Subject, e.Tool, mb(e.Cache.Bytes), mb(e.Cache.Meta), len(e.Cache.Layers), layerList(e.Cache.Layers, 6))
		}
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteString("\nThe exported caches (compressed, as the cache store holds them; MB = 10⁶ bytes):\n\n")
	b.WriteString("| subject | tool | cache MB | of which manifest + cache config MB | layers | largest layers MB |\n|---|---|---|---|---|---|\n")
	b.WriteString(sizes.String())
	b.WriteString("\n")
	return b.String()
}

func mb(n int64) string {
	v := float64(n) / 1e6
	if v < 10 {
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.0f", math.Round(v))
}

// layerList: the first n sizes (largest first), then how many more.
func layerList(layers []int64, n int) string {
	var parts []string
	for i, l := range layers {
		if i == n {
			parts = append(parts, fmt.Sprintf("+%d more", len(layers)-n))
			break
		}
		parts = append(parts, mb(l))
	}
	return strings.Join(parts, ", ")
}
