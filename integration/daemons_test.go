package integration

import (
	"context"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	gslab "github.com/goscratch/goscratch/internal/lab"
)

// Private daemons for the tests that break them: a registry and a buildkitd
// of the test's own, started and configured by internal/lab exactly as the
// lab's (which the other tests and other people share, and which must never
// be killed). Both listen on loopback only.

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

// service is a private daemon the test starts, kills and starts again.
type service struct {
	s interface {
		Start(context.Context) error
		Kill(syscall.Signal) error
	}
}

// up starts the daemon (again) and waits until it answers.
func (s service) up(t *testing.T) {
	t.Helper()
	if err := s.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// kill sends sig to the daemon and waits for it to exit, leaving what a
// crash leaves.
func (s service) kill(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := s.s.Kill(sig); err != nil {
		t.Error(err)
	}
}

// privateRegistry is a docker-registry of the test's own.
type privateRegistry struct {
	service
	Addr string
}

func startPrivateRegistry(t *testing.T, dir string) *privateRegistry {
	t.Helper()
	r := gslab.NewRegistry(dir, freeLoopbackAddr(t))
	r.ReadyTimeout = 2 * time.Minute
	t.Cleanup(func() {
		if _, err := r.Stop(); err != nil {
			t.Error(err)
		}
	})
	reg := &privateRegistry{service: service{r}, Addr: r.Addr}
	reg.up(t)
	return reg
}

// privateBuildkitd is a buildkitd of the test's own (gslab.NewDaemon: its
// own root and socket; runc worker, host network, docker.io and ghcr.io
// mirrored to the lab registry, plain HTTP to the lab registry and to the
// test's registries, no route to any other registry).
type privateBuildkitd struct {
	service
	d          *gslab.Daemon
	Root, Addr string
}

func startPrivateBuildkitd(t *testing.T, l *lab, extra ...string) *privateBuildkitd {
	t.Helper()
	// not t.TempDir: a killed daemon can leave mounts that RemoveAll cannot remove
	dir, err := os.MkdirTemp("", "goscratch-it-buildkitd-")
	if err != nil {
		t.Fatal(err)
	}
	d := gslab.NewDaemon(dir, l.Registry)
	d.Insecure = extra
	d.ReadyTimeout = 2 * time.Minute
	t.Cleanup(func() {
		if _, err := d.Stop(); err != nil {
			t.Logf("stopping %s: %v", d.Name, err)
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("leaving %s: %v", dir, err)
		}
	})
	b := &privateBuildkitd{service: service{d}, d: d, Root: d.Root, Addr: d.Addr()}
	b.up(t)
	return b
}

// restart starts the daemon again on the same root after cleaning what a
// killed daemon leaves behind (its containers and mounts), as the lab does.
func (b *privateBuildkitd) restart(t *testing.T) {
	t.Helper()
	if err := b.d.Restart(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// wipe stops the daemon, deletes all its state and starts it again empty:
// what an ephemeral CI runner is between two jobs.
func (b *privateBuildkitd) wipe(t *testing.T) {
	t.Helper()
	if err := b.d.Wipe(); err != nil {
		t.Fatal(err)
	}
	b.up(t)
}

// tail is the end of the daemon's log.
func (b *privateBuildkitd) tail() string { return b.d.Tail(40) }

// on returns a copy of the lab that talks to this buildkitd.
func (b *privateBuildkitd) on(l *lab) *lab {
	cp := *l
	cp.BuildkitAddr = b.Addr
	return &cp
}
