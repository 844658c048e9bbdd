package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
	"google.golang.org/protobuf/proto"
)

// Capability: the CLI builds exactly the frontend's graph. For every
// example and every target, `goscratch llb` (resolving through the lab's
// daemon, with the frontend image's gotool) writes the definition the
// frontend solves for the same request, which GOSCRATCH_LLB=1 makes the
// frontend return instead of building it. Both derive their inputs in
// package inputs; this proves nothing else differs. examples/pgo is also
// compared in the layers cache mode, whose dependency layers depend on
// which main packages have a PGO profile.

func TestCLIGraphIsTheFrontendGraph(t *testing.T) {
	l := requireLab(t)
	cases := exampleTargets(t, true)
	for _, ex := range cases {
		if ex.name == "pgo/default" {
			ex.name, ex.buildArgs = "pgo/default-layers", map[string]string{"GOSCRATCH_CACHE": "layers"}
			cases = append(cases, ex)
			break
		}
	}
	for _, ex := range cases {
		dir, file, target, plats := ex.dir, ex.file, ex.target, ex.spec.Platforms
		if len(plats) == 0 {
			plats = []string{"linux/amd64"}
		}
		t.Run(ex.name, func(t *testing.T) {
			out := t.TempDir()
			args := []string{"--addr", l.BuildkitAddr, "build",
				"--frontend", "gateway.v0", "--opt", "source=" + l.Frontend,
				"--local", "context=" + dir, "--local", "dockerfile=" + dir, "--opt", "filename=goscratch.yaml",
				"--opt", "platform=" + strings.Join(plats, ","), "--opt", "build-arg:GOSCRATCH_LLB=1",
				"--opt", "build-arg:SOURCE_DATE_EPOCH=1700000000",
				"--output", "type=local,dest=" + out}
			if target != "" {
				args = append(args, "--opt", "target="+target)
			}
			for _, k := range slices.Sorted(maps.Keys(ex.buildArgs)) {
				args = append(args, "--opt", "build-arg:"+k+"="+ex.buildArgs[k])
			}
			run(t, "buildctl", args...)
			for _, p := range plats {
				name := strings.ReplaceAll(p, "/", "-")
				if target == spec.TestTarget {
					name = "test"
				}
				want := readDef(t, filepath.Join(out, name+".llb"))
				cli := []string{"llb", "--addr", l.BuildkitAddr, "--frontend", l.Frontend, "--platform", p,
					"--build-arg", "SOURCE_DATE_EPOCH=1700000000", file}
				if target != "" {
					cli = append(cli, "--target", target)
				}
				for _, k := range slices.Sorted(maps.Keys(ex.buildArgs)) {
					cli = append(cli, "--build-arg", k+"="+ex.buildArgs[k])
				}
				got := run(t, goscratchCLI(t), cli...)
				gotDef, err := llb.ReadFrom(strings.NewReader(got))
				if err != nil {
					t.Fatalf("goscratch llb output: %v", err)
				}
				if diff := diffDefs(t, gotDef, want); diff != "" {
					t.Errorf("%s: goscratch llb differs from the frontend's definition:\n%s", p, diff)
				}
				if target == spec.TestTarget {
					break
				}
			}
		})
	}
}

func readDef(t *testing.T, file string) *llb.Definition {
	t.Helper()
	dt, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the frontend's definition: %v", err)
	}
	def, err := llb.ReadFrom(bytes.NewReader(dt))
	if err != nil {
		t.Fatal(err)
	}
	return def
}

// diffDefs compares two definitions op by op, after removing the one
// thing that differs by who sends the build context: the local source's
// session id (dockerui sets the frontend's) or, with no session id, the
// random unique id llb.Local marshals instead (the CLI's, which buildctl
// sends from its own session). Metadata (step names, caps) is not compared.
func diffDefs(t *testing.T, got, want *llb.Definition) string {
	t.Helper()
	g, gRoot := canonicalOps(t, got)
	w, wRoot := canonicalOps(t, want)
	if gRoot == wRoot {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "root %s (CLI) != %s (frontend)\n", gRoot, wRoot)
	for _, d := range slices.Sorted(maps.Keys(g)) {
		if _, ok := w[d]; !ok {
			fmt.Fprintf(&b, "only in the CLI's: %s\n", g[d])
		}
	}
	for _, d := range slices.Sorted(maps.Keys(w)) {
		if _, ok := g[d]; !ok {
			fmt.Fprintf(&b, "only in the frontend's: %s\n", w[d])
		}
	}
	return b.String()
}

// canonicalOps re-digests every op with the local source's session and
// unique ids removed; it returns the ops as JSON by digest, and the digest
// of the result (the final op's input).
func canonicalOps(t *testing.T, def *llb.Definition) (map[digest.Digest]string, digest.Digest) {
	t.Helper()
	renamed := map[digest.Digest]digest.Digest{}
	out := map[digest.Digest]string{}
	var root digest.Digest
	for i, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			t.Fatal(err)
		}
		for _, in := range op.Inputs {
			in.Digest = string(renamed[digest.Digest(in.Digest)])
		}
		if src := op.GetSource(); src != nil {
			delete(src.Attrs, pb.AttrLocalSessionID)
			delete(src.Attrs, pb.AttrLocalUniqueID)
		}
		if i == len(def.Def)-1 && op.Op == nil { // the terminal op: only the result
			root = digest.Digest(op.Inputs[0].Digest)
			break
		}
		ndt, err := proto.MarshalOptions{Deterministic: true}.Marshal(&op)
		if err != nil {
			t.Fatal(err)
		}
		nd := digest.FromBytes(ndt)
		renamed[digest.FromBytes(dt)] = nd
		js, _ := json.Marshal(&op)
		out[nd] = string(js)
	}
	return out, root
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// exampleTarget is one target of one example spec.
type exampleTarget struct {
	name      string // example/target
	dir, file string // the example's directory and spec
	spec      *spec.Spec
	target    string // "" for the top level
	buildArgs map[string]string
}

// exampleTargets lists every target of every example: the top level when
// it builds something, the named targets and, with test, the test target.
func exampleTargets(t *testing.T, test bool) []exampleTarget {
	t.Helper()
	files, err := filepath.Glob(repoPath("examples/*/goscratch.yaml"))
	if err != nil || len(files) < 7 {
		t.Fatalf("examples: %v %v", files, err)
	}
	var out []exampleTarget
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		sp, err := spec.Parse("goscratch.yaml", data)
		if err != nil {
			t.Fatal(err)
		}
		targets := sp.TargetNames()
		if sp.HasDefault() {
			targets = append([]string{""}, targets...)
		}
		if test && sp.Test != nil {
			targets = append(targets, spec.TestTarget)
		}
		dir := filepath.Dir(file)
		for _, target := range targets {
			out = append(out, exampleTarget{name: filepath.Base(dir) + "/" + cmpOr(target, "default"), dir: dir, file: file, spec: sp, target: target})
		}
	}
	return out
}
