package integration

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
)

// Private daemons for the tests that break them: a registry and a buildkitd
// of the test's own, configured as hack/env-up.sh configures the lab's
// (which the other tests and other people share, and which must never be
// killed). Both listen on loopback only.

// daemon is a process the test started and may kill and restart.
type daemon struct {
	name string
	argv []string
	env  []string
	log  string // its stdout and stderr
	cmd  *exec.Cmd
	done chan error
}

func (d *daemon) start(t *testing.T) {
	t.Helper()
	if d.cmd != nil { // still running (an earlier step failed before it was killed): never leak it
		d.kill(t, syscall.SIGKILL)
	}
	f, err := os.OpenFile(d.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(f, "\n--- %s start\n", d.name)
	cmd := exec.Command(d.argv[0], d.argv[1:]...)
	cmd.Env = append(os.Environ(), d.env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group: a kill takes its children too
	if err := cmd.Start(); err != nil {
		f.Close()
		t.Fatalf("start %s: %v", d.name, err)
	}
	d.cmd, d.done = cmd, make(chan error, 1)
	go func() { d.done <- cmd.Wait(); f.Close() }()
}

// kill sends sig to the daemon's process group and waits for it to exit.
func (d *daemon) kill(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if d.cmd == nil {
		return
	}
	_ = syscall.Kill(-d.cmd.Process.Pid, sig)
	var err error
	select {
	case err = <-d.done:
	case <-time.After(2 * time.Minute):
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		err = <-d.done
	}
	_ = err // a killed daemon's exit status says nothing
	d.cmd = nil
}

func (d *daemon) tail() string {
	dt, _ := os.ReadFile(d.log)
	if len(dt) > 3000 {
		dt = dt[len(dt)-3000:]
	}
	return string(dt)
}

// waitFor polls ready until it is true, the daemon exits, or 2 minutes pass.
func (d *daemon) waitFor(t *testing.T, ready func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		select {
		case err := <-d.done:
			d.cmd = nil
			t.Fatalf("%s exited (%v):\n%s", d.name, err, d.tail())
		default:
		}
		if ready() {
			return
		}
	}
	t.Fatalf("%s not ready after 2 minutes:\n%s", d.name, d.tail())
}

// freeLoopbackAddr returns 127.0.0.1:PORT with a port free right now.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// privateRegistry is a docker-registry of the test's own.
type privateRegistry struct {
	*daemon
	Addr string
}

func startPrivateRegistry(t *testing.T, dir string) *privateRegistry {
	t.Helper()
	addr := freeLoopbackAddr(t)
	cfg := filepath.Join(dir, "registry.yml")
	writeFile(t, cfg, fmt.Sprintf("version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\n  delete:\n    enabled: true\nhttp:\n  addr: %s\n",
		filepath.Join(dir, "registry-data"), addr))
	r := &privateRegistry{Addr: addr, daemon: &daemon{name: "registry " + addr, argv: []string{"docker-registry", "serve", cfg}, log: filepath.Join(dir, "registry.log")}}
	r.up(t)
	t.Cleanup(func() { r.kill(t, syscall.SIGTERM) })
	return r
}

func (r *privateRegistry) up(t *testing.T) {
	t.Helper()
	r.start(t)
	r.waitFor(t, func() bool {
		resp, err := http.Get("http://" + r.Addr + "/v2/")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// privateBuildkitd is a buildkitd of the test's own, with its own root and
// socket, configured like the lab's: runc worker, host network, docker.io
// and ghcr.io mirrored to the lab registry, plain HTTP to the lab registry
// and to extra (the test's registries), no route to any other registry.
type privateBuildkitd struct {
	*daemon
	Root, Addr string
}

func startPrivateBuildkitd(t *testing.T, l *lab, extra ...string) *privateBuildkitd {
	t.Helper()
	// not t.TempDir: a killed daemon can leave mounts that RemoveAll cannot remove
	dir, err := os.MkdirTemp("", "goscratch-it-buildkitd-")
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "root")
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "root = %q\n\n", root)
	for _, reg := range append([]string{l.Registry}, extra...) {
		fmt.Fprintf(&cfg, "[registry.%q]\n  http = true\n  insecure = true\n\n", reg)
	}
	fmt.Fprintf(&cfg, "[registry.\"docker.io\"]\n  mirrors = [%q]\n\n[registry.\"ghcr.io\"]\n  mirrors = [%q]\n\n", l.Registry, l.Registry)
	cfg.WriteString("[worker.oci]\n  enabled = true\n\n[worker.containerd]\n  enabled = false\n")
	writeFile(t, filepath.Join(dir, "buildkitd.toml"), cfg.String())
	sock := filepath.Join(dir, "buildkitd.sock")
	noEgress := "http://127.0.0.1:9" // a closed port: an image missing locally fails fast
	b := &privateBuildkitd{Root: root, Addr: "unix://" + sock, daemon: &daemon{
		name: "buildkitd " + dir,
		argv: []string{"buildkitd", "--config", filepath.Join(dir, "buildkitd.toml"), "--addr", "unix://" + sock,
			"--oci-worker-net", "host", "--containerd-worker=false"},
		env: []string{"HTTP_PROXY=" + noEgress, "HTTPS_PROXY=" + noEgress, "http_proxy=" + noEgress, "https_proxy=" + noEgress,
			"NO_PROXY=127.0.0.1,localhost,::1", "no_proxy=127.0.0.1,localhost,::1"},
		log: filepath.Join(dir, "buildkitd.log"),
	}}
	b.up(t)
	t.Cleanup(func() {
		b.kill(t, syscall.SIGTERM)
		b.cleanState(t)
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("leaving %s: %v", dir, err)
		}
	})
	return b
}

func (b *privateBuildkitd) up(t *testing.T) {
	t.Helper()
	b.start(t)
	b.waitFor(t, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := client.New(ctx, b.Addr)
		if err != nil {
			return false
		}
		defer c.Close()
		ws, err := c.ListWorkers(ctx)
		return err == nil && len(ws) > 0
	})
}

