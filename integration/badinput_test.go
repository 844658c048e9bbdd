package integration

import (
	"context"
	"github.com/goscratch/goscratch/internal/golden"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
)

// Capability: bad input fails loudly and helpfully. Every case of the
// catalog — each bad spec of spec/testdata and each broken project below —
// is built through the real frontend on the real buildkitd, and what the
// user sees (the error, and the output of the step that failed) must equal
// testdata/badinput/<case>.golden after the volatile parts (temp dirs,
// digests, ids) are normalised. `go test ./integration -run TestBadInput
// -update` rewrites the golden files; read the diff before committing it.

// badCase is one project tree and build request that must fail.
type badCase struct {
	name  string
	tree  func(t *testing.T, l *lab) string // the context (also holds the spec)
	spec  string                            // the spec's file name in the tree
	attrs map[string]string                 // frontend attributes: platform, target, build-arg:...
	// want are what the golden file must say besides matching: the spec
	// position or module, and what to do. A golden file rewritten with a
	// worse message fails here.
	want []string
}

func TestBadInputCatalog(t *testing.T) {
	l := requireLab(t)
	cases := append(specCases(t), projectCases()...)
	if len(cases) < 40 {
		t.Fatalf("the catalog has %d cases, want at least 40", len(cases))
	}
	// the same daemon builds another spec to the same digest afterwards
	victim := repoPath("examples/hello")
	before := digestOf(l.pushSpec(t, victim, "goscratch.yaml", map[string]string{"platform": "linux/amd64"}))
	budget := newBudget()
	t.Cleanup(func() {
		budget.report(t)
		after := digestOf(l.pushSpec(t, victim, "goscratch.yaml", map[string]string{"platform": "linux/amd64", "no-cache": ""}))
		if after != before {
			t.Errorf("after the catalog examples/hello builds to %s, before it %s", after, before)
		}
	})
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.name] {
			t.Fatalf("two cases named %s", c.name)
		}
		seen[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := c.tree(t, l)
			attrs := map[string]string{"platform": "linux/amd64", "build-arg:" + statsArg: "1"}
			for k, v := range c.attrs {
				attrs[k] = strings.ReplaceAll(v, "$REGISTRY", l.Registry)
			}
			_, p, err := l.solveSpec(t, dir, c.spec, attrs)
			if err == nil {
				t.Fatal("the build succeeded")
			}
			budget.check(t, c.name, p)
			got := normalise(report(err, p), dir, l)
			golden.Check(t, filepath.Join("testdata", "badinput", c.name+".golden"), got)
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("what the user sees lacks %q:\n%s", w, got)
				}
			}
		})
	}
	t.Logf("bad-input catalog: %d cases", len(cases))
}

// specCases are the bad specs of the parser's golden cases, each built as
// the spec of examples/hello. The frontend must say exactly what the parser
// says (spec/testdata/<case>/expected.txt), at the same lines.
func specCases(t *testing.T) []badCase {
	dirs, err := filepath.Glob(repoPath("spec/testdata/err-*"))
	if err != nil || len(dirs) < 30 {
		t.Fatalf("found %d bad specs in spec/testdata (%v)", len(dirs), err)
	}
	var out []badCase
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(d, "spec.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		expected, err := os.ReadFile(filepath.Join(d, "expected.txt"))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, line := range strings.Split(strings.TrimSpace(string(expected)), "\n") {
			want = append(want, strings.TrimSpace(line))
		}
		out = append(out, badCase{
			name: "spec-" + strings.TrimPrefix(filepath.Base(d), "err-"),
			tree: func(t *testing.T, _ *lab) string {
				dir := copyDir(t, repoPath("examples/hello"))
				writeFile(t, filepath.Join(dir, "spec.yaml"), string(data))
				return dir
			},
			spec: "spec.yaml",
			want: want,
		})
	}
	return out
}

const helloMain = "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n"

// hello is examples/hello with files (slash paths) written over it.
func hello(files map[string]string) func(*testing.T, *lab) string {
	return func(t *testing.T, _ *lab) string {
		dir := copyDir(t, repoPath("examples/hello"))
		for name, content := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			writeFile(t, p, content)
		}
		return dir
	}
}

