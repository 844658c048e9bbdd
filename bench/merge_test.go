package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMerge: a second part's cells replace the same cells of the first,
// the rest stay, and the merged file lists both parts; parts of another
// frontend or another run configuration are refused.
func TestMerge(t *testing.T) {
	old := sampleResults()
	cur := sampleResults()
	cur.Started, cur.Finished = old.Finished.Add(24*time.Hour), old.Finished.Add(26*time.Hour)
	cur.Config.Command = "bench run -subjects big -scenarios ephemeral,cold"
	cur.Config.Tools = []string{"goscratch", "dockerfile-layer"}
	cur.Cells = []Cell{
		{Subject: "big", Scenario: "ephemeral", Platforms: []string{"linux/amd64", "linux/arm64"}, Tools: []string{"goscratch", "dockerfile-layer"}, Runs: []Run{{Tool: "goscratch", Seconds: 30}}},
		{Subject: "big", Scenario: "cold", Platforms: []string{"linux/amd64", "linux/arm64"}, Tools: []string{"goscratch"}, Runs: []Run{{Tool: "goscratch", Seconds: 900}}},
	}
	cur.Subjects = []SubjectInfo{{Name: "big", Modules: 330, Binaries: []string{"./cmd/server"}}}
	cur.Sizes = nil
	m, err := merge(old, cur)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range m.Cells {
		keys = append(keys, cellKey(c))
	}
	want := []string{"hello change 2p", "hello noop 1p", "hello ephemeral 2p", "big ephemeral 2p", "big cold 2p"}
	if !slices.Equal(keys, want) {
		t.Errorf("merged cells %q, want %q", keys, want)
	}
	if c := m.Cells[3]; c.Runs[0].Seconds != 30 {
		t.Errorf("big ephemeral kept the old runs: %v", c.Runs)
	}
	if !m.Started.Equal(old.Started) || !m.Finished.Equal(cur.Finished) {
		t.Errorf("merged span %v → %v", m.Started, m.Finished)
	}
	if len(m.Parts) != 2 || !strings.Contains(m.Parts[1].Command, "-subjects big") || !slices.Equal(m.Parts[1].Cells, []string{"big ephemeral 2p", "big cold 2p"}) {
		t.Errorf("parts %+v", m.Parts)
	}
	if !slices.Equal(m.Config.Tools, []string{"goscratch", "dockerfile-layer", "dockerfile"}) {
		t.Errorf("tools %q", m.Config.Tools)
	}
	if len(m.Subjects) != 3 || m.Subjects[2].Modules != 330 || len(m.Sizes) != 1 {
		t.Errorf("subjects %+v, sizes %+v", m.Subjects, m.Sizes)
	}
	// a third part adds to the list of parts
	third := sampleResults()
	third.Cells = third.Cells[:1]
	m3, err := merge(m, third)
	if err != nil || len(m3.Parts) != 3 {
		t.Fatalf("third part: %v, %d parts", err, len(m3.Parts))
	}
	if got := renderResults(m3, "x.png"); !strings.Contains(got, "Run in 3 parts") {
		t.Errorf("the report does not list the parts:\n%s", got[:min(len(got), 600)])
	}

	cores := sampleResults()
	cores.Machine.Cores = 4
	if _, err := merge(old, cores); err == nil {
		t.Errorf("merged parts measured on different core counts")
	}
	fewer := sampleResults()
	fewer.Config.Runs = 1
	if _, err := merge(old, fewer); err == nil {
		t.Errorf("merged parts with different run counts")
	}
	zstd := sampleResults()
	zstd.Config.CacheCompression = "zstd"
	if _, err := merge(old, zstd); err == nil {
		t.Errorf("merged parts whose caches were exported with different compressions")
	}
	// gunzip: a part that recorded none (older) takes any; two recorded
	// ones must agree, and each part lists its own
	pigz := sampleResults()
	pigz.Machine.Gunzip = "unpigz"
	mp, err := merge(old, pigz)
	if err != nil {
		t.Fatalf("a part with gunzip after one without: %v", err)
	}
	if got := renderResults(mp, "x.png"); !strings.Contains(got, ", gunzip unpigz: `") || !strings.Contains(got, "(gunzip: unpigz)") {
		t.Errorf("the report does not say what decompressed:\n%s", got[:min(len(got), 900)])
	}
	goGz := sampleResults()
	goGz.Machine.Gunzip = "go"
	if _, err := merge(mp, goGz); err == nil {
		t.Errorf("merged parts whose daemons decompressed gzip differently")
	}
}

