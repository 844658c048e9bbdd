package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseStats(t *testing.T) {
	for _, tc := range []struct {
		in       string
		llb, rss int64
		ok       bool
	}{
		{"goscratch-stats llb_ready_ms=412 vmhwm_kib=23456", 412, 23456, true},
		{"WARN: goscratch-stats llb_ready_ms=1 vmhwm_kib=-1", 1, -1, true},
		{"some other warning", 0, 0, false},
		{"goscratch-stats llb_ready_ms=x", 0, 0, false},
	} {
		llb, rss, ok := parseStats(tc.in)
		if ok != tc.ok || (ok && (llb != tc.llb || rss != tc.rss)) {
			t.Errorf("parseStats(%q) = %d, %d, %v; want %d, %d, %v", tc.in, llb, rss, ok, tc.llb, tc.rss, tc.ok)
		}
	}
}

func TestFrontendStatsFromRawJSON(t *testing.T) {
	type warning struct{ Short []byte }
	var buf bytes.Buffer
	buf.WriteString("$ buildctl build ...\n")
	for _, w := range []string{"unrelated", "goscratch-stats llb_ready_ms=250 vmhwm_kib=30000"} {
		line, _ := json.Marshal(map[string]any{"warnings": []warning{{Short: []byte(w)}}})
		buf.Write(append(line, '\n'))
	}
	path := filepath.Join(t.TempDir(), "build.log")
	must(t, os.WriteFile(path, buf.Bytes(), 0o644))
	if llb, rss := frontendStats(path); llb != 250 || rss != 30000 {
		t.Errorf("frontendStats = %d, %d; want 250, 30000", llb, rss)
	}
	must(t, os.WriteFile(path, []byte("no stats\n"), 0o644))
	if llb, rss := frontendStats(path); llb != -1 || rss != -1 {
		t.Errorf("frontendStats without the warning = %d, %d; want -1, -1", llb, rss)
	}
}

