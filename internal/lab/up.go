package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"
)

// The lab's own layout under Dir (hack/env-up.sh's, kept so that a lab
// started by an older checkout is reused): registry.yml, registry/ (data),
// registry.pid, buildkitd.toml, buildkitd/ (root), buildkitd.sock,
// buildkitd.pid, logs/, and nodes/NAME/ for each extra node (NewDaemon's
// layout).

// RegistryDaemon is the lab's registry.
func (l *Lab) RegistryDaemon() *Registry {
	return &Registry{
		Name:         "registry",
		Addr:         l.Registry,
		Config:       filepath.Join(l.Dir, "registry.yml"),
		Data:         filepath.Join(l.Dir, "registry"),
		Log:          filepath.Join(l.Logs(), "registry.log"),
		PidFile:      filepath.Join(l.Dir, "registry.pid"),
		ReadyTimeout: l.ReadyTimeout,
	}
}

// Buildkitd is the lab's buildkitd (the host's platforms).
func (l *Lab) Buildkitd() *Daemon {
	return &Daemon{
		Name:         "buildkitd",
		Config:       filepath.Join(l.Dir, "buildkitd.toml"),
		Sock:         l.Sock(),
		Root:         filepath.Join(l.Dir, "buildkitd"),
		Log:          filepath.Join(l.Logs(), "buildkitd.log"),
		PidFile:      filepath.Join(l.Dir, "buildkitd.pid"),
		Registry:     l.Registry,
		ReadyTimeout: l.ReadyTimeout,
	}
}

// Node is an extra buildkitd of the lab whose worker declares platforms
// (foreign ones run under the qemu binfmt hack/install.sh registers).
type Node struct {
	Name      string
	Platforms []string
	Buildkitd string // its executable; "": buildkitd on PATH
}

