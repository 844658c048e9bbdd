package cli

import (
	"cmp"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goscratch/goscratch/internal/golden"
	"github.com/goscratch/goscratch/spec"
)

// initTemp is a fresh directory named name for init to read: no go.work
// above it may apply, as the go command would let it.
func initTemp(t *testing.T, name string) string {
	t.Helper()
	t.Setenv("GOWORK", "")
	dir := filepath.Join(t.TempDir(), name)
	if w := nearestWork(filepath.Dir(dir)); w != "" {
		t.Fatalf("%s/go.work applies to the test's temporary directory; set TMPDIR elsewhere", w)
	}
	return dir
}

// writeTree writes files (slash paths) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, s := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const mainGo = "package main\n\nfunc main() {}\n"

// TestInitGolden runs init on testdata trees and examples/workspace: the
// specs are the golden files, pass goscratch validate --strict with the
// build context init names, and the go command finds every binary's main
// package from the spec's module directory, as the build step runs it.
func TestInitGolden(t *testing.T) {
	for _, tc := range []struct {
		name, tree, sub, root string // root: the build context, relative to the tree
		mains                 string // the wrote line's list
	}{
		// a workspace: the root module has helper tools, three used
		// modules have the servers; the one named like the module is the
		// entrypoint; the two cmd/server binaries get distinct names
		{"workspace", "testdata/init/workspace", ".", ".", "./storefront/cmd/shop, ./api/cmd/server, ./billing/cmd/server, ./tools/gen, ./tools/migrate"},
		// run in a member: the go.work above applies, the context is its
		// directory and the member's server comes first
		{"workspace-billing", "testdata/init/workspace", "billing", ".", "./billing/cmd/server, ./api/cmd/server, ./storefront/cmd/shop, ./tools/gen, ./tools/migrate"},
		// cmd/admin sorts first; cmd/app is named like the module
		{"multimain", "testdata/init/multimain", ".", ".", "./cmd/app, ./cmd/admin, ./cmd/appcli"},
		// no root module: the spec's module is app, as the example's own spec
		{"examples-workspace", "../../../../examples/workspace", ".", ".", "."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tree := initTemp(t, filepath.Base(tc.tree))
			if err := os.CopyFS(tree, os.DirFS(tc.tree)); err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(filepath.Join(tree, "goscratch.yaml")); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			dir := filepath.Join(tree, tc.sub)
			r := runCLI("init", "--dir", dir)
			if r.code != 0 {
				t.Fatalf("%s", r)
			}
			file := filepath.Join(dir, "goscratch.yaml")
			root := filepath.Join(dir, upTo(tc.sub))
			if want := "wrote " + file + ": " + tc.mains + "\n"; !strings.HasPrefix(r.stdout, want) {
				t.Errorf("stdout\n%s\nwant it to start with\n%s", r.stdout, want)
			}
			if want := "-t IMAGE " + root + "\n"; !strings.HasSuffix(r.stdout, want) {
				t.Errorf("stdout\n%s\nwant the build context %s", r.stdout, root)
			}
			dt, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "testdata/init/"+tc.name+".golden", string(dt))
			if r := runCLI("validate", "--strict", "--context", root, file); r.code != 0 {
				t.Errorf("the spec init wrote is not valid:\n%s", r)
			}
			goFindsMains(t, root, dt)
		})
	}
}

// goFindsMains checks with go list, run where the build step runs go build
// (the spec's module directory in the context), that every main path of the
// spec is a main package, in workspace mode when go.work applies.
func goFindsMains(t *testing.T, root string, specText []byte) {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Logf("no go command: the main paths are not checked with go list")
		return
	}
	s, err := spec.Parse("goscratch.yaml", specText)
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(cmp.Or(s.Module, ".")), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Resolve("", spec.ModulePath(gomod))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"list", "-f", "{{.Name}}"}
	for _, b := range res.Binaries {
		args = append(args, b.Main)
	}
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = filepath.Join(root, filepath.FromSlash(res.Module))
	cmd.Env = append(os.Environ(), "GOWORK=", "GOFLAGS=", "GOTOOLCHAIN=local", "GOPROXY=off")
	for k, v := range res.Goenv {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), cmd.Dir, err, out)
	}
	if got, want := string(out), strings.Repeat("main\n", len(res.Binaries)); got != want {
		t.Errorf("go list says\n%swant %d main packages", got, len(res.Binaries))
	}
}

