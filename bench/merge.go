package main

import (
	"fmt"
	"slices"
	"strings"
)

// Part is one bench invocation whose cells a merged results file holds.
type Part struct {
	Started   string   `json:"started"`
	Finished  string   `json:"finished"`
	Command   string   `json:"command"`
	LoadStart string   `json:"load_start"`
	LoadEnd   string   `json:"load_end"`
	Gunzip    string   `json:"gunzip,omitempty"` // Machine.Gunzip of the part
	Cells     []string `json:"cells"`            // "subject scenario Np"
}

// partOf describes r's own run, for a merged file.
func partOf(r *Results) Part {
	p := Part{
		Started: r.Started.UTC().Format("2006-01-02 15:04 UTC"), Finished: r.Finished.UTC().Format("2006-01-02 15:04 UTC"),
		Command: r.Config.Command, LoadStart: r.Machine.LoadStart, LoadEnd: r.Machine.LoadEnd, Gunzip: r.Machine.Gunzip,
	}
	for _, c := range r.Cells {
		p.Cells = append(p.Cells, cellKey(c))
	}
	return p
}

func cellKey(c Cell) string {
	return fmt.Sprintf("%s %s %dp", c.Subject, c.Scenario, len(c.Platforms))
}

// merge adds the cells of a new run to an earlier results file of the same
// frontend, machine and matrix: a default matrix too long for one sitting
// (the 300+ module subject's cold builds take 20 minutes each on 2 cores)
// is run in parts, each part's cells replacing the same cells of the file.
// The merged file keeps every part's time, command and load (Parts).
func merge(old, cur *Results) (*Results, error) {
	switch {
	case old.Frontend.Ref != cur.Frontend.Ref:
		return nil, fmt.Errorf("-merge: the results file measured the frontend %s, this run %s: merge only parts measured with one frontend image", old.Frontend.Ref, cur.Frontend.Ref)
	case old.Machine.CPU != cur.Machine.CPU || old.Machine.Cores != cur.Machine.Cores || old.Machine.BuildKit != cur.Machine.BuildKit:
		return nil, fmt.Errorf("-merge: the results file was measured on %s (%d cores, BuildKit %s), this run on %s (%d cores, BuildKit %s)",
			old.Machine.CPU, old.Machine.Cores, old.Machine.BuildKit, cur.Machine.CPU, cur.Machine.Cores, cur.Machine.BuildKit)
	case old.Machine.Gunzip != "" && old.Machine.Gunzip != cur.Machine.Gunzip:
		// parts made before it was recorded merge: their cells are listed with
		// what they ran on, and the docs say which parts need decompression
		return nil, fmt.Errorf("-merge: the results file's daemon decompressed gzip with %s, this run's with %s", old.Machine.Gunzip, cur.Machine.Gunzip)
	case old.Config.CacheCompression != cur.Config.CacheCompression:
		return nil, fmt.Errorf("-merge: the results file's caches were exported with compression %q, this run's with %q", old.Config.CacheCompression, cur.Config.CacheCompression)
	case old.Config.Runs != cur.Config.Runs || old.Config.Warmup != cur.Config.Warmup || old.Config.Matrix != cur.Config.Matrix:
		return nil, fmt.Errorf("-merge: the results file has %d runs, %d warm-up, matrix %q; this run %d, %d, %q",
			old.Config.Runs, old.Config.Warmup, old.Config.Matrix, cur.Config.Runs, cur.Config.Warmup, cur.Config.Matrix)
	}
	m := *cur
	m.Parts = slices.Clone(old.Parts)
	if len(m.Parts) == 0 {
		m.Parts = []Part{partOf(old)}
	}
	m.Parts = append(m.Parts, partOf(cur))
	if old.Started.Before(m.Started) {
		m.Started = old.Started
	}
	if old.Finished.After(m.Finished) {
		m.Finished = old.Finished
	}
	var cmds []string
	for _, p := range m.Parts {
		cmds = append(cmds, p.Command)
	}
	m.Config.Command = strings.Join(cmds, "; ")
	for _, t := range old.Config.Tools {
		if !slices.Contains(m.Config.Tools, t) {
			m.Config.Tools = append(m.Config.Tools, t)
		}
	}
	// cells: the old ones the new run did not measure, in their order, then
	// the new ones; subjects and image sizes likewise
	m.Cells = nil
	measured := map[string]bool{}
	for _, c := range cur.Cells {
		measured[cellKey(c)] = true
	}
	for _, c := range old.Cells {
		if !measured[cellKey(c)] {
			m.Cells = append(m.Cells, c)
		}
	}
	m.Cells = append(m.Cells, cur.Cells...)
	m.Subjects = nil
	for _, s := range old.Subjects {
		if !slices.ContainsFunc(cur.Subjects, func(n SubjectInfo) bool { return n.Name == s.Name }) {
			m.Subjects = append(m.Subjects, s)
		}
	}
	m.Subjects = append(m.Subjects, cur.Subjects...)
	m.Sizes = nil
	for _, s := range old.Sizes {
		if !slices.ContainsFunc(cur.Sizes, func(n ImageSize) bool { return n.Subject == s.Subject && n.Tool == s.Tool }) {
			m.Sizes = append(m.Sizes, s)
		}
	}
	m.Sizes = append(m.Sizes, cur.Sizes...)
	return &m, nil
}