// tree is a new project of files, then symlinks (name -> target) in it.
func tree(files map[string]string, links map[string]string) func(*testing.T, *lab) string {
	return func(t *testing.T, _ *lab) string {
		dir := writeTree(t, files)
		for name, target := range links {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
}

// freshModCache gives a case its own module cache mount, so what it
// downloads (or fails to) does not depend on earlier builds.
func freshModCache(attrs map[string]string) map[string]string {
	attrs["build-arg:BUILDKIT_CACHE_MOUNT_NS"] = "it-badinput-" + nonce() + "-"
	return attrs
}

// tamperedSum is examples/hello's go.sum with the zip hash of its one
// dependency replaced.
const tamperedSum = "golang.org/x/sync v0.19.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n" +
	"golang.org/x/sync v0.19.0/go.mod h1:9KTHXmSnoGruLpwFjVSX0lNNA75CykiMECbovNTZqGI=\n"

func projectCases() []badCase {
	spec := "main: .\n"
	return []badCase{
		{name: "project-no-go-mod", spec: "goscratch.yaml",
			tree: tree(map[string]string{"main.go": helloMain, "goscratch.yaml": spec}, nil),
			want: []string{"goscratch.yaml", "no go.mod at go.mod", "point `module:`"}},
		{name: "project-ignored-go-mod", spec: "goscratch.yaml",
			tree: hello(map[string]string{".dockerignore": "*\n!app\n", "app": "a prebuilt binary\n"}),
			want: []string{"no go.mod at go.mod", "ignore patterns leave it out", "goscratch.yaml.dockerignore"}},
		{name: "project-module-dir-missing", spec: "goscratch.yaml",
			tree: hello(map[string]string{"goscratch.yaml": "module: services/api\nmain: .\n"}),
			want: []string{"goscratch.yaml:1:1: module:", "services/api/go.mod"}},
		{name: "project-bad-go-mod", spec: "goscratch.yaml",
			tree: hello(map[string]string{"go.mod": "module example.com/hello\n\ngo banana\n", "goscratch.yaml": spec}),
			want: []string{"go.mod"}},
		{name: "project-main-not-found", spec: "goscratch.yaml",
			tree: hello(map[string]string{"goscratch.yaml": "main: ./cmd/nope\n"}),
			want: []string{"go build ./cmd/nope", "./cmd/nope is not a directory of the build context"}},
		{name: "project-main-not-main-package", spec: "goscratch.yaml",
			tree: hello(map[string]string{"goscratch.yaml": "main: ./lib\n", "lib/lib.go": "package lib\n\nfunc X() {}\n"}),
			want: []string{"/usr/local/bin/lib", "is not package main"}},
		{name: "project-compile-error", spec: "goscratch.yaml",
			tree: hello(map[string]string{"goscratch.yaml": spec, "broken.go": "package main\n\nvar broken int = \"not an int\"\n"}),
			want: []string{"[linux/amd64] go build .", "broken.go:3:18", "cannot use"}},
		{name: "project-missing-go-sum", spec: "goscratch.yaml",
			tree: func(t *testing.T, l *lab) string {
				dir := hello(map[string]string{"goscratch.yaml": spec})(t, l)
				if err := os.Remove(filepath.Join(dir, "go.sum")); err != nil {
					t.Fatal(err)
				}
				return dir
			},
			want: []string{"no go.sum in the build context", "golang.org/x/sync@v0.19.0", "go mod tidy"}},
		{name: "project-go-sum-missing-entry", spec: "goscratch.yaml",
			tree: hello(map[string]string{"goscratch.yaml": spec, "go.sum": "golang.org/x/sync v0.18.0/go.mod h1:9KTHXmSnoGruLpwFjVSX0lNNA75CykiMECbovNTZqGI=\n"}),
			want: []string{"go.sum has no entry for golang.org/x/sync@v0.19.0", "go mod tidy"}},
		{name: "project-tampered-go-sum", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": spec, "go.sum": tamperedSum}),
			attrs: freshModCache(map[string]string{}),
			want:  []string{"golang.org/x/sync@v0.19.0: checksum mismatch", "SECURITY ERROR"}},
		{name: "project-module-proxy-off", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": spec}),
			attrs: freshModCache(map[string]string{"build-arg:GOPROXY": "off"}),
			want:  []string{"golang.org/x/sync@v0.19.0", "GOPROXY=off"}},
		{name: "project-cgo-only-dependency", spec: "goscratch.yaml",
			tree: tree(map[string]string{
				"go.mod":         "module example.com/needscgo\n\ngo 1.26\n",
				"main.go":        "package main\n\nimport \"example.com/needscgo/clib\"\n\nfunc main() { clib.Hello() }\n",
				"clib/clib.go":   "package clib\n\n// #include <stdio.h>\n// static void hello(void) { puts(\"hello\"); }\nimport \"C\"\n\nfunc Hello() { C.hello() }\n",
				"goscratch.yaml": spec,
			}, nil),
			want: []string{"example.com/needscgo/clib", "needs cgo", "CGO_ENABLED=0"}},
		{name: "project-builder-not-go", spec: "goscratch.yaml",
			tree: func(t *testing.T, l *lab) string {
				notGo := pushNotGoImage(t, l)
				return hello(map[string]string{"goscratch.yaml": "builder: " + notGo + "\nmain: .\n"})(t, l)
			},
			want: []string{"goscratch.yaml:1:1: builder:", "has no go command", "golang:1.26"}},
		{name: "project-builder-missing", spec: "goscratch.yaml",
			tree: func(t *testing.T, l *lab) string {
				return hello(map[string]string{"goscratch.yaml": "builder: " + l.Registry + "/it/no-such-builder:v1\nmain: .\n"})(t, l)
			},
			want: []string{"goscratch.yaml:1:1: builder:", "no-such-builder:v1", "not found", "push it to the registry"}},
		{name: "project-go-version-without-image", spec: "goscratch.yaml",
			tree: hello(map[string]string{"go.mod": "module example.com/hello\n\ngo 1.19.13\n", "goscratch.yaml": spec}),
			want: []string{"builder image golang:1.19.13", "not found", "go or toolchain line of go.mod", "--build-context golang:1.19.13="}},
		{name: "project-named-context-missing", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": spec}),
			attrs: map[string]string{"context:golang:1.26.8": "docker-image://$REGISTRY/it/no-such-context:v1"},
			want:  []string{"--build-context golang:1.26.8", "no-such-context:v1", "not found"}},
		{name: "project-file-src-missing", spec: "goscratch.yaml",
			tree: hello(map[string]string{"goscratch.yaml": "main: .\nfiles:\n  - {src: config/app.yaml, dst: /etc/app.yaml}\n"}),
			want: []string{"goscratch.yaml:3:5: files[0].src", `"config" is not in the build context`, ".dockerignore"}},
		{name: "project-symlink-absolute", spec: "goscratch.yaml",
			tree: tree(map[string]string{"go.mod": "module example.com/app\n\ngo 1.26\n", "main.go": helloMain,
				"goscratch.yaml": "main: .\nfiles:\n  - {src: passwd, dst: /etc/app/passwd}\n"},
				map[string]string{"passwd": "/etc/passwd"}),
			want: []string{"goscratch.yaml:3:5: files[0].src", `"passwd" is a symlink to "/etc/passwd", outside the build context`}},
		{name: "project-symlink-relative-escape", spec: "goscratch.yaml",
			tree: tree(map[string]string{"go.mod": "module example.com/app\n\ngo 1.26\n", "main.go": helloMain,
				"goscratch.yaml": "main: .\nfiles:\n  - {src: conf/app.yaml, dst: /etc/app.yaml}\n"},
				map[string]string{"conf/app.yaml": "../../outside/app.yaml"}),
			want: []string{"goscratch.yaml:3:5: files[0].src", `"conf/app.yaml" is a symlink to "../../outside/app.yaml", outside the build context`}},
		{name: "project-symlink-dir-escape", spec: "goscratch.yaml",
			tree: tree(map[string]string{"go.mod": "module example.com/app\n\ngo 1.26\n", "main.go": helloMain,
				"goscratch.yaml": "main: .\nfiles:\n  - {src: ssl/certs/ca.pem, dst: /etc/ca.pem}\n"},
				map[string]string{"ssl": "/etc/ssl"}),
			want: []string{"goscratch.yaml:3:5: files[0].src", `"ssl" is a symlink to "/etc/ssl", outside the build context`}},
		{name: "project-symlink-loop", spec: "goscratch.yaml",
			tree: tree(map[string]string{"go.mod": "module example.com/app\n\ngo 1.26\n", "main.go": helloMain,
				"goscratch.yaml": "main: .\nfiles:\n  - {src: a, dst: /a}\n"},
				map[string]string{"a": "b", "b": "a"}),
			want: []string{"goscratch.yaml:3:5: files[0].src", "symlinks"}},
		{name: "request-platform-windows", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": spec}),
			attrs: map[string]string{"platform": "windows/amd64"},
			want:  []string{"windows/amd64", "linux"}},
		{name: "request-platform-bad-variant", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": spec}),
			attrs: map[string]string{"platform": "linux/arm/v9"},
			want:  []string{"linux/arm/v9"}},
		{name: "request-target-missing", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": "main: .\ntargets:\n  debug: {user: root}\n"}),
			attrs: map[string]string{"target": "nope"},
			want:  []string{"nope", "debug"}},
		{name: "request-source-date-epoch", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": spec}),
			attrs: map[string]string{"build-arg:SOURCE_DATE_EPOCH": "yesterday"},
			want:  []string{`SOURCE_DATE_EPOCH="yesterday"`, "Unix seconds"}},
		{name: "request-goproxy-credentials", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": spec}),
			attrs: map[string]string{"build-arg:GOPROXY": "https://ci:hunter2@proxy.example"},
			want:  []string{"GOPROXY", "--secret"}},
		// issue 15: hostile input on a shared builder
		{name: "project-symlink-chain", spec: "goscratch.yaml",
			// a -> b/b/.../b (30 times) with b -> . would cost 2^30 lookups
			tree: tree(map[string]string{"go.mod": "module example.com/app\n\ngo 1.26\n", "main.go": helloMain,
				"goscratch.yaml": "main: .\nfiles:\n  - {src: a, dst: /a}\n"},
				map[string]string{"b": ".", "a": strings.TrimSuffix(strings.Repeat("b/", 30), "/")}),
			want: []string{"goscratch.yaml:3:5: files[0].src", "nest too deeply"}},
		{name: "request-goproxy-credentials-noscheme", spec: "goscratch.yaml",
			tree:  hello(map[string]string{"goscratch.yaml": spec}),
			attrs: map[string]string{"build-arg:GOPROXY": "proxy.example,ci:hunter2@proxy2.example"},
			want:  []string{"GOPROXY holds credentials (ci:xxxxx@proxy2.example)", "netrc"}},
		{name: "spec-goproxy-credentials-noscheme", spec: "goscratch.yaml",
			tree: hello(map[string]string{"goscratch.yaml": "main: .\ngoenv: {GOPROXY: \"u:tok@proxy.example\"}\n"}),
			want: []string{"goscratch.yaml:2:", "goenv.GOPROXY", "u:xxxxx@proxy.example"}},
		{name: "spec-goenv-replaces-go", spec: "goscratch.yaml",
			tree: hello(map[string]string{"goscratch.yaml": "main: .\ngoenv:\n  PATH: /goscratch/src/bin\n  GOAUTH: /goscratch/src/steal.sh\n"}),
			want: []string{"goscratch.yaml:3:", "PATH cannot be set in goenv", "goscratch.yaml:4:", "GOAUTH runs"}},
	}
}

// pushNotGoImage pushes a small image with no Go toolchain (one file on
// scratch) to the lab registry and returns its name.
func pushNotGoImage(t *testing.T, l *lab) string {
	t.Helper()
	ref := l.Registry + "/it/not-a-go-image:v1"
	st := llb.Scratch().File(llb.Mkfile("/README", 0o644, []byte("this image has no Go toolchain\n")))
	def, err := st.Marshal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := l.client(t).Solve(ctx, def, client.SolveOpt{Exports: []client.ExportEntry{{
		Type:  client.ExporterImage,
		Attrs: map[string]string{"name": ref, "push": "true"},
	}}}, nil); err != nil {
		t.Fatalf("push %s: %v", ref, err)
	}
	return ref
}

// report is what the user sees of a failed build: the error, then each
// failed step's name and output.
func report(err error, p *progress) string {
	var b strings.Builder
	b.WriteString("error: " + err.Error() + "\n")
	p.mu.Lock()
	defer p.mu.Unlock()
	var failed []string
	for dgst, v := range p.vertexes {
		if v.Error == "" || strings.Contains(v.Error, "context canceled") {
			continue
		}
		var s strings.Builder
		s.WriteString("\nfailed step: " + v.Name + "\n")
		for _, line := range strings.Split(strings.TrimRight(string(p.logs[dgst]), "\n"), "\n") {
			if line != "" && !strings.HasPrefix(line, "go: downloading ") {
				s.WriteString("| " + line + "\n")
			}
		}
		failed = append(failed, s.String())
	}
	slices.Sort(failed)
	for _, f := range failed {
		b.WriteString(f)
	}
	return b.String()
}

var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`sha256:[0-9a-f]{64}`), "sha256:<digest>"},
	{regexp.MustCompile(`\b[0-9a-z]{25}\b`), "<id>"},
	{regexp.MustCompile(`h1:[A-Za-z0-9+/]{43}=`), "h1:<hash>"},
	{regexp.MustCompile(`it-badinput-[0-9a-f]{8}-`), "<cache-ns>"},
	{regexp.MustCompile(`rpc error: code = \w+ desc = `), ""},
	{regexp.MustCompile(`/tmp/go-build[0-9]+`), "<gobuild>"},
}

// normalise replaces what changes from run to run.
func normalise(s, dir string, l *lab) string {
	s = strings.ReplaceAll(s, dir, "<dir>")
	s = strings.ReplaceAll(s, l.Frontend, "<frontend>")
	s = strings.ReplaceAll(s, l.Registry, "<registry>")
	for _, v := range volatile {
		s = v.re.ReplaceAllString(s, v.with)
	}
	return s
}