func TestInit(t *testing.T) {
	dir := initTemp(t, "tool")
	writeTree(t, dir, map[string]string{
		"go.mod":                   "module example.com/tool\n\ngo 1.26\n",
		"cmd/api/main.go":          "// Command api.\npackage main\n\nfunc main() {}\n",
		"cmd/gen/gen.go":           "//go:build ignore\n\npackage main\n",
		"cmd/gen/doc.go":           "package gen\n",
		"cmd/win/main_windows.go":  "package main\n",
		"internal/lib/lib.go":      "package lib\n",
		"internal/lib/lib_test.go": "package main\n",
		"testdata/x/main.go":       "package main\n",
		"tools/go.mod":             "module example.com/tool/tools\n",
		"tools/main.go":            "package main\n",
		".hidden/main.go":          "package main\n",
		"worker/main.go":           "//go:build linux\n\npackage main\n",
	})
	r := runCLI("init", "--dir", dir)
	if r.code != 0 {
		t.Fatalf("%s", r)
	}
	dt, err := os.ReadFile(filepath.Join(dir, "goscratch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := "# syntax=ghcr.io/goscratch/goscratch:v1\n" +
		"# yaml-language-server: $schema=" + schemaURL + "\n" +
		"# entrypoint: api (the first main package in path order: none is named like the\n" +
		"# module example.com/tool or the repository directory tool); the image runs the\n" +
		"# first binary.\n" +
		"binaries:\n  - main: ./cmd/api\n  - main: ./worker\nplatforms: [linux/amd64, linux/arm64]\n"
	if string(dt) != want {
		t.Errorf("spec\n%s\nwant\n%s", dt, want)
	}
	if _, err := spec.Parse("goscratch.yaml", dt); err != nil {
		t.Errorf("the starter spec is invalid: %v", err)
	}
	if r := runCLI("init", "--dir", dir); r.code != ExitFailed || !strings.Contains(r.stderr, "--force") {
		t.Errorf("init over an existing spec: %s", r)
	}
	if r := runCLI("init", "--dir", filepath.Join(dir, "cmd", "api"), "-o", "-"); r.code != ExitFailed || !strings.Contains(r.stderr, "no Go module here") {
		t.Errorf("init without go.mod: %s", r)
	}
	if err := os.RemoveAll(filepath.Join(dir, "worker")); err != nil {
		t.Fatal(err)
	}
	if r := runCLI("init", "--dir", dir, "--force"); r.code != 0 {
		t.Errorf("init --force: %s", r)
	}
	if dt, _ := os.ReadFile(filepath.Join(dir, "goscratch.yaml")); !strings.Contains(string(dt), "\nmain: ./cmd/api\n") || strings.Contains(string(dt), "entrypoint") {
		t.Errorf("one main package: want main: and no entrypoint comment, got\n%s", dt)
	}
}

// TestInitChoices covers the rules the golden trees do not: the repository
// directory's name, major versions, names go build would give, binaries
// that share a name, modules no main path reaches, GOWORK=off and the
// workspaces the frontend would refuse.
func TestInitChoices(t *testing.T) {
	for _, tc := range []struct {
		name  string // also the directory's name
		files map[string]string
		env   string   // GOWORK
		sub   string   // --dir under the tree
		want  []string // substrings of the spec, or of stderr when err
		err   bool
	}{
		{name: "tool", files: map[string]string{
			"go.mod":             "module example.com/acme/toolkit/v2\n\ngo 1.26\n",
			"cmd/helper/main.go": mainGo,
			"cmd/tool/main.go":   mainGo,
		}, want: []string{"# entrypoint: tool (named like the repository directory tool)", "binaries:\n  - main: ./cmd/tool\n  - main: ./cmd/helper\n"}},
		{name: "repo", files: map[string]string{
			"go.mod":            "module example.com/acme/app/v3\n\ngo 1.26\n",
			"cmd/admin/main.go": mainGo,
			"cmd/app/main.go":   mainGo,
		}, want: []string{"# entrypoint: app (named like the module example.com/acme/app/v3)", "  - main: ./cmd/app\n  - main: ./cmd/admin\n"}},
		{name: "servers", files: map[string]string{
			"go.mod":                     "module example.com/acme/servers\n\ngo 1.26\n",
			"cmd/server/main.go":         mainGo,
			"internal/tools/server/x.go": mainGo,
			"jobs/server/x.go":           mainGo,
		}, want: []string{"  - main: ./cmd/server\n  - main: ./internal/tools/server\n    name: tools-server\n  - main: ./jobs/server\n    name: jobs-server\n"}},
		// a used module whose directory is not its name: go build names it server
		{name: "renamed", files: map[string]string{
			"go.work":      "go 1.26\n\nuse (\n\t.\n\t./svc\n)\n",
			"go.mod":       "module example.com/acme/renamed\n\ngo 1.26\n",
			"tools/x/x.go": mainGo,
			"svc/go.mod":   "module example.com/acme/server\n\ngo 1.26\n",
			"svc/main.go":  mainGo,
		}, want: []string{"  - main: ./svc # module example.com/acme/server\n    name: server\n"}},
		// no root module: the module holding the entrypoint, the rest in a comment
		{name: "siblings", files: map[string]string{
			"go.work":                   "go 1.26\n\nuse (\n\t./app\n\t./worker\n)\n",
			"app/go.mod":                "module example.com/sib/app\n\ngo 1.26\n",
			"app/main.go":               mainGo,
			"worker/go.mod":             "module example.com/sib/worker\n\ngo 1.26\n",
			"worker/cmd/worker/main.go": mainGo,
			"worker/cmd/replay/main.go": mainGo,
		}, want: []string{"# Not in this spec: ./cmd/replay and ./cmd/worker of module ./worker\n# (example.com/sib/worker). Main paths cannot leave module ./app: build them\n# with a second spec that says module: worker.\n",
			"# entrypoint: app (the first main package in path order: none is named like the\n# repository directory siblings).\nmodule: app\nmain: .\n"}},
		{name: "siblings-worker", sub: "worker", files: map[string]string{
			"go.work":                   "go 1.26\n\nuse (\n\t./app\n\t./worker\n)\n",
			"app/go.mod":                "module example.com/sib/app\n\ngo 1.26\n",
			"app/main.go":               mainGo,
			"worker/go.mod":             "module example.com/sib/worker\n\ngo 1.26\n",
			"worker/cmd/worker/main.go": mainGo,
		}, want: []string{"# entrypoint: worker (named like the module example.com/sib/worker).\nmodule: worker\nmain: ./cmd/worker\n", "build with its directory (..) as the context"}},
		{name: "off", env: "off", files: map[string]string{
			"go.work":     "go 1.26\n\nuse ./a\n",
			"go.mod":      "module example.com/off\n\ngo 1.26\n",
			"main.go":     mainGo,
			"a/go.mod":    "module example.com/off/a\n\ngo 1.26\n",
			"a/a/main.go": mainGo,
		}, want: []string{"main: .\ngoenv:\n  GOWORK: \"off\"\n"}},
		{name: "unused", sub: "b", err: true, files: map[string]string{
			"go.work":   "go 1.26\n\nuse ./a\n",
			"a/go.mod":  "module example.com/a\n",
			"b/go.mod":  "module example.com/b\n",
			"b/main.go": mainGo,
		}, want: []string{"does not use it: add `use ./b` to it, or run init with GOWORK=off"}},
		{name: "outside", err: true, files: map[string]string{
			"go.work": "go 1.26\n\nuse ../x\n",
		}, want: []string{"use ../x: ../x is outside the build context"}},
		{name: "nomains", err: true, files: map[string]string{
			"go.work":  "go 1.26\n\nuse ./a\n",
			"a/go.mod": "module example.com/a\n",
			"a/a.go":   "package a\n",
		}, want: []string{"no module of the workspace"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := initTemp(t, tc.name)
			t.Setenv("GOWORK", tc.env)
			writeTree(t, root, tc.files)
			dir := filepath.Join(root, tc.sub)
			r := runCLI("init", "--dir", dir)
			if tc.err {
				if r.code != ExitFailed {
					t.Fatalf("want a failure, got %s", r)
				}
				for _, w := range tc.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("stderr lacks %q:\n%s", w, r)
					}
				}
				return
			}
			if r.code != 0 {
				t.Fatalf("%s", r)
			}
			file := filepath.Join(dir, "goscratch.yaml")
			dt, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(dt), w) {
					t.Errorf("spec lacks\n%s\ngot\n%s", w, dt)
				}
			}
			if r := runCLI("validate", "--strict", "--context", root, file); r.code != 0 {
				t.Errorf("the spec init wrote is not valid:\n%s", r)
			}
			goFindsMains(t, root, dt)
		})
	}
}
