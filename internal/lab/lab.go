// Package lab is the goscratch lab's one supervisor: a registry and a
// buildkitd (plus, on demand, extra buildkitd nodes with their own worker
// platforms), their configuration, the docker buildx remote builders on
// them, and the environment variables that point a shell at them.
//
// cmd/goscratch-lab (and the thin hack/*.sh wrappers around it) drive the
// shared lab with Up, Down, Status and Env; the integration suite and the
// benchmark start private daemons of their own with NewDaemon and
// NewRegistry, configured the same way. Only the standard library: the
// benchmark module imports it too.
package lab

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// The lab's defaults, when the environment does not say otherwise.
const (
	DefaultRegistry = "127.0.0.1:5000"
	DefaultBuilder  = "goscratch"
	// NoEgressProxy is where a lab buildkitd's own outbound HTTP(S) goes: a
	// closed loopback port, so an image missing from the local registry fails
	// fast instead of reaching a real registry.
	NoEgressProxy = "http://127.0.0.1:9"
)

// Lab is one lab instance: its state directory, its registry address and
// the name of its buildx builder. Several instances can run side by side
// (another GOSCRATCH_ENV, registry port and builder name).
type Lab struct {
	Cache    string // GOSCRATCH_CACHE: bin/ (pinned tools), stamps, caches shared by every lab
	Dir      string // GOSCRATCH_ENV: this lab's state (configs, pids, logs, data, build cache)
	Registry string // GOSCRATCH_REGISTRY: host:port of the registry, loopback
	Builder  string // GOSCRATCH_BUILDER: the buildx remote builder on the lab's buildkitd

	Out          io.Writer     // progress lines ("==> ..."); os.Stderr when nil
	ReadyTimeout time.Duration // how long a daemon may take to become ready (GOSCRATCH_READY_TIMEOUT seconds)
}

// FromEnv is the lab the environment names (getenv is os.Getenv in
// production), with the defaults of hack/env.sh: GOSCRATCH_CACHE
// ~/.cache/goscratch, GOSCRATCH_ENV $GOSCRATCH_CACHE/env, GOSCRATCH_REGISTRY
// 127.0.0.1:5000, GOSCRATCH_BUILDER goscratch.
func FromEnv(getenv func(string) string) *Lab {
	or := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	l := &Lab{Cache: or("GOSCRATCH_CACHE", filepath.Join(home, ".cache", "goscratch"))}
	l.Dir = or("GOSCRATCH_ENV", filepath.Join(l.Cache, "env"))
	l.Registry = or("GOSCRATCH_REGISTRY", DefaultRegistry)
	l.Builder = or("GOSCRATCH_BUILDER", DefaultBuilder)
	l.ReadyTimeout = 60 * time.Second
	if s := getenv("GOSCRATCH_READY_TIMEOUT"); s != "" {
		var n int
		if _, err := fmt.Sscan(s, &n); err == nil && n > 0 {
			l.ReadyTimeout = time.Duration(n) * time.Second
		}
	}
	return l
}

// Bin is where hack/install.sh puts the pinned tools (buildkitd, buildctl,
// docker-buildx, ko).
func (l *Lab) Bin() string { return filepath.Join(l.Cache, "bin") }

// Stamps is where hack/install.sh records what it built.
func (l *Lab) Stamps() string { return filepath.Join(l.Cache, "stamps") }

// Logs is this lab's log directory.
func (l *Lab) Logs() string { return filepath.Join(l.Dir, "logs") }

// Sock is the lab buildkitd's socket; Addr is its BUILDKIT_HOST.
func (l *Lab) Sock() string { return filepath.Join(l.Dir, "buildkitd.sock") }

// Addr is BUILDKIT_HOST for the lab's buildkitd.
func (l *Lab) Addr() string { return "unix://" + l.Sock() }

// Path is path with the lab's Bin first (unchanged when it is already on it).
func (l *Lab) Path(path string) string {
	for _, p := range filepath.SplitList(path) {
		if p == l.Bin() {
			return path
		}
	}
	if path == "" {
		return l.Bin()
	}
	return l.Bin() + string(os.PathListSeparator) + path
}

// Var is one exported variable.
type Var struct{ Name, Value string }

// Env is what hack/env.sh exports, in its order: GOSCRATCH_CACHE,
// GOSCRATCH_ENV, GOSCRATCH_REGISTRY, GOSCRATCH_BUILDER and BUILDX_BUILDER
// (plain `docker buildx build` uses the lab's builder), BUILDKIT_HOST (for
// buildctl and Go clients) and PATH with the pinned tools first.
func (l *Lab) Env(path string) []Var {
	return []Var{
		{"GOSCRATCH_CACHE", l.Cache},
		{"GOSCRATCH_ENV", l.Dir},
		{"GOSCRATCH_REGISTRY", l.Registry},
		{"GOSCRATCH_BUILDER", l.Builder},
		{"BUILDX_BUILDER", l.Builder},
		{"BUILDKIT_HOST", l.Addr()},
		{"PATH", l.Path(path)},
	}
}

// ExportLines renders vars as `export NAME=value` lines for a POSIX shell's eval.
func ExportLines(vars []Var) string {
	var b strings.Builder
	for _, v := range vars {
		fmt.Fprintf(&b, "export %s=%s\n", v.Name, ShellQuote(v.Value))
	}
	return b.String()
}

// ShellQuote quotes s for a POSIX shell: as it is when it holds only
// characters no shell treats specially, else in single quotes.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, special) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// special: a character some shell treats specially (anything but letters,
// digits and _-./:,@%+=).
func special(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("_-./:,@%+=", r)
}

func (l *Lab) out() io.Writer {
	if l.Out == nil {
		return os.Stderr
	}
	return l.Out
}

func (l *Lab) logf(format string, args ...any) {
	fmt.Fprintf(l.out(), "==> "+format+"\n", args...)
}

// HostArch is the GOARCH of this machine (the lab runs natively).
func HostArch() string { return runtime.GOARCH }
