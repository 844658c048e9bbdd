package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Subject is a Go module the benchmark builds with every tool.
type Subject struct {
	Name   string
	Dir    string   // module directory, relative to the repository root
	Skip   []string // top-level entries of Dir not copied (other modules, VCS)
	Main   string   // main package, relative to the module: "." or "./cmd/x"
	Binary string
	// More are further main packages built into the same image by the same
	// build (binary name = the last path element); the Dockerfile peers build
	// them with one `go build -o /out/ Main More...`, ko (one binary per
	// image) does not take part.
	More    []string
	LDFlags string
	// Spec is the goscratch spec the benchmark builds: the same image as the
	// peers (binary, CA bundle, zoneinfo, user 65532). Platforms come from
	// the request.
	Spec string
	// The one-line change: the string literal starting with EditAnchor in
	// EditFile gets a new nonce before every build (each tool its own).
	EditFile, EditAnchor string
	// The go.sum change: golang.org/x/sync-style module required at
	// ToggleVersion in one state and at go.mod's version in the other.
	ToggleModule, ToggleVersion string
}

var subjects = []Subject{
	{
		Name: "hello", Dir: "examples/hello", Main: ".", Binary: "hello",
		LDFlags:  "-s -w -X main.version=dev",
		Spec:     "main: .\nexpose: [8080]\nldflags: -s -w -X main.version={{or .Version \"dev\"}}\n",
		EditFile: "main.go", EditAnchor: "hello from goscratch",
		ToggleModule: "golang.org/x/sync", ToggleVersion: "v0.20.0",
	},
	{
		// goscratch's own frontend: 326 modules listed, 54 compiled from. The edit is in the main
		// package (a leaf: only it recompiles, then the link).
		Name: "frontend", Dir: ".", Skip: []string{".git", "bench", ".cache", "bin"},
		Main: "./cmd/goscratch-frontend", Binary: "goscratch-frontend", LDFlags: "-s -w",
		Spec:     "main: ./cmd/goscratch-frontend\n",
		EditFile: "cmd/goscratch-frontend/main.go", EditAnchor: "goscratch: ",
		ToggleModule: "golang.org/x/sync", ToggleVersion: "v0.24.0",
	},
	{
		// A service with a popular dependency set (Kubernetes client, gRPC,
		// AWS/GCP/Azure SDKs, OpenTelemetry with OTLP, Prometheus, ...): 300+
		// modules. Its own module (bench/subjects/services), so neither the
		// root module nor the bench module sees its requirements.
		Name: "big", Dir: bigDir, Main: "./cmd/server", Binary: "server", LDFlags: "-s -w",
		Spec:     "main: ./cmd/server\n",
		EditFile: "cmd/server/main.go", EditAnchor: "services: ",
		ToggleModule: "golang.org/x/sync", ToggleVersion: "v0.24.0",
	},
	{
		// The same module, two binaries in one image: the server and its
		// small CLI, one spec with binaries:, one go build for the peers.
		Name: "big2bin", Dir: bigDir, Main: "./cmd/server", Binary: "server", More: []string{"./cmd/svcctl"},
		LDFlags:  "-s -w",
		Spec:     "binaries: [./cmd/server, ./cmd/svcctl]\n",
		EditFile: "cmd/server/main.go", EditAnchor: "services: ",
		ToggleModule: "golang.org/x/sync", ToggleVersion: "v0.24.0",
	},
}

// bigDir is the big subject's module; it has its own go.mod and go.sum.
const bigDir = "bench/subjects/services"

// mains is every main package the subject builds, the entrypoint first.
func (s Subject) mains() []string { return append([]string{s.Main}, s.More...) }

// multiBinary: the image holds more than one binary.
func (s Subject) multiBinary() bool { return len(s.More) > 0 }

func subjectByName(name string) (Subject, bool) {
	for _, s := range subjects {
		if s.Name == name {
			return s, true
		}
	}
	return Subject{}, false
}

// countModules is the number of modules the subject depends on: the lines of
// `go list -m all` less the main module (env: a host Go environment with
// the counting proxy, which the go.mod files of the graph come through).
func countModules(dir string, env []string) (int, error) {
	out, err := goList(dir, env, "-m", "all")
	if err != nil {
		return 0, err
	}
	return len(strings.Split(strings.TrimSpace(out), "\n")) - 1, nil // a line per module: path and version
}

// countCompiledModules is the number of modules the subject's build compiles
// packages from, its own included: the distinct modules of `go list -deps`
// of its main packages for linux/amd64. It is what the build's work grows
// with; `go list -m all` also lists every module of the go.mod graph that
// no imported package comes from (the frontend subject: 326 against 54).
func countCompiledModules(dir string, env, mains []string) (int, error) {
	out, err := goList(dir, append(slices.Clone(env), "GOOS=linux", "GOARCH=amd64"),
		append([]string{"-deps", "-f", "{{with .Module}}{{.Path}}{{end}}"}, mains...)...)
	if err != nil {
		return 0, err
	}
	seen := map[string]bool{}
	for _, m := range strings.Fields(out) {
		seen[m] = true
	}
	return len(seen), nil
}