func TestFirstProxy(t *testing.T) {
	for in, want := range map[string]string{
		"https://proxy.example,direct": "https://proxy.example",
		"direct|https://b.example":     "https://b.example",
		"off":                          "",
		"":                             "",
	} {
		got, err := firstProxy(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("firstProxy(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestSelectCells(t *testing.T) {
	for _, tc := range []struct {
		name, matrix, subjects, scenarios, platforms string
		want                                         []string
		err                                          bool
	}{
		{name: "default filtered", matrix: "default", subjects: "hello", scenarios: "change", want: []string{"hello change 1p", "hello change 2p", "hello change 4p"}},
		{name: "full one cell", matrix: "full", subjects: "frontend", scenarios: "cold", platforms: "4", want: []string{"frontend cold 4p"}},
		{name: "unknown scenario", matrix: "default", scenarios: "warm", err: true},
		{name: "bad platforms", matrix: "default", platforms: "3", err: true},
		{name: "empty selection", matrix: "default", subjects: "big2bin", scenarios: "cold", err: true},
		{name: "bad matrix", matrix: "huge", err: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cells, err := selectCells(tc.matrix, tc.subjects, tc.scenarios, tc.platforms)
			if (err != nil) != tc.err {
				t.Fatalf("err = %v, want error %v", err, tc.err)
			}
			var got []string
			for _, c := range cells {
				got = append(got, c.String())
			}
			if strings.Join(got, ";") != strings.Join(tc.want, ";") {
				t.Errorf("cells = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestDefaultMatrixCoversEveryTarget(t *testing.T) {
	has := map[string]bool{}
	for _, c := range defaultMatrix() {
		has[c.String()] = true
	}
	// issue #17: per subject cold, change, ephemeral and noop at 2
	// platforms, and the two-binary variant's change
	var want []string
	for _, s := range []string{"hello", "frontend", "big"} {
		for _, sc := range []string{scCold, scChange, scEphemeral, scNoop} {
			want = append(want, s+" "+sc+" 2p")
		}
	}
	for _, want := range append(want, "big2bin change 2p") {
		if !has[want] {
			t.Errorf("default matrix lacks %s", want)
		}
	}
}

func TestCellTools(t *testing.T) {
	all := []string{"goscratch", "dockerfile", "dockerfile-layer", "ko", "hostgo"}
	for _, tc := range []struct {
		cell cellSpec
		want string
	}{
		{cellSpec{subject: "hello", scenario: scEphemeral}, "goscratch,dockerfile,dockerfile-layer"},
		{cellSpec{subject: "hello", scenario: scChange}, "goscratch,dockerfile,dockerfile-layer,ko,hostgo"},
		{cellSpec{subject: "big", scenario: scCold, buildkitOnly: true}, "goscratch,dockerfile,dockerfile-layer"},
		{cellSpec{subject: "big2bin", scenario: scChange}, "goscratch,dockerfile,dockerfile-layer,hostgo"},
	} {
		if got := strings.Join(cellTools(tc.cell, all), ","); got != tc.want {
			t.Errorf("cellTools(%s) = %s, want %s", tc.cell, got, tc.want)
		}
	}
}

func TestCellRuns(t *testing.T) {
	if got := (cellSpec{maxRuns: 3}).runs(5); got != 3 {
		t.Errorf("capped runs = %d, want 3", got)
	}
	if got := (cellSpec{maxRuns: 3}).runs(1); got != 1 {
		t.Errorf("capped runs with -runs 1 = %d, want 1", got)
	}
	if got := (cellSpec{}).runs(5); got != 5 {
		t.Errorf("runs = %d, want 5", got)
	}
}

func TestWorkspaceEdits(t *testing.T) {
	repo := t.TempDir()
	mod := filepath.Join(repo, "m")
	must(t, os.MkdirAll(filepath.Join(mod, ".git"), 0o755))
	must(t, os.WriteFile(filepath.Join(mod, ".git", "HEAD"), []byte("x"), 0o644))
	must(t, os.WriteFile(filepath.Join(mod, "main.go"), []byte("package main\n\nconst s = \"hi there\"\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module m\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(mod, "go.sum"), []byte("a v1 h1:x\n"), 0o644))
	s := Subject{Name: "m", Dir: "m", Skip: []string{".git"}, EditFile: "main.go", EditAnchor: "hi "}
	w, err := newWorkspace(s, repo, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(w.dir, ".git")); !os.IsNotExist(err) {
		t.Errorf(".git copied: %v", err)
	}
	read := func(name string) string { b, _ := os.ReadFile(filepath.Join(w.dir, name)); return string(b) }
	if err := w.editSource(); err != nil {
		t.Fatal(err)
	}
	first := read("main.go")
	must(t, w.editSource())
	second := read("main.go")
	if first == second || !strings.Contains(first, `"hi bench-`) || strings.Count(second, "bench-") != 1 {
		t.Errorf("edits: %q then %q; want one new nonce each time", first, second)
	}
	if err := w.changeGoSum(); err == nil {
		t.Error("changeGoSum before prepareToggle: want an error")
	}
	w.goMod[1], w.goSum[1] = []byte("module m\n\nrequire b v2\n"), []byte("b v2 h1:y\n")
	must(t, w.changeGoSum())
	if !strings.Contains(read("go.mod"), "require b v2") || read("go.sum") != "b v2 h1:y\n" {
		t.Errorf("after one change: go.mod %q go.sum %q", read("go.mod"), read("go.sum"))
	}
	must(t, w.changeGoSum())
	if read("go.sum") != "a v1 h1:x\n" || !strings.Contains(read("go.mod"), "// bench-") {
		t.Errorf("after two changes: go.mod %q go.sum %q", read("go.mod"), read("go.sum"))
	}
	must(t, w.reset())
	if read("main.go") != "package main\n\nconst s = \"hi there\"\n" || read("go.mod") != "module m\n" {
		t.Error("reset did not restore the sources")
	}
}

func TestBuildTimeout(t *testing.T) {
	if got := buildTimeout(scCold, 0); got != 40*time.Minute {
		t.Errorf("cold = %v", got)
	}
	if got := buildTimeout(scNoop, 0); got != 15*time.Minute {
		t.Errorf("noop = %v", got)
	}
	if got := buildTimeout(scCold, time.Minute); got != time.Minute {
		t.Errorf("override = %v", got)
	}
}

func TestExportSecondsFromRawJSON(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)
	at := func(ms int) string { return t0.Add(time.Duration(ms) * time.Millisecond).Format(time.RFC3339Nano) }
	lines := []string{
		"$ buildctl build ...",
		`{"vertexes":[{"digest":"sha256:a","name":"[linux/amd64] go build .","started":"` + at(0) + `","completed":"` + at(900) + `"}]}`,
		`{"vertexes":[{"digest":"sha256:e","name":"exporting to image","started":"` + at(1000) + `"}]}`,
		`{"statuses":[{"id":"pushing layers","vertex":"sha256:e"}]}`,
		`{"vertexes":[{"digest":"sha256:e","name":"exporting to image","started":"` + at(1000) + `","completed":"` + at(1450) + `"}]}`,
	}
	path := filepath.Join(t.TempDir(), "build.log")
	must(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	if got := exportSeconds(path); got < 0.449 || got > 0.451 {
		t.Errorf("exportSeconds = %v, want 0.45", got)
	}
	must(t, os.WriteFile(path, []byte(strings.Join(lines[:3], "\n")+"\n"), 0o644))
	if got := exportSeconds(path); got != 0 {
		t.Errorf("exportSeconds of an unfinished export = %v, want 0", got)
	}
}

func TestRoundOrderAlternates(t *testing.T) {
	tools := []string{"goscratch", "dockerfile", "ko"}
	for round, want := range map[int]string{-1: "ko dockerfile goscratch", 0: "goscratch dockerfile ko", 1: "ko dockerfile goscratch", 2: "goscratch dockerfile ko"} {
		if got := strings.Join(roundOrder(tools, round), " "); got != want {
			t.Errorf("round %d: %s, want %s", round, got, want)
		}
	}
	if tools[0] != "goscratch" {
		t.Errorf("roundOrder changed its argument: %v", tools)
	}
}

// must fails the test on a setup error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestCountModules: on a module with one replaced dependency (no network),
// go list -m all lists one module besides the main one, and the build
// compiles packages from two.
func TestCountModules(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":    "module example.com/a\n\ngo 1.22\n\nrequire example.com/b v0.0.0\n\nreplace example.com/b => ./b\n",
		"main.go":   "package main\n\nimport \"example.com/b\"\n\nfunc main() { b.F() }\n",
		"b/go.mod":  "module example.com/b\n\ngo 1.22\n",
		"b/b.go":    "package b\n\nfunc F() {}\n",
		"unused.go": "package main\n",
	}
	for name, body := range files {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	env := append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOWORK=off")
	if n, err := countModules(dir, env); err != nil || n != 1 {
		t.Errorf("countModules = %d, %v; want 1", n, err)
	}
	if n, err := countCompiledModules(dir, env, []string{"."}); err != nil || n != 2 {
		t.Errorf("countCompiledModules = %d, %v; want 2", n, err)
	}
}