var nodeName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]*$`)

// ParseNodes reads a -nodes list: comma-separated NAME or NAME=PLATFORM[+PLATFORM...];
// a bare NAME is an architecture, for the platform linux/NAME ("amd64,arm64").
func ParseNodes(s string) ([]Node, error) {
	var nodes []Node
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		name, plats, ok := strings.Cut(item, "=")
		n := Node{Name: name}
		if ok {
			for _, p := range strings.Split(plats, "+") {
				if p = strings.TrimSpace(p); p != "" {
					n.Platforms = append(n.Platforms, p)
				}
			}
		} else {
			n.Platforms = []string{"linux/" + name}
		}
		if !nodeName.MatchString(n.Name) || len(n.Platforms) == 0 {
			return nil, fmt.Errorf("bad node %q: want NAME or NAME=PLATFORM[+PLATFORM...]", item)
		}
		for _, p := range n.Platforms {
			if strings.Count(p, "/") < 1 || strings.Count(p, "/") > 2 {
				return nil, fmt.Errorf("bad platform %q for node %s: want OS/ARCH[/VARIANT]", p, n.Name)
			}
		}
		if seen[n.Name] {
			return nil, fmt.Errorf("node %s named twice", n.Name)
		}
		seen[n.Name] = true
		nodes = append(nodes, n)
	}
	return nodes, nil
}

// NodeDaemon is the lab's buildkitd for node n, under Dir/nodes/NAME.
func (l *Lab) NodeDaemon(n Node) *Daemon {
	d := NewDaemon(filepath.Join(l.Dir, "nodes", n.Name), l.Registry)
	d.Name = "node " + n.Name
	d.Platforms = n.Platforms
	d.Binary = n.Buildkitd
	d.ReadyTimeout = l.ReadyTimeout
	return d
}

// MultiBuilder is the default name of the builder over the nodes.
func (l *Lab) MultiBuilder() string { return l.Builder + "-multi" }

func (l *Lab) multiBuilder(name string) string {
	if name == "" {
		return l.MultiBuilder()
	}
	return name
}

// UpOptions says what Up brings up besides the registry, the buildkitd and
// the builder on it.
type UpOptions struct {
	Nodes        []Node // extra daemons, one buildx builder over them
	MultiBuilder string // that builder's name; MultiBuilder() when ""
}

// Up starts the lab, or reuses it: a registry, a buildkitd, and the buildx
// remote builder l.Builder on it; with opts.Nodes also a buildkitd for each
// node and one buildx builder with a node on each. Healthy services are
// reused; stale ones (config changed, binary replaced, not answering) are
// replaced. Needs the tools of hack/install.sh on PATH.
func (l *Lab) Up(ctx context.Context, opts UpOptions) error {
	t0 := time.Now()
	if err := l.checkTools(opts.Nodes); err != nil {
		return err
	}
	unlock, err := l.lock()
	if err != nil {
		return err
	}
	defer unlock()
	var started []string
	// step notes what a step started; Up stops at the first error.
	step := func(what string, did bool, err error) error {
		if did {
			started = append(started, what)
		}
		return err
	}
	buildxLog := filepath.Join(l.Logs(), "buildx.log")
	reg, bk := l.RegistryDaemon(), l.Buildkitd()
	did, err := reuseOrStart(ctx, reg, portFree(reg.Addr))
	if err := step("registry on "+l.Registry, did, err); err != nil {
		return err
	}
	did, err = reuseOrStart(ctx, bk, nil)
	if err := step("buildkitd on "+bk.Addr(), did, err); err != nil {
		return err
	}
	did, err = EnsureBuilder(ctx, l.Builder, []BuilderNode{{Endpoint: bk.Addr()}}, buildxLog)
	if err := step("buildx builder "+l.Builder, did, err); err != nil {
		return err
	}
	if len(opts.Nodes) > 0 {
		var nodes []BuilderNode
		for _, n := range opts.Nodes {
			d := l.NodeDaemon(n)
			did, err := reuseOrStart(ctx, d, nil)
			if err := step(fmt.Sprintf("%s (%s) on %s", d.Name, strings.Join(n.Platforms, ","), d.Addr()), did, err); err != nil {
				return err
			}
			nodes = append(nodes, BuilderNode{Name: n.Name, Endpoint: d.Addr(), Platforms: n.Platforms})
		}
		name := l.multiBuilder(opts.MultiBuilder)
		did, err := EnsureBuilder(ctx, name, nodes, buildxLog)
		if err := step("buildx builder "+name, did, err); err != nil {
			return err
		}
	}
	if len(started) > 0 {
		l.logf("started %s (%.1fs); state in %s", strings.Join(started, ", "), time.Since(t0).Seconds(), l.Dir)
		l.logf(`use: eval "$(hack/env.sh)"  (BUILDKIT_HOST=%s, builder %s)`, l.Addr(), l.Builder)
	}
	return nil
}

// service is what Up reuses or replaces: a Registry or a Daemon.
type service interface {
	WriteConfig() (bool, error)
	Healthy(context.Context) bool
	Stop() (bool, error)
	start(context.Context) error
}

// start writes the service's config and starts it.
func start(ctx context.Context, s service) error {
	if _, err := s.WriteConfig(); err != nil {
		return err
	}
	return s.start(ctx)
}

// reuseOrStart reuses a healthy service on an unchanged config, else stops
// what is left of it (a buildkitd's state cleaned), runs check, and starts
// it; it says whether it started one.
func reuseOrStart(ctx context.Context, s service, check func() error) (bool, error) {
	changed, err := s.WriteConfig()
	if err != nil {
		return false, err
	}
	if !changed && s.Healthy(ctx) {
		return false, nil
	}
	if _, err := s.Stop(); err != nil {
		return false, err
	}
	if check != nil {
		if err := check(); err != nil {
			return false, err
		}
	}
	return true, s.start(ctx)
}

// portFree: nothing else listens on the registry's address.
func portFree(addr string) func() error {
	return func() error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("%s is taken by another process (%s); stop it first", addr, portOwner(addr))
		}
		return ln.Close()
	}
}

// DownOptions says what Down stops.
type DownOptions struct {
	Purge        bool   // also delete the state (all of Dir; with Nodes, theirs only)
	Nodes        []Node // only these nodes, and their builder
	MultiBuilder string // that builder's name; MultiBuilder() when ""
}

// Down stops the lab's daemons by their pid files (and any orphan whose
// command line names their config), buildkitd first, and unmounts what
// they left. Data stays for the next Up unless opts.Purge. With opts.Nodes
// it stops only those nodes and removes their buildx builder.
func (l *Lab) Down(ctx context.Context, opts DownOptions) error {
	if _, err := os.Stat(l.Dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	unlock, err := l.lock()
	if err != nil {
		return err
	}
	defer unlock()
	var stopped []string
	stop := func(name string, f func() (bool, error)) error {
		did, err := f()
		if did {
			stopped = append(stopped, name)
		}
		return err
	}
	if len(opts.Nodes) > 0 {
		if err := RemoveBuilder(ctx, l.multiBuilder(opts.MultiBuilder)); err != nil {
			return err
		}
		for _, n := range opts.Nodes {
			d := l.NodeDaemon(n)
			if err := stop(d.Name, d.Stop); err != nil {
				return err
			}
			if opts.Purge {
				if err := os.RemoveAll(filepath.Dir(d.Config)); err != nil {
					return err
				}
			}
		}
		l.report(stopped)
		return nil
	}
	bk := l.Buildkitd()
	if err := stop(bk.Name, bk.Stop); err != nil {
		return err
	}
	for _, n := range l.nodesOnDisk() {
		d := l.NodeDaemon(n)
		if err := stop(d.Name, d.Stop); err != nil {
			return err
		}
	}
	reg := l.RegistryDaemon()
	if err := stop(reg.Name, reg.Stop); err != nil {
		return err
	}
	l.report(stopped)
	if opts.Purge {
		if m := MountsUnder(l.Dir); len(m) > 0 {
			return fmt.Errorf("mounts remain under %s (%s); not purging", l.Dir, strings.Join(m, ", "))
		}
		unlock()
		if err := os.RemoveAll(l.Dir); err != nil {
			return err
		}
		l.logf("removed %s", l.Dir)
	}
	return nil
}

func (l *Lab) report(stopped []string) {
	if len(stopped) > 0 {
		l.logf("stopped %s", strings.Join(stopped, ", "))
	}
}

// nodesOnDisk are the nodes that have a directory under Dir/nodes.
func (l *Lab) nodesOnDisk() []Node {
	entries, _ := os.ReadDir(filepath.Join(l.Dir, "nodes"))
	var nodes []Node
	for _, e := range entries {
		if e.IsDir() {
			nodes = append(nodes, Node{Name: e.Name()})
		}
	}
	return nodes
}

// Status writes the state of the lab's services to w and says whether the
// registry and the buildkitd are healthy (what hack/*.sh need).
func (l *Lab) Status(ctx context.Context, w io.Writer) bool {
	reg, bk := l.RegistryDaemon(), l.Buildkitd()
	regOK, bkOK := reg.Healthy(ctx), bk.Healthy(ctx)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintf(tw, "registry\t%s\t%s\n", l.Registry, state(reg.Pid(), regOK))
	fmt.Fprintf(tw, "buildkitd\t%s\t%s\n", bk.Addr(), daemonState(ctx, bk, bkOK))
	for _, n := range l.nodesOnDisk() {
		d := l.NodeDaemon(n)
		fmt.Fprintf(tw, "node %s\t%s\t%s\n", n.Name, d.Addr(), daemonState(ctx, d, d.Healthy(ctx)))
	}
	fmt.Fprintf(tw, "builder\t%s\t%s\n", l.Builder, builderState(ctx, l.Builder, bk.Addr()))
	fmt.Fprintf(tw, "state\t%s\t\n", l.Dir)
	_ = tw.Flush()
	return regOK && bkOK
}

func state(pid int, healthy bool) string {
	switch {
	case healthy:
		return fmt.Sprintf("healthy (pid %d)", pid)
	case pid > 0:
		return fmt.Sprintf("running, not healthy (pid %d)", pid)
	default:
		return "not running"
	}
}

func daemonState(ctx context.Context, d *Daemon, healthy bool) string {
	s := state(d.Pid(), healthy)
	if healthy {
		if ws, err := d.Workers(ctx); err == nil && len(ws) > 0 {
			s += ", platforms " + strings.Join(ws[0].Platforms, ",")
		}
	}
	return s
}

func builderState(ctx context.Context, name, endpoint string) string {
	nodes, err := InspectBuilder(ctx, name, false)
	switch {
	case err != nil:
		return "unknown: " + strings.SplitN(err.Error(), "\n", 2)[0]
	case nodes == nil:
		return "missing"
	case len(nodes) != 1 || nodes[0].Endpoint != endpoint:
		return "points elsewhere"
	default:
		return "on " + endpoint
	}
}

// lock holds Dir/.lock until the returned function is called: one Up or
// Down at a time per lab.
func (l *Lab) lock() (func(), error) {
	if err := os.MkdirAll(l.Logs(), 0o755); err != nil {
		return nil, err
	}
	return Flock(filepath.Join(l.Dir, ".lock"))
}

// Flock holds an exclusive lock on file (created if need be) until the
// returned function is called (more calls do nothing).
func Flock(file string) (func(), error) {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { f.Close() }) }, nil
}

// checkTools: the daemons and clients are on PATH (hack/install.sh puts
// them there); a missing qemu binfmt is worth a warning for the host lab
// and an error for a foreign node.
func (l *Lab) checkTools(nodes []Node) error {
	for _, t := range []string{"buildkitd", "buildctl", "docker-registry", "runc", "docker"} {
		if _, err := exec.LookPath(t); err != nil {
			return fmt.Errorf("%s not found: run hack/install.sh (make tools)", t)
		}
	}
	if err := exec.Command("docker", "buildx", "version").Run(); err != nil {
		return errors.New("docker buildx missing: run hack/install.sh (make tools)")
	}
	if !BinfmtEnabled("qemu-aarch64") {
		for _, n := range nodes {
			for _, p := range n.Platforms {
				if !strings.HasPrefix(p, "linux/"+HostArch()) {
					return fmt.Errorf("node %s wants %s but the qemu binfmt is not enabled: run hack/install.sh", n.Name, p)
				}
			}
		}
		l.logf("warning: qemu-aarch64 binfmt not enabled (arm64 RUN steps will fail): run hack/install.sh")
	}
	return nil
}

// BinfmtEnabled: the kernel runs binaries of the named binfmt_misc entry.
func BinfmtEnabled(name string) bool {
	dt, err := os.ReadFile("/proc/sys/fs/binfmt_misc/" + name)
	return err == nil && strings.HasPrefix(string(dt), "enabled\n")
}

// portOwner says which process listens on addr's port (ss), if it can.
func portOwner(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	out, err := exec.Command("ss", "-Hltnp", "sport = :"+port).Output()
	if err != nil {
		return "unknown"
	}
	if _, users, ok := strings.Cut(string(out), "users:"); ok {
		return "users:" + strings.SplitN(users, "\n", 2)[0]
	}
	return "unknown"
}
