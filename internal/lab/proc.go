package lab

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// proc is a daemon process: started in a session of its own (so it outlives
// the command that started it, and a signal to its group takes its helpers
// too), known by a pid file, and found again by its binary and its config
// file even when the pid file is gone. It is stopped by pid, never by name.
type proc struct {
	name    string   // for messages
	binary  string   // the executable's base name, as /proc/PID/exe names it
	argv    []string // argv[0] is looked up in PATH
	env     []string // added to this process's environment
	log     string   // its stdout and stderr, appended
	pidFile string
	config  string // the config file its command line names

	cmd  *exec.Cmd     // when this process started it
	done chan struct{} // closed when cmd has been waited for
}

// start runs the daemon, detached from this process's stdio, and writes its
// pid file. It does not wait for it to be ready.
func (p *proc) start() error {
	if p.cmd != nil { // ours, still there (a step failed before it was stopped): never leak it
		if _, err := p.stop(syscall.SIGKILL, 10*time.Second); err != nil {
			return err
		}
	}
	if p.running() {
		return fmt.Errorf("%s is already running (pid file %s)", p.name, p.pidFile)
	}
	_ = os.Remove(p.pidFile)
	if err := os.MkdirAll(filepath.Dir(p.log), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "\n--- %s start %s\n", p.name, time.Now().Format(time.RFC3339))
	cmd := exec.Command(p.argv[0], p.argv[1:]...)
	cmd.Env = append(os.Environ(), p.env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	p.cmd, p.done = cmd, make(chan struct{})
	go func(done chan struct{}) { _ = cmd.Wait(); f.Close(); close(done) }(p.done)
	if err := os.WriteFile(p.pidFile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		_, _ = p.stop(syscall.SIGKILL, 5*time.Second)
		return err
	}
	return nil
}

// startReady starts the daemon and waits (timeout; 60 s when zero) until
// ready holds; a daemon that does not get ready is killed.
func (p *proc) startReady(ctx context.Context, timeout time.Duration, ready func(context.Context) bool) error {
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	if err := p.start(); err != nil {
		return err
	}
	if err := p.waitReady(ctx, timeout, ready); err != nil {
		_, _ = p.stop(syscall.SIGKILL, 10*time.Second)
		return err
	}
	return nil
}

// pid is the pid in the pid file when that process is alive and runs the
// daemon's binary (not when the file is missing, the process dead, or its
// pid reused by another program).
func (p *proc) pid() (int, bool) {
	dt, err := os.ReadFile(p.pidFile)
	if err != nil {
		return 0, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(dt)))
	if err != nil || pid <= 0 {
		return 0, false
	}
	exe, ok := exeOf(pid)
	if !ok || filepath.Base(exe) != p.binary {
		return 0, false
	}
	return pid, true
}

// running: the pid file names a live process of the daemon's binary.
func (p *proc) running() bool {
	_, ok := p.pid()
	return ok
}

// current: running, and its binary was not replaced since it started (a
// reinstall with a new pin moves a new file over it: /proc/PID/exe then
// ends in " (deleted)").
func (p *proc) current() bool {
	pid, ok := p.pid()
	if !ok {
		return false
	}
	exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	return !strings.HasSuffix(exe, " (deleted)")
}

// pids is every live process of this daemon: the pid file's, the one this
// process started, and orphans of the binary whose command line names the
// config file (a lost pid file must not leave a second daemon behind).
func (p *proc) pids() []int {
	var out []int
	add := func(pid int) {
		for _, q := range out {
			if q == pid {
				return
			}
		}
		out = append(out, pid)
	}
	if pid, ok := p.pid(); ok {
		add(pid)
	}
	if p.cmd != nil && alive(p.cmd.Process.Pid) {
		add(p.cmd.Process.Pid)
	}
	if p.config != "" {
		for _, pid := range processesOf(p.binary, p.config) {
			add(pid)
		}
	}
	return out
}

// stop sends sig to every process of the daemon (to its process group when
// it leads one) and waits up to grace for them to exit, then KILLs what is
// left. It removes the pid file and says whether anything was running.
func (p *proc) stop(sig syscall.Signal, grace time.Duration) (bool, error) {
	pids := p.pids()
	defer os.Remove(p.pidFile)
	if len(pids) == 0 {
		p.reap()
		return false, nil
	}
	signalAll(pids, sig)
	if left := waitGone(pids, grace); len(left) > 0 {
		if sig != syscall.SIGKILL {
			signalAll(left, syscall.SIGKILL)
		}
		if left = waitGone(left, 10*time.Second); len(left) > 0 {
			return true, fmt.Errorf("%s (pid %v) does not stop", p.name, left)
		}
	}
	p.reap()
	return true, nil
}

// reap waits for the process this process started, if any.
func (p *proc) reap() {
	if p.cmd == nil {
		return
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
	p.cmd, p.done = nil, nil
}

// exited: the daemon this process started has exited, or (started by
// another process) its pid file no longer names a live process.
func (p *proc) exited() bool {
	if p.cmd != nil {
		select {
		case <-p.done:
			return true
		default:
			return false
		}
	}
	return !p.running()
}

// waitReady polls ready until it holds, the daemon exits, ctx ends or
// timeout passes; the error carries the log's tail.
func (p *proc) waitReady(ctx context.Context, timeout time.Duration, ready func(context.Context) bool) error {
	deadline := time.Now().Add(timeout)
	for {
		if ready(ctx) {
			return nil
		}
		if p.exited() {
			return fmt.Errorf("%s exited; last lines of %s:\n%s", p.name, p.log, p.tail(30))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after %s; last lines of %s:\n%s", p.name, timeout, p.log, p.tail(30))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// tail is the last n lines of the daemon's log.
func (p *proc) tail(n int) string {
	dt, _ := os.ReadFile(p.log)
	return lastLines(string(dt), n)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// exeOf is /proc/PID/exe without a " (deleted)" suffix; false for a dead
// process or a zombie.
func exeOf(pid int) (string, bool) {
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return "", false
	}
	return strings.TrimSuffix(exe, " (deleted)"), true
}

func alive(pid int) bool {
	_, ok := exeOf(pid)
	return ok
}

// processesOf lists the live processes of binary whose arguments include arg.
func processesOf(binary, arg string) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		exe, ok := exeOf(pid)
		if !ok || filepath.Base(exe) != binary {
			continue
		}
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue
		}
		for _, a := range strings.Split(string(cmdline), "\x00")[1:] {
			if a == arg {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// signalAll signals each pid's process group when it leads one (the daemons
// run in sessions of their own), else the process alone.
func signalAll(pids []int, sig syscall.Signal) {
	for _, pid := range pids {
		if pgid, err := syscall.Getpgid(pid); err == nil && pgid == pid {
			if err := syscall.Kill(-pid, sig); err == nil || !errors.Is(err, syscall.ESRCH) {
				continue
			}
		}
		_ = syscall.Kill(pid, sig)
	}
}

// waitGone waits up to d for pids to exit and returns those still alive.
func waitGone(pids []int, d time.Duration) []int {
	deadline := time.Now().Add(d)
	for {
		var left []int
		for _, pid := range pids {
			if alive(pid) {
				left = append(left, pid)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(100 * time.Millisecond)
	}
}
