package lab

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Daemon is one buildkitd with its own config, root, socket, log and pid
// file, configured as every lab daemon is (BuildkitdConfig): the OCI worker
// on runc with host networking, the lab registry over plain HTTP and as the
// docker.io/ghcr.io mirror, and a dead loopback egress proxy.
type Daemon struct {
	Name      string   // for messages (and the buildx node name of a lab node)
	Config    string   // buildkitd.toml, written by Start
	Sock      string   // its unix socket
	Root      string   // its state
	Log       string   // its stdout and stderr, appended
	PidFile   string   // its pid, while it runs
	Registry  string   // the lab registry
	Insecure  []string // more registries it reaches over plain HTTP (a test's own)
	Platforms []string // the worker's platforms (--oci-worker-platform); none: the host's
	Binary    string   // the buildkitd executable (an older version's for make test-compat); "": buildkitd on PATH

	ReadyTimeout time.Duration // 60 s when zero

	p *proc
}

// NewDaemon is a private buildkitd with everything under dir:
// dir/buildkitd.toml, dir/buildkitd.sock, dir/root, dir/buildkitd.log and
// dir/buildkitd.pid. Nothing runs until Start.
func NewDaemon(dir, registry string) *Daemon {
	return &Daemon{
		Name:     "buildkitd " + dir,
		Config:   filepath.Join(dir, "buildkitd.toml"),
		Sock:     filepath.Join(dir, "buildkitd.sock"),
		Root:     filepath.Join(dir, "root"),
		Log:      filepath.Join(dir, "buildkitd.log"),
		PidFile:  filepath.Join(dir, "buildkitd.pid"),
		Registry: registry,
	}
}

// Addr is the daemon's BUILDKIT_HOST.
func (d *Daemon) Addr() string { return "unix://" + d.Sock }

// ConfigText is the daemon's buildkitd.toml.
func (d *Daemon) ConfigText() string { return BuildkitdConfig(d.Root, d.Registry, d.Insecure...) }

// Args is the daemon's command line.
func (d *Daemon) Args() []string {
	args := []string{cmp.Or(d.Binary, "buildkitd"), "--config", d.Config, "--addr", d.Addr(),
		"--oci-worker-net", "host", "--containerd-worker=false"}
	for _, p := range d.Platforms {
		args = append(args, "--oci-worker-platform", p)
	}
	return args
}

// Environ is what the daemon gets on top of this process's environment:
// its own outbound HTTP(S) goes to a closed loopback port, loopback direct.
func (d *Daemon) Environ() []string {
	const direct = "127.0.0.1,localhost,::1"
	return []string{
		"HTTP_PROXY=" + NoEgressProxy, "HTTPS_PROXY=" + NoEgressProxy,
		"http_proxy=" + NoEgressProxy, "https_proxy=" + NoEgressProxy,
		"NO_PROXY=" + direct, "no_proxy=" + direct,
	}
}

func (d *Daemon) proc() *proc {
	if d.p == nil {
		d.p = &proc{name: d.Name, binary: "buildkitd", log: d.Log, pidFile: d.PidFile, config: d.Config}
	}
	d.p.argv, d.p.env = d.Args(), d.Environ()
	return d.p
}

// WriteConfig writes the config file and says whether a running daemon
// would read anything different from it.
func (d *Daemon) WriteConfig() (changed bool, err error) {
	return writeConfig(d.Config, d.ConfigText())
}

// Start writes the config, starts the daemon and waits until it answers.
func (d *Daemon) Start(ctx context.Context) error { return start(ctx, d) }

// start runs the daemon on the config file as it is.
func (d *Daemon) start(ctx context.Context) error {
	if err := os.MkdirAll(d.Root, 0o700); err != nil {
		return err
	}
	_ = os.Remove(d.Sock)
	return d.proc().startReady(ctx, d.ReadyTimeout, d.Ready)
}

// Ready: the daemon answers on its socket and has a worker.
func (d *Daemon) Ready(ctx context.Context) bool {
	ws, err := d.Workers(ctx)
	return err == nil && len(ws) > 0
}

// Healthy: the daemon of the pid file runs the installed binary and is ready.
func (d *Daemon) Healthy(ctx context.Context) bool {
	return d.proc().current() && d.Ready(ctx)
}

// Running: the pid file names a live buildkitd.
func (d *Daemon) Running() bool { return d.proc().running() }

// Pid is the running daemon's pid (0 when none).
func (d *Daemon) Pid() int {
	pid, _ := d.proc().pid()
	return pid
}