// goList runs go list args in dir with env; its error carries the end of
// go's stderr.
func goList(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir, cmd.Env = dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list %s in %s: %v\n%s", strings.Join(args, " "), dir, err, tail(stderr.String(), 5))
	}
	return string(out), nil
}

// workspace is a private copy of a subject that the bench edits; the
// repository is never modified.
type workspace struct {
	Subject
	dir              string // the copy (build context)
	defs             string // spec, Dockerfile, .ko.yaml (outside the context)
	origEdit         []byte
	goMod, goSum     [2][]byte // [0] as in the repository, [1] with ToggleVersion
	edits, modToggle int
}

func newWorkspace(s Subject, repo, work string) (*workspace, error) {
	w := &workspace{Subject: s, dir: filepath.Join(work, "ctx", s.Name), defs: filepath.Join(work, "defs", s.Name)}
	if err := os.RemoveAll(w.dir); err != nil {
		return nil, err
	}
	if err := copyTree(filepath.Join(repo, s.Dir), w.dir, s.Skip); err != nil {
		return nil, err
	}
	var err error
	if w.origEdit, err = os.ReadFile(filepath.Join(w.dir, s.EditFile)); err != nil {
		return nil, err
	}
	if !bytes.Contains(w.origEdit, []byte(`"`+s.EditAnchor)) {
		return nil, fmt.Errorf("%s: %s has no string literal starting %q", s.Name, s.EditFile, s.EditAnchor)
	}
	if w.goMod[0], err = os.ReadFile(filepath.Join(w.dir, "go.mod")); err != nil {
		return nil, err
	}
	if w.goSum[0], err = os.ReadFile(filepath.Join(w.dir, "go.sum")); err != nil {
		return nil, err
	}
	return w, os.MkdirAll(w.defs, 0o755)
}

// prepareToggle computes the go.mod/go.sum of the other state with `go get`
// (through the counting proxy), then restores the original.
func (w *workspace) prepareToggle(env []string) error {
	cmd := exec.Command("go", "get", w.ToggleModule+"@"+w.ToggleVersion)
	cmd.Dir, cmd.Env = w.dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: go get %s@%s: %v\n%s", w.Name, w.ToggleModule, w.ToggleVersion, err, out)
	}
	var err error
	if w.goMod[1], err = os.ReadFile(filepath.Join(w.dir, "go.mod")); err != nil {
		return err
	}
	if w.goSum[1], err = os.ReadFile(filepath.Join(w.dir, "go.sum")); err != nil {
		return err
	}
	if bytes.Equal(w.goSum[0], w.goSum[1]) {
		return fmt.Errorf("%s: go get %s@%s left go.sum unchanged", w.Name, w.ToggleModule, w.ToggleVersion)
	}
	return w.reset()
}

// reset puts the sources back as in the repository.
func (w *workspace) reset() error {
	if err := os.WriteFile(filepath.Join(w.dir, w.EditFile), w.origEdit, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(w.dir, "go.mod"), w.goMod[0], 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(w.dir, "go.sum"), w.goSum[0], 0o644)
}

func nonce() string { return fmt.Sprintf("bench-%x", time.Now().UnixNano()) }

// editSource is the one-line change: the anchored string literal gets a new
// nonce (a real change every time, never a state BuildKit saw before).
func (w *workspace) editSource() error {
	w.edits++
	old := `"` + w.EditAnchor
	edited := bytes.Replace(w.origEdit, []byte(old), []byte(old+nonce()+" "), 1)
	return os.WriteFile(filepath.Join(w.dir, w.EditFile), edited, 0o644)
}

// changeGoSum flips the toggled requirement (go.sum changes for real) and
// adds a nonce comment to go.mod, so the state is new to every cache.
func (w *workspace) changeGoSum() error {
	if w.goMod[1] == nil {
		return fmt.Errorf("%s: go.sum toggle not prepared", w.Name)
	}
	w.modToggle ^= 1
	mod := append(bytes.Clone(w.goMod[w.modToggle]), []byte("\n// "+nonce()+"\n")...)
	if err := os.WriteFile(filepath.Join(w.dir, "go.mod"), mod, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(w.dir, "go.sum"), w.goSum[w.modToggle], 0o644)
}

// copyTree copies regular files, directories and symlinks from src to dst,
// skipping the top-level names in skip.
func copyTree(src, dst string, skip []string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		top := strings.SplitN(rel, string(filepath.Separator), 2)[0]
		for _, s := range skip {
			if top == s {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode()&fs.ModeSymlink != 0:
			l, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(l, target)
		case info.Mode().IsRegular():
			return copyFile(p, target, info.Mode().Perm())
		}
		return nil
	})
}

func copyFile(src, dst string, mode fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
