package main

import (
	"math"
	"slices"
)

// Summary of a sample: its size, median, minimum and maximum (NaN when empty).
type Summary struct {
	N                int
	Median, Min, Max float64
}

func summarize(xs []float64) Summary {
	if len(xs) == 0 {
		return Summary{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return Summary{N: len(s), Median: m, Min: s[0], Max: s[len(s)-1]}
}

// ToolSummary is one tool's figures in a cell.
type ToolSummary struct {
	Tool  string
	Time  Summary // seconds of the successful runs
	Ratio Summary // per-round ratio tool/base, over rounds where both succeeded
	Proxy Summary // proxy requests per run
	Fails int
	// Frontend stats (goscratch): request->LLB ready and peak RSS medians.
	LLBReadyMS Summary
	VmHWMKiB   Summary
	Export     Summary // seconds of the image export step (BuildKit tools)
}

// summarizeCell gives every tool's summary; ratios pair each tool's run with
// base's run of the same round (A B A B: the pair ran back to back).
func summarizeCell(c Cell, base string) []ToolSummary {
	baseByRound := map[int]float64{}
	for _, r := range c.Runs {
		if r.Tool == base && r.Err == "" {
			baseByRound[r.Round] = r.Seconds
		}
	}
	var out []ToolSummary
	for _, tool := range c.Tools {
		var times, ratios, proxy, llb, rss, export []float64
		fails := 0
		for _, r := range c.Runs {
			if r.Tool != tool {
				continue
			}
			if r.Err != "" {
				fails++
				continue
			}
			times = append(times, r.Seconds)
			proxy = append(proxy, float64(r.ProxyRequests))
			if b, ok := baseByRound[r.Round]; ok && b > 0 {
				ratios = append(ratios, r.Seconds/b)
			}
			if r.LLBReadyMS > 0 {
				llb = append(llb, float64(r.LLBReadyMS))
			}
			if r.VmHWMKiB > 0 {
				rss = append(rss, float64(r.VmHWMKiB))
			}
			if r.ExportSeconds > 0 {
				export = append(export, r.ExportSeconds)
			}
		}
		out = append(out, ToolSummary{
			Tool: tool, Time: summarize(times), Ratio: summarize(ratios), Proxy: summarize(proxy),
			Fails: fails, LLBReadyMS: summarize(llb), VmHWMKiB: summarize(rss), Export: summarize(export),
		})
	}
	return out
}

func findTool(ts []ToolSummary, tool string) (ToolSummary, bool) {
	for _, t := range ts {
		if t.Tool == tool {
			return t, true
		}
	}
	return ToolSummary{}, false
}
