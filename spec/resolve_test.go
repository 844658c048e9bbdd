package spec

import (
	"reflect"
	"strings"
	"testing"
)

const targetsSpec = `main: ./cmd/api
tags: [a]
env: {A: "1", B: "1"}
labels: {team: x}
expose: [8080]
targets:
  worker:
    main: ./cmd/worker
    env: {B: "2"}
    expose: []
  debug:
    user: root
    tags: [b]
    ldflags: ""
    binaries: [./cmd/api, {main: ./cmd/dlv, ldflags: "-X a=b", tags: [c, a]}]
`

func TestResolveTargets(t *testing.T) {
	s := mustParse(t, targetsSpec)
	if got := s.TargetNames(); !reflect.DeepEqual(got, []string{"debug", "worker"}) {
		t.Errorf("TargetNames = %v", got)
	}
	if !s.HasDefault() {
		t.Error("HasDefault = false")
	}

	worker := mustResolve(t, s, "worker")
	if worker.Binaries[0].Name != "worker" || worker.Entrypoint[0] != "/usr/local/bin/worker" {
		t.Errorf("worker binaries %+v entrypoint %v", worker.Binaries, worker.Entrypoint)
	}
	if !reflect.DeepEqual(worker.Env, map[string]string{"A": "1", "B": "2"}) {
		t.Errorf("worker env = %v, want maps merged", worker.Env)
	}
	if worker.Expose == nil || len(worker.Expose) != 0 {
		t.Errorf("worker expose = %#v, want set to empty", worker.Expose)
	}
	if worker.Labels["team"] != "x" || worker.Binaries[0].Tags[0] != "a" {
		t.Errorf("worker did not inherit labels/tags: %+v", worker)
	}
	if worker.Pos != s.Pos("targets.worker") || worker.Binaries[0].Pos != s.Pos("targets.worker.main") || worker.Pos.Line != 7 {
		t.Errorf("worker positions %v %v", worker.Pos, worker.Binaries[0].Pos)
	}

	debug := mustResolve(t, s, "debug")
	want := []ResolvedBinary{
		{Main: "./cmd/api", Name: "api", Tags: []string{"b"}, Ldflags: "", Pos: Pos{15, 16}},
		{Main: "./cmd/dlv", Name: "dlv", Tags: []string{"a", "b", "c"}, Ldflags: "-X a=b", Pos: Pos{15, 28}},
	}
	if !reflect.DeepEqual(debug.Binaries, want) {
		t.Errorf("debug binaries\n got %+v\nwant %+v", debug.Binaries, want)
	}
	if debug.User != (User{"root", 0, 0}) {
		t.Errorf("debug user %+v", debug.User)
	}

	def := mustResolve(t, s, "")
	if def.Target != "" || def.Binaries[0].Name != "api" || def.Pos != (Pos{1, 1}) {
		t.Errorf("default %+v", def)
	}
	def.Env["X"] = "mutated"
	if _, leaked := s.Env["X"]; leaked {
		t.Error("Resolve shares maps with the spec")
	}
}

func TestResolveErrors(t *testing.T) {
	s := mustParse(t, "targets:\n  api: {main: ./cmd/api}\n  worker: {main: ./cmd/worker}\n")
	for target, want := range map[string]string{
		"":       "spec.yaml:1:1: the spec has no top-level main; choose a target with --target (targets: api, worker)",
		"wroker": `spec.yaml: unknown target "wroker" (did you mean worker? targets: api, worker)`,
		"zzz":    `spec.yaml: unknown target "zzz" (targets: api, worker)`,
	} {
		if _, err := s.Resolve(target, ""); err == nil || err.Error() != want {
			t.Errorf("Resolve(%q) = %v, want %q", target, err, want)
		}
	}
	if s.HasDefault() {
		t.Error("HasDefault = true")
	}

	dot := mustParse(t, "main: .\n")
	if _, err := dot.Resolve("", ""); err == nil || !strings.Contains(err.Error(), `spec.yaml:1:7: main: cannot name the binary of main "." without the module path (set name)`) {
		t.Errorf("main . without module path: %v", err)
	}
	sub := mustParse(t, "module: services/api\nmain: .\n")
	if r, err := sub.Resolve("", ""); err != nil || r.Binaries[0].Name != "api" {
		t.Errorf("main . in module dir services/api named %q, want api", r.Binaries[0].Name)
	}

	clash := mustParse(t, "binaries: [., ./cmd/app]\n")
	if _, err := clash.Resolve("", "example.com/app"); err == nil || !strings.Contains(err.Error(), "two binaries are named app") {
		t.Errorf("name clash: %v", err)
	}
}

func TestResolveDefaults(t *testing.T) {
	r, err := mustParse(t, "main: ./cmd/server\nzoneinfo: embed\ntags: [z, timetzdata, a]\n").Resolve("", "example.com/x")
	if err != nil {
		t.Fatal(err)
	}
	b := r.Binaries[0]
	if !reflect.DeepEqual(b.Tags, []string{"a", "timetzdata", "z"}) || b.Ldflags != "-s -w" {
		t.Errorf("binary %+v", b)
	}
	if r.Goenv == nil || r.Env == nil || r.Labels == nil || r.Annotations == nil {
		t.Error("nil map in Resolved")
	}
	if r.User != (User{"nonroot", 65532, 65532}) || r.Workdir != "/" || !r.Certs || r.Module != "." {
		t.Errorf("defaults %+v", r)
	}
}

func TestValidateSpecBuiltInGo(t *testing.T) {
	s := &Spec{Target: Target{Main: "./cmd/x", Expose: []Port{{Number: 0, Protocol: "tcp"}}, User: "bob"}}
	err := s.Validate()
	want := "expose[0]: port 0 is out of range"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), `user: user "bob"`) {
		t.Fatalf("Validate = %v", err)
	}
	if (&Spec{Target: Target{Main: "./cmd/x"}}).Validate() != nil {
		t.Error("valid spec built in Go failed Validate")
	}
	if (&Spec{}).Validate() == nil {
		t.Error("empty spec passed Validate")
	}
}

func mustResolve(t *testing.T, s *Spec, target string) *Resolved {
	t.Helper()
	r, err := s.Resolve(target, "example.com/app")
	if err != nil {
		t.Fatalf("Resolve(%q): %v", target, err)
	}
	return r
}

func TestNilTargetBuiltInGo(t *testing.T) {
	s := &Spec{Target: Target{Main: "./cmd/x"}, Targets: map[string]*Target{"a": nil}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if r, err := s.Resolve("a", ""); err != nil || r.Binaries[0].Name != "x" {
		t.Fatalf("Resolve = %+v, %v", r, err)
	}
}
