package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestBuildHints(t *testing.T) {
	for _, tc := range []struct {
		name, stderr, cgo string
		want              string // "" = no hint
	}{
		{"cgo-only package", "package example.com/app\n\timports github.com/mattn/go-sqlite3: build constraints exclude all Go files in /goscratch/modcache/github.com/mattn/go-sqlite3@v1.14.22\n", "0",
			"github.com/mattn/go-sqlite3@v1.14.22 needs cgo"},
		{"package of the context", "\timports example.com/app/clib: build constraints exclude all Go files in /goscratch/src/clib\n", "0",
			"the build failed because ./clib needs cgo"},
		{"undefined C", "./db.go:12:2: undefined: C.sqlite3_open\n", "",
			"a package needs cgo"},
		{"no compiler", `cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in $PATH`, "1",
			"needs a C compiler (gcc)"},
		{"main directory missing", "stat /goscratch/src/cmd/nope: directory not found\n", "1",
			"./cmd/nope is not a directory of the build context"},
		{"compile error", "./main.go:3:1: syntax error: non-declaration statement outside function body\n", "0", ""},
		{"cgo on, constraint", "build constraints exclude all Go files in /src/win\n", "1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(buildHints(tc.stderr, tc.cgo), "\n")
			if tc.want == "" {
				if got != "" {
					t.Errorf("hint %q for an unrelated failure", got)
				}
				return
			}
			if !strings.Contains(got, tc.want) || (tc.cgo != "1" && !strings.Contains(got, "CGO_ENABLED=0")) {
				t.Errorf("hints %q, want %q", got, tc.want)
			}
		})
	}
}

func TestExecName(t *testing.T) {
	for _, tc := range []struct{ mod, pkg, want string }{
		{"example.com/app", ".", "app"},
		{"example.com/app", "./cmd/server", "server"},
		{"example.com/app/v2", ".", "app"},
		{"example.com/app/v2", "./cmd/v3", "cmd"},
		{"example.com/app", "./cmd/v1", "v1"},
		{"example.com/app", "./cmd/v0", "v0"},
		{"app", ".", "app"},
		{"example.com/app", "./tools/v2x", "v2x"},
	} {
		if got := execName(tc.mod, tc.pkg); got != tc.want {
			t.Errorf("execName(%q, %q) = %q, want %q", tc.mod, tc.pkg, got, tc.want)
		}
	}
}

func TestModulePath(t *testing.T) {
	for _, tc := range []struct{ gomod, want string }{
		{"module example.com/app\n\ngo 1.26\n", "example.com/app"},
		{"// comment\nmodule \"example.com/q\" // trailing\n", "example.com/q"},
		{"module\texample.com/tab\n", "example.com/tab"},
		{"modulex example.com/no\n", ""},
	} {
		f := filepath.Join(t.TempDir(), "go.mod")
		if err := os.WriteFile(f, []byte(tc.gomod), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := modulePath(f)
		if got != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("%q: %q, %v; want %q", tc.gomod, got, err, tc.want)
		}
	}
}

// TestBuildAll builds two binaries under names of their own with the real
// go command, in one invocation, and two whose go names collide one by one.
func TestBuildAll(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	files := map[string]string{
		"go.mod":             "module example.com/m/v2\n\ngo 1.22\n",
		"cmd/api/main.go":    "package main\n\nfunc main() { println(\"api\") }\n",
		"cmd/tool/main.go":   "package main\n\nfunc main() { println(\"tool 1\") }\n",
		"tools/tool/main.go": "package main\n\nfunc main() { println(\"tool 2\") }\n",
	}
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var calls [][]string
	run := func(args ...string) int {
		calls = append(calls, args)
		cmd := exec.Command("go", append([]string{"build"}, args...)...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Logf("go build %q: %v\n%s", args, err, out)
			return 1
		}
		return 0
	}
	for _, tc := range []struct {
		exes  []string
		calls int
	}{
		{[]string{"server=./cmd/api", "cli=./cmd/tool"}, 1},
		{[]string{"one=./cmd/tool", "two=./tools/tool"}, 2}, // both "tool" to go
	} {
		out := filepath.Join(dir, "out")
		calls = nil
		if code := buildAll(run, out, tc.exes, []string{"-trimpath"}); code != 0 {
			t.Fatalf("%q: exit %d", tc.exes, code)
		}
		if len(calls) != tc.calls {
			t.Errorf("%q: %d go builds %q, want %d", tc.exes, len(calls), calls, tc.calls)
		}
		entries, _ := os.ReadDir(out)
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		var want []string
		for _, e := range tc.exes {
			name, _, _ := strings.Cut(e, "=")
			want = append(want, name)
		}
		if strings.Join(got, ",") != strings.Join(slices.Sorted(slices.Values(want)), ",") {
			t.Errorf("%q: out has %q, want exactly %q", tc.exes, got, want)
		}
		if err := os.RemoveAll(out); err != nil {
			t.Fatal(err)
		}
	}
}