// restart starts the daemon again on the same root after cleaning what a
// killed daemon leaves behind (its containers and mounts), as hack/env-up.sh does.
func (b *privateBuildkitd) restart(t *testing.T) {
	t.Helper()
	b.cleanState(t)
	_ = os.Remove(strings.TrimPrefix(b.Addr, "unix://"))
	b.up(t)
}

// cleanState deletes leftover runc containers and unmounts everything under
// the root, deepest first. Only this daemon's root is touched.
func (b *privateBuildkitd) cleanState(t *testing.T) {
	t.Helper()
	execs, _ := filepath.Glob(filepath.Join(b.Root, "runc-*", "executor"))
	for _, e := range execs {
		ids, _ := os.ReadDir(e)
		for _, id := range ids {
			if id.IsDir() {
				_ = exec.Command("runc", "--root", e, "delete", "--force", id.Name()).Run()
			}
		}
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return
	}
	defer f.Close()
	// under the root, and buildkitd's temporary mounts elsewhere (/tmp/buildkit-mount*)
	// of this root's snapshots: overlay options name the root's directories
	var mounts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 4 && (strings.HasPrefix(fields[4], b.Root+"/") || strings.Contains(sc.Text(), b.Root+"/")) {
			mounts = append(mounts, fields[4])
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(mounts)))
	for _, m := range mounts {
		if err := syscall.Unmount(m, 0); err != nil {
			_ = syscall.Unmount(m, syscall.MNT_DETACH)
		}
		if strings.HasPrefix(filepath.Base(m), "buildkit-mount") {
			_ = os.Remove(m)
		}
	}
}

// on returns a copy of the lab that talks to this buildkitd.
func (b *privateBuildkitd) on(l *lab) *lab {
	cp := *l
	cp.BuildkitAddr = b.Addr
	return &cp
}

// wipe stops the daemon, deletes all its state and starts it again empty:
// what an ephemeral CI runner is between two jobs.
func (b *privateBuildkitd) wipe(t *testing.T) {
	t.Helper()
	b.kill(t, syscall.SIGTERM)
	b.cleanState(t)
	if err := os.RemoveAll(b.Root); err != nil {
		t.Fatalf("deleting buildkitd's state: %v", err)
	}
	_ = os.Remove(strings.TrimPrefix(b.Addr, "unix://"))
	b.up(t)
}
