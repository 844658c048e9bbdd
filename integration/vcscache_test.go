package integration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/client"
)

// Capability: a module fetched straight from its git repository leaves no
// clone in what --cache-to exports. The go command keeps a bare clone of
// every repository it fetches directly in the module cache's cache/vcs
// (every branch and tag of a private repository); the module cache layer
// that the layers cache mode exports holds the module's extracted tree and
// nothing of that clone.
//
// The repository is served by `git http-backend` on 127.0.0.1 behind a
// plain HTTP proxy: the build's goenv points http_proxy at it, so the go
// command and git reach "git.goscratch.test" without any name resolution.

const vcsHost = "git.goscratch.test"

// gitServer serves the bare repositories under root, and the go-get meta
// page for each, to requests sent through it as an HTTP proxy.
type gitServer struct {
	root string
	addr string
}

func startGitServer(t *testing.T, root string) *gitServer {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	s := &gitServer{root: root}
	backend := &cgi.Handler{Path: git, Args: []string{"http-backend"}, Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect || (r.Host != vcsHost && r.URL.Host != vcsHost) {
			http.Error(w, "only "+vcsHost+" over http", http.StatusForbidden)
			return
		}
		if r.URL.Query().Get("go-get") == "1" {
			repo := strings.Trim(r.URL.Path, "/")
			fmt.Fprintf(w, `<html><head><meta name="go-import" content="%s/%s git http://%s/%s.git"></head></html>`, vcsHost, repo, vcsHost, repo)
			return
		}
		backend.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	s.addr = ln.Addr().String()
	return s
}

// goenv is what a go command needs to fetch from s directly.
func (s *gitServer) goenv() map[string]string {
	return map[string]string{
		"GOPRIVATE":  vcsHost,
		"GOINSECURE": vcsHost,
		"http_proxy": "http://" + s.addr,
		"HTTP_PROXY": "http://" + s.addr,
	}
}

// makeRepo makes a bare repository name.git under root with a tagged
// module on main and a branch no module version includes.
func makeRepo(t *testing.T, root, name, branchMarker string) {
	t.Helper()
	work := t.TempDir()
	gitRun := func(dir string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t", "GIT_CONFIG_NOSYSTEM=1", "HOME="+work)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	writeFile(t, filepath.Join(work, "go.mod"), "module "+vcsHost+"/"+name+"\n\ngo 1.22\n")
	writeFile(t, filepath.Join(work, "secret.go"), "package "+name+"\n\n// Word is what the module gives.\nconst Word = \"fetched straight from git\"\n")
	gitRun(work, "init", "-q", "-b", "main")
	gitRun(work, "add", ".")
	gitRun(work, "commit", "-q", "-m", "v1")
	gitRun(work, "tag", "v1.0.0")
	gitRun(work, "checkout", "-q", "-b", "unreleased")
	writeFile(t, filepath.Join(work, "plans.txt"), branchMarker)
	gitRun(work, "add", ".")
	gitRun(work, "commit", "-q", "-m", "not for release")
	gitRun(root, "clone", "-q", "--bare", work, name+".git")
}

// sumLines asks the host's go command (through s, on loopback) for the
// go.sum lines of mod.
func (s *gitServer) sumLines(t *testing.T, mod string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", mod)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOMODCACHE="+t.TempDir(), "GOFLAGS=-modcacherw", "GOPROXY=off", "GONOSUMDB="+vcsHost)
	for k, v := range s.goenv() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "GOPROXY=direct")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go mod download %s through the git server: %v\n%s", mod, err, out)
	}
	var m struct{ Path, Version, Sum, GoModSum string }
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n", m.Path, m.Version, m.Sum, m.Path, m.Version, m.GoModSum)
}

func TestDirectFetchLeavesNoCloneInTheExportedCache(t *testing.T) {
	l := requireLab(t)
	root := t.TempDir()
	marker := "unreleased-plans-" + nonce()
	makeRepo(t, root, "secretrepo", marker)
	gs := startGitServer(t, root)
	mod := vcsHost + "/secretrepo"

	var goenv strings.Builder
	for k, v := range gs.goenv() {
		fmt.Fprintf(&goenv, "  %s: %q\n", k, v)
	}
	dir := writeTree(t, map[string]string{
		"go.mod":         "module example.com/direct\n\ngo 1.26\n\nrequire " + mod + " v1.0.0\n",
		"go.sum":         gs.sumLines(t, mod+"@v1.0.0"),
		"main.go":        "package main\n\nimport \"" + mod + "\"\n\nfunc main() { println(secretrepo.Word) }\n",
		"goscratch.yaml": "builder: golang:1.26-bookworm\nmain: .\ngoenv:\n" + goenv.String(),
	})
	cache := t.TempDir()
	_, p, err := l.solveSpecWith(t, dir, "goscratch.yaml", map[string]string{
		"platform":                          "linux/amd64",
		"build-arg:GOSCRATCH_CACHE":         "layers",
		"build-arg:BUILDKIT_CACHE_MOUNT_NS": "it-vcs-" + nonce() + "-",
	}, func(o *client.SolveOpt) {
		o.CacheExports = append(o.CacheExports, client.CacheOptionsEntry{Type: "local", Attrs: map[string]string{"mode": "max", "dest": cache}})
	})
	if err != nil {
		t.Fatalf("build with a module fetched from git: %v\n%s", err, p.allLogs())
	}
	var tree, clones, leaks int
	files := scanDir(t, cache, func(where string, dt []byte) {
		if bytes.Contains(dt, []byte(mod+"@v1.0.0/secret.go")) {
			tree++
		}
		if bytes.Contains(dt, []byte("cache/vcs/")) {
			clones++
			t.Errorf("%s holds a cache/vcs path: the bare clone of %s was exported", where, mod)
		}
		if bytes.Contains(dt, []byte(marker)) {
			leaks++
			t.Errorf("%s holds the unreleased branch's content", where)
		}
	})
	if tree == 0 {
		t.Fatalf("no blob of the %d-file cache export holds the module's tree: the check proves nothing", files)
	}
	t.Logf("%d files exported; the module tree is in %d, cache/vcs in %d, the unreleased branch in %d", files, tree, clones, leaks)
}