// Worker is one of a daemon's workers.
type Worker struct {
	ID        string
	Platforms []string
}

// Workers asks the daemon (buildctl debug workers) for its workers.
func (d *Daemon) Workers(ctx context.Context) ([]Worker, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "buildctl", "--addr", d.Addr(), "debug", "workers", "--format", "{{json .}}").Output()
	if err != nil {
		return nil, fmt.Errorf("buildctl debug workers: %w", err)
	}
	return parseWorkers(out)
}

func parseWorkers(out []byte) ([]Worker, error) {
	var raw []struct {
		ID        string
		Platforms []struct {
			OS           string `json:"os"`
			Architecture string `json:"architecture"`
			Variant      string `json:"variant"`
		}
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		return nil, fmt.Errorf("buildctl debug workers: %w", err)
	}
	ws := make([]Worker, 0, len(raw))
	for _, r := range raw {
		w := Worker{ID: r.ID}
		for _, p := range r.Platforms {
			s := p.OS + "/" + p.Architecture
			if p.Variant != "" {
				s += "/" + p.Variant
			}
			w.Platforms = append(w.Platforms, s)
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// Stop ends the daemon (TERM, KILL after 30 s), wherever it was started,
// and removes what a killed daemon leaves (CleanState). It says whether one
// was running.
func (d *Daemon) Stop() (bool, error) {
	stopped, err := d.proc().stop(syscall.SIGTERM, 30*time.Second)
	if err != nil {
		return stopped, err
	}
	return stopped, d.CleanState()
}

// Kill sends sig to the daemon and waits for it to exit (2 minutes, then
// KILL), leaving its state as it was: what a crash leaves, for fault tests.
func (d *Daemon) Kill(sig syscall.Signal) error {
	_, err := d.proc().stop(sig, 2*time.Minute)
	return err
}

// Restart starts the daemon again on its root after cleaning what a killed
// one leaves behind.
func (d *Daemon) Restart(ctx context.Context) error {
	if _, err := d.Stop(); err != nil {
		return err
	}
	return d.Start(ctx)
}

// Wipe stops the daemon and deletes its root: the next Start is a fresh
// machine (an ephemeral CI runner between two jobs).
func (d *Daemon) Wipe() error {
	if _, err := d.Stop(); err != nil {
		return err
	}
	if err := os.RemoveAll(d.Root); err != nil {
		return fmt.Errorf("deleting %s's state: %w", d.Name, err)
	}
	return nil
}

// CleanState removes what a killed buildkitd may leave: runc containers
// (runc's default state root, one bundle a container under the executor
// directory), the mounts under its root and its temporary mounts of the
// root's snapshots elsewhere (deepest first), and its socket. Only this
// daemon's root is touched; call it while the daemon is stopped.
func (d *Daemon) CleanState() error {
	bundles, _ := filepath.Glob(filepath.Join(d.Root, "runc-*", "executor", "*"))
	for _, b := range bundles {
		if fi, err := os.Stat(b); err == nil && fi.IsDir() {
			_ = exec.Command("runc", "delete", "--force", filepath.Base(b)).Run()
		}
	}
	for _, m := range MountsUnder(d.Root) {
		if err := syscall.Unmount(m, 0); err != nil {
			_ = syscall.Unmount(m, syscall.MNT_DETACH)
		}
		if strings.HasPrefix(filepath.Base(m), "buildkit-mount") && !strings.HasPrefix(m, d.Root+"/") {
			_ = os.Remove(m)
		}
	}
	_ = os.Remove(d.Sock)
	if left := MountsUnder(d.Root); len(left) > 0 {
		return fmt.Errorf("%s: cannot unmount %s", d.Name, strings.Join(left, ", "))
	}
	return nil
}

// Tail is the last n lines of the daemon's log.
func (d *Daemon) Tail(n int) string { return d.proc().tail(n) }

// MountsUnder lists, deepest first, the mount points below dir and those
// elsewhere whose mount options name a path below dir (buildkitd's
// temporary overlay mounts of its snapshots).
func MountsUnder(dir string) []string {
	dt, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil
	}
	prefix := strings.TrimRight(dir, "/") + "/"
	var out []string
	for _, line := range strings.Split(string(dt), "\n") {
		fields := strings.Fields(line)
		if len(fields) > 4 && (strings.HasPrefix(fields[4], prefix) || strings.Contains(line, prefix)) {
			out = append(out, fields[4])
		}
	}
	// deepest first: in reverse order a path comes before its parent
	slices.Sort(out)
	slices.Reverse(out)
	return out
}
