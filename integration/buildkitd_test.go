package integration

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
)

// ownDaemon is a buildkitd of the test's own, with its own state directory,
// configured like the lab's (registry mirrors, no egress): a fresh CI runner
// that can be thrown away and replaced without touching the lab's daemon.
type ownDaemon struct {
	root, sock, config string
	cmd                *exec.Cmd
	log                *os.File
}

// startOwnDaemon starts a buildkitd on an empty state directory under dir.
func startOwnDaemon(t *testing.T, dir string) *ownDaemon {
	t.Helper()
	labConfig := filepath.Join(envOr("GOSCRATCH_ENV", filepath.Join(os.Getenv("HOME"), ".cache/goscratch/env")), "buildkitd.toml")
	cfg, err := os.ReadFile(labConfig)
	if err != nil {
		t.Fatalf("reading the lab's buildkitd config (run make env-up): %v", err)
	}
	d := &ownDaemon{root: filepath.Join(dir, "root"), sock: filepath.Join(dir, "buildkitd.sock"), config: filepath.Join(dir, "buildkitd.toml")}
	cfg = regexp.MustCompile(`(?m)^root = .*$`).ReplaceAll(cfg, []byte(`root = "`+d.root+`"`))
	if err := os.WriteFile(d.config, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	d.start(t)
	t.Cleanup(func() { d.stop(t) })
	return d
}

func (d *ownDaemon) addr() string { return "unix://" + d.sock }

func (d *ownDaemon) start(t *testing.T) {
	t.Helper()
	var err error
	if d.log, err = os.OpenFile(filepath.Join(filepath.Dir(d.sock), "buildkitd.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err != nil {
		t.Fatal(err)
	}
	const noEgress = "http://127.0.0.1:9" // as the lab: image pulls from elsewhere fail fast
	d.cmd = exec.Command("buildkitd", "--config", d.config, "--addr", d.addr(),
		"--oci-worker-net", "host", "--containerd-worker=false")
	d.cmd.Env = append(os.Environ(), "HTTP_PROXY="+noEgress, "HTTPS_PROXY="+noEgress,
		"http_proxy="+noEgress, "https_proxy="+noEgress, "NO_PROXY=127.0.0.1,localhost,::1", "no_proxy=127.0.0.1,localhost,::1")
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("starting buildkitd: %v", err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := client.New(ctx, d.addr())
		if err == nil {
			_, err = c.ListWorkers(ctx)
			c.Close()
		}
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(d.log.Name())
			t.Fatalf("buildkitd at %s not ready: %v\n%s", d.addr(), err, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stop ends the daemon (SIGTERM, then SIGKILL) and waits for it.
func (d *ownDaemon) stop(t *testing.T) {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	d.cmd = nil
	d.log.Close()
}

// wipe stops the daemon and deletes its state: what an ephemeral CI runner
// loses between jobs.
func (d *ownDaemon) wipe(t *testing.T) {
	t.Helper()
	d.stop(t)
	if err := os.RemoveAll(d.root); err != nil {
		t.Fatalf("deleting buildkitd's state: %v", err)
	}
}
