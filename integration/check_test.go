package integration

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Capability: `docker buildx build --call check|targets|outline` answer from
// the spec, and the lint rules warn in normal builds too.

// problemSpec breaks four lint rules, each on its own line.
const problemSpec = `# syntax=ghcr.io/goscratch/goscratch:v1
builder: golang:1.26.8
main: .
ldflags: "-X main.version=1"
tags: [timetzdata]
goenv: {CGO_ENABLED: "1"}
targets:
  debug: {user: root}
`

func TestCallCheck(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), problemSpec)
	out, err := runErr("docker", "buildx", "build", "--builder", l.Builder, "--progress", "quiet",
		"--build-arg", "BUILDKIT_SYNTAX="+l.Frontend, "--call", "check,format=json",
		"-f", filepath.Join(dir, "goscratch.yaml"), dir)
	if err == nil {
		t.Errorf("--call check exited 0 with problems in the spec")
	}
	var res struct {
		Warnings []struct {
			RuleName string `json:"ruleName"`
			Location struct {
				Ranges []struct {
					Start struct{ Line int } `json:"start"`
				} `json:"ranges"`
			} `json:"location"`
		} `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(jsonPart(out)), &res); err != nil {
		t.Fatalf("--call check output is not JSON: %v\n%s", err, out)
	}
	got := map[string]int{}
	for _, w := range res.Warnings {
		line := 0
		if len(w.Location.Ranges) > 0 {
			line = w.Location.Ranges[0].Start.Line
		}
		got[w.RuleName] = line
	}
	want := map[string]int{"BuilderNotPinned": 2, "LdflagsNotStripped": 4, "RedundantTimetzdata": 5, "CgoEnabled": 6}
	for rule, line := range want {
		if got[rule] != line {
			t.Errorf("rule %s at line %d, want %d; all: %v", rule, got[rule], line, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rules %v, want exactly %v", got, want)
	}

	// the human form names the rule and marks the line
	out, _ = runErr("docker", "buildx", "build", "--builder", l.Builder, "--progress", "quiet",
		"--build-arg", "BUILDKIT_SYNTAX="+l.Frontend, "--call", "check",
		"-f", filepath.Join(dir, "goscratch.yaml"), dir)
	for _, want := range []string{"WARNING: CgoEnabled", "docs/lint.md#cgoenabled", ">>> goenv: {CGO_ENABLED: \"1\"}"} {
		if !strings.Contains(out, want) {
			t.Errorf("--call check output lacks %q:\n%s", want, out)
		}
	}
}

func TestCallCheckSpecError(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), "main: .\nusr: root\n")
	out, err := runErr("docker", "buildx", "build", "--builder", l.Builder, "--progress", "quiet",
		"--build-arg", "BUILDKIT_SYNTAX="+l.Frontend, "--call", "check",
		"-f", filepath.Join(dir, "goscratch.yaml"), dir)
	if err == nil {
		t.Errorf("--call check exited 0 for an invalid spec")
	}
	if !strings.Contains(out, `unknown field "usr" (did you mean user?)`) {
		t.Errorf("--call check does not report the spec error:\n%s", out)
	}
}

func TestCallTargetsAndOutline(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), "main: .\ntargets:\n  debug: {user: root}\n  tool: {main: ./tool}\n")
	call := func(what string, extra ...string) string {
		args := append([]string{"buildx", "build", "--builder", l.Builder, "--progress", "quiet",
			"--build-arg", "BUILDKIT_SYNTAX=" + l.Frontend, "--call", what + ",format=json",
			"-f", filepath.Join(dir, "goscratch.yaml")}, extra...)
		return jsonPart(run(t, "docker", append(args, dir)...))
	}
	var list struct {
		Targets []struct {
			Name        string
			Default     bool
			Description string
		}
	}
	if err := json.Unmarshal([]byte(call("targets")), &list); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range list.Targets {
		names = append(names, tg.Name)
		if tg.Default != (tg.Name == "") {
			t.Errorf("target %q default=%v", tg.Name, tg.Default)
		}
	}
	if !slices.Equal(names, []string{"", "debug", "tool"}) {
		t.Errorf("targets %q, want the default, debug and tool", names)
	}
	if d := list.Targets[2].Description; !strings.Contains(d, "tool (./tool)") {
		t.Errorf("tool's description %q does not name its binary", d)
	}

	var o struct {
		Name  string
		Args  []struct{ Name, Value string }
		Cache []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(call("outline", "--target", "debug", "--build-arg", "SOURCE_DATE_EPOCH=1700000000", "--build-arg", "VERSION=2.0")), &o); err != nil {
		t.Fatal(err)
	}
	if o.Name != "debug" || len(o.Args) == 0 || o.Args[0].Name != "SOURCE_DATE_EPOCH" || o.Args[0].Value != "1700000000" {
		t.Errorf("outline %+v: want target debug with SOURCE_DATE_EPOCH=1700000000", o)
	}
	args := map[string]string{}
	for _, a := range o.Args {
		args[a.Name] = a.Value
	}
	for _, name := range []string{"VERSION", "VCS_REVISION", "VCS_SOURCE", "GOPROXY", "GOPRIVATE"} {
		if _, ok := args[name]; !ok {
			t.Errorf("outline args %v lack %s", args, name)
		}
	}
	if args["VERSION"] != "2.0" {
		t.Errorf("outline VERSION=%q, want the request's 2.0", args["VERSION"])
	}
	// the cache mounts the build really uses: namespaced by builder and go settings
	namespaced := regexp.MustCompile(`^goscratch-(gomodcache|gocache)-[0-9a-f]{16}$`)
	if len(o.Cache) != 2 || !namespaced.MatchString(o.Cache[0].ID) || !namespaced.MatchString(o.Cache[1].ID) {
		t.Errorf("outline cache mounts %+v, want the namespaced gomodcache and gocache ids", o.Cache)
	}
}

func TestLintWarningsInBuild(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), "main: .\nplatforms: [linux/amd64]\nldflags: \"-w\"\n")
	out := l.buildx(t, dir, "-f", filepath.Join(dir, "goscratch.yaml"))
	if !strings.Contains(out, "LdflagsNotStripped") || !strings.Contains(out, "(line 3)") {
		t.Errorf("the build does not warn about ldflags at line 3:\n%s", out)
	}
}

// jsonPart is the JSON document in buildx output (progress lines may precede it).
func jsonPart(out string) string {
	if i := strings.Index(out, "{"); i >= 0 {
		return out[i:]
	}
	return out
}
