package main

import (
	"math"
	"testing"
)

func TestSummarize(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []float64
		want Summary
	}{
		{"one", []float64{3}, Summary{N: 1, Median: 3, Min: 3, Max: 3}},
		{"odd unsorted", []float64{5, 1, 3}, Summary{N: 3, Median: 3, Min: 1, Max: 5}},
		{"even averages the middle two", []float64{4, 1, 2, 10}, Summary{N: 4, Median: 3, Min: 1, Max: 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := summarize(tc.in); got != tc.want {
				t.Errorf("summarize(%v) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
	if got := summarize(nil); got.N != 0 || !math.IsNaN(got.Median) {
		t.Errorf("summarize(nil) = %+v, want N=0 and NaN", got)
	}
}

func TestSummarizeCellPairsByRound(t *testing.T) {
	c := Cell{Tools: []string{"goscratch", "dockerfile"}, Runs: []Run{
		{Round: 0, Tool: "goscratch", Seconds: 2},
		{Round: 0, Tool: "dockerfile", Seconds: 4},
		{Round: 1, Tool: "dockerfile", Seconds: 9}, // ran first in round 1
		{Round: 1, Tool: "goscratch", Seconds: 3},
		{Round: 2, Tool: "goscratch", Err: "boom"},
		{Round: 2, Tool: "dockerfile", Seconds: 100}, // no pair: goscratch failed
		{Round: 3, Tool: "goscratch", Seconds: 1, ProxyRequests: 2},
		{Round: 3, Tool: "dockerfile", Seconds: 1.5, ProxyRequests: 7},
	}}
	ts := summarizeCell(c, "goscratch")
	g, _ := findTool(ts, "goscratch")
	d, _ := findTool(ts, "dockerfile")
	if g.Fails != 1 || g.Time.N != 3 || g.Time.Median != 2 {
		t.Errorf("goscratch = %+v", g)
	}
	if g.Ratio.Median != 1 {
		t.Errorf("goscratch ratio to itself = %v, want 1", g.Ratio.Median)
	}
	// pairs: 4/2=2, 9/3=3, 1.5/1=1.5 -> median 2; round 2 has no pair.
	if d.Ratio.N != 3 || d.Ratio.Median != 2 || d.Ratio.Min != 1.5 || d.Ratio.Max != 3 {
		t.Errorf("dockerfile ratio = %+v, want N=3 median 2 min 1.5 max 3", d.Ratio)
	}
	if d.Time.N != 4 || d.Proxy.Max != 7 {
		t.Errorf("dockerfile = %+v", d)
	}
}
