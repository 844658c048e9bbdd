package main

import (
	"fmt"
	"slices"
	"strings"
)

// Part is one bench invocation whose cells a merged results file holds.
type Part struct {
	Started   string `json:"started"`
	Finished  string `json:"finished"`
	Command   string `json:"command"`
	LoadStart string `json:"load_start"`
	LoadEnd   string `json:"load_end"`
	Gunzip    string `json:"gunzip,omitempty"` // Machine.Gunzip of the part
	// CPU and Frontend are the part's Machine.CPU and frontend image: parts
	// may come from different machines of one kind (a lab machine does not
	// outlive a sitting, the default matrix does) and from one frontend
	// rebuilt; empty in parts merged before they were recorded, which all
	// share the file's.
	CPU      string   `json:"cpu,omitempty"`
	Frontend string   `json:"frontend,omitempty"`
	Cells    []string `json:"cells"` // "subject scenario Np"
}

// partOf describes r's own run, for a merged file.
func partOf(r *Results) Part {
	p := Part{
		Started: r.Started.UTC().Format("2006-01-02 15:04 UTC"), Finished: r.Finished.UTC().Format("2006-01-02 15:04 UTC"),
		Command: r.Config.Command, LoadStart: r.Machine.LoadStart, LoadEnd: r.Machine.LoadEnd, Gunzip: r.Machine.Gunzip,
		CPU: r.Machine.CPU, Frontend: r.Frontend.Ref,
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
// matrix: a default matrix too long for one sitting (the 300+ module
// subject's cold builds take 20 minutes each on 2 cores) is run in parts,
// each part's cells replacing the same cells of the file. The merged file
// keeps every part's time, command, load, CPU and frontend image (Parts),
// and the report says when a comparison spans parts of different ones.
// Parts of a different core count, BuildKit, gzip decompressor or run
// configuration measure something else and are refused.
func merge(old, cur *Results) (*Results, error) {
	switch {
	case old.Machine.Cores != cur.Machine.Cores || old.Machine.BuildKit != cur.Machine.BuildKit:
		return nil, fmt.Errorf("the results file was measured on %d cores with BuildKit %s, this run on %d cores with BuildKit %s",
			old.Machine.Cores, old.Machine.BuildKit, cur.Machine.Cores, cur.Machine.BuildKit)
	case old.Machine.Gunzip != "" && old.Machine.Gunzip != cur.Machine.Gunzip:
		// parts made before it was recorded merge: their cells are listed with
		// what they ran on, and the docs say which parts need decompression
		return nil, fmt.Errorf("the results file's daemon decompressed gzip with %s, this run's with %s", old.Machine.Gunzip, cur.Machine.Gunzip)
	case old.Config.CacheCompression != cur.Config.CacheCompression:
		return nil, fmt.Errorf("the results file's caches were exported with compression %q, this run's with %q", old.Config.CacheCompression, cur.Config.CacheCompression)
	case old.Config.Runs != cur.Config.Runs || old.Config.Warmup != cur.Config.Warmup || old.Config.Matrix != cur.Config.Matrix:
		return nil, fmt.Errorf("the results file has %d runs, %d warm-up, matrix %q; this run %d, %d, %q",
			old.Config.Runs, old.Config.Warmup, old.Config.Matrix, cur.Config.Runs, cur.Config.Warmup, cur.Config.Matrix)
	}
	m := *cur
	m.Parts = slices.Clone(old.Parts)
	if len(m.Parts) == 0 {
		m.Parts = []Part{partOf(old)}
	}
	for i := range m.Parts { // merged when parts had to share them
		if m.Parts[i].CPU == "" {
			m.Parts[i].CPU = old.Machine.CPU
		}
		if m.Parts[i].Frontend == "" {
			m.Parts[i].Frontend = old.Frontend.Ref
		}
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

// mergeInto merges res into the results file out (merge). A run that
// cannot be merged is not thrown away with its hours of measurements: it is
// written next to out on its own, to be reported alone or merged once the
// reason is mended, and the error names that file.
func mergeInto(out string, res *Results) (*Results, error) {
	old, err := readResults(out)
	if err == nil {
		var m *Results
		if m, err = merge(old, res); err == nil {
			return m, nil
		}
	}
	side := strings.TrimSuffix(out, ".json") + ".unmerged-" + res.Started.UTC().Format("20060102T1504Z") + ".json"
	if werr := writeResults(side, res); werr != nil {
		return nil, fmt.Errorf("-merge: %w; writing this run to %s: %w", err, side, werr)
	}
	return nil, fmt.Errorf("-merge: %w; this run's results are in %s", err, side)
}

// cellPart is the index in r.Parts of the part that measured the cell
// with key k (the last that lists it), -1 in a file of one run.
func cellPart(r *Results, k string) int {
	for i := len(r.Parts) - 1; i >= 0; i-- {
		if slices.Contains(r.Parts[i].Cells, k) {
			return i
		}
	}
	return -1
}

// partsDiffer lists what differs between the parts: "CPU", "frontend".
func partsDiffer(r *Results) []string {
	var d []string
	for _, f := range []struct {
		what string
		of   func(Part) string
	}{{"CPU", func(p Part) string { return p.CPU }}, {"frontend", func(p Part) string { return p.Frontend }}} {
		for _, p := range r.Parts {
			if f.of(p) != f.of(r.Parts[0]) {
				d = append(d, f.what)
				break
			}
		}
	}
	return d
}