// TestMergeAcrossMachines: a part on another CPU with a rebuilt frontend
// image merges; each part keeps its own (older parts, which had to share
// the file's, get it), the report says the parts differ and a target that
// compares cells of two such parts says so.
func TestMergeAcrossMachines(t *testing.T) {
	old := sampleResults()
	old.Cells = old.Cells[:1] // hello change 2p: the warm cell
	old.Parts = []Part{{Started: "a", Command: "bench run -subjects hello", Cells: []string{"hello change 2p"}}}
	cur := sampleResults()
	cur.Machine.CPU = "Other CPU"
	cur.Frontend.Ref = "127.0.0.1:5000/goscratch/goscratch@sha256:def0123456789abcdef"
	cur.Cells = cur.Cells[2:3] // hello ephemeral 2p
	cur.Subjects[0].Modules = 120
	m, err := merge(old, cur)
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Parts[0]; p.CPU != "Test CPU" || p.Frontend != old.Frontend.Ref {
		t.Errorf("the older part did not get the file's CPU and frontend: %+v", p)
	}
	if p := m.Parts[1]; p.CPU != "Other CPU" || p.Frontend != cur.Frontend.Ref {
		t.Errorf("the new part: %+v", p)
	}
	if got := partsDiffer(m); !slices.Equal(got, []string{"CPU", "frontend"}) {
		t.Errorf("partsDiffer %q", got)
	}
	got := renderResults(m, "x.png")
	for _, want := range []string{
		"**The parts differ in CPU and frontend**",
		"Machine of the last part: Other CPU",
		", CPU Other CPU, frontend 127.0.0.1:5000/goscratch/goscratch@sha256:def012345678: `",
		"; the two cells come from parts 1 and 2, on different CPUs (Test CPU, Other CPU) and frontend images",
		"(the last part's; each part names its own above)",
	} {
		wantIn(t, "the report", got, want)
	}
	// parts on one CPU and frontend say neither
	same := sampleResults()
	same.Cells = same.Cells[2:3]
	same.Subjects[0].Modules = 120
	m2, err := merge(old, same)
	if err != nil {
		t.Fatal(err)
	}
	if got := renderResults(m2, "x.png"); strings.Contains(got, "differ in") || strings.Contains(got, "come from parts") {
		t.Errorf("parts of one machine reported as differing:\n%s", got)
	}
}

// TestMergeIntoKeepsRefusedRun: a run the results file refuses is written
// next to it, and the error names that file.
func TestMergeIntoKeepsRefusedRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "b.json")
	must(t, writeResults(out, sampleResults()))
	cur := sampleResults()
	cur.Config.Runs = 7
	_, err := mergeInto(out, cur)
	side := filepath.Join(filepath.Dir(out), "b.unmerged-20261127T0400Z.json")
	if err == nil || !strings.Contains(err.Error(), side) {
		t.Fatalf("error %v does not name %s", err, side)
	}
	kept, rerr := readResults(side)
	if rerr != nil || kept.Config.Runs != 7 || len(kept.Cells) != len(cur.Cells) {
		t.Errorf("the refused run was not kept: %v %+v", rerr, kept)
	}
	if m, err := mergeInto(out, sampleResults()); err != nil || len(m.Parts) != 2 {
		t.Errorf("a mergeable run: %v", err)
	}
}

// TestGunzipTool: igzip before unpigz, each unless containerd's variable
// turns it off, else Go's.
func TestGunzipTool(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []string{"igzip", "unpigz"} {
		must(t, os.WriteFile(filepath.Join(dir, c), []byte("#!/bin/sh\n"), 0o755))
	}
	t.Setenv("PATH", dir)
	t.Setenv("CONTAINERD_DISABLE_IGZIP", "")
	t.Setenv("CONTAINERD_DISABLE_PIGZ", "")
	if got := gunzipTool(); got != "igzip" {
		t.Errorf("both in PATH: %s", got)
	}
	t.Setenv("CONTAINERD_DISABLE_IGZIP", "1")
	if got := gunzipTool(); got != "unpigz" {
		t.Errorf("igzip off: %s", got)
	}
	t.Setenv("CONTAINERD_DISABLE_PIGZ", "true")
	if got := gunzipTool(); got != "go" {
		t.Errorf("both off: %s", got)
	}
}
