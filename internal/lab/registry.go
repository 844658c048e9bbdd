package lab

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Registry is a docker-registry (Debian's docker-registry package, installed
// by hack/install.sh) with filesystem storage and deletes enabled, listening
// on a loopback address only.
type Registry struct {
	Name    string // for messages
	Addr    string // host:port
	Config  string // registry.yml, written by Start
	Data    string // its storage
	Log     string
	PidFile string

	ReadyTimeout time.Duration // 60 s when zero

	p *proc
}

// NewRegistry is a private registry on addr with everything under dir:
// dir/registry.yml, dir/registry-data, dir/registry.log, dir/registry.pid.
func NewRegistry(dir, addr string) *Registry {
	return &Registry{
		Name:    "registry " + addr,
		Addr:    addr,
		Config:  filepath.Join(dir, "registry.yml"),
		Data:    filepath.Join(dir, "registry-data"),
		Log:     filepath.Join(dir, "registry.log"),
		PidFile: filepath.Join(dir, "registry.pid"),
	}
}

// ConfigText is the registry's registry.yml.
func (r *Registry) ConfigText() string { return RegistryConfig(r.Data, r.Addr) }

func (r *Registry) proc() *proc {
	if r.p == nil {
		r.p = &proc{name: r.Name, binary: "docker-registry", log: r.Log, pidFile: r.PidFile, config: r.Config}
	}
	r.p.argv = []string{"docker-registry", "serve", r.Config}
	return r.p
}

// WriteConfig writes the config file and says whether a running registry
// would read anything different from it.
func (r *Registry) WriteConfig() (changed bool, err error) {
	return writeConfig(r.Config, r.ConfigText())
}

// Start writes the config, starts the registry and waits until it answers.
func (r *Registry) Start(ctx context.Context) error { return start(ctx, r) }

func (r *Registry) start(ctx context.Context) error {
	if err := os.MkdirAll(r.Data, 0o755); err != nil {
		return err
	}
	return r.proc().startReady(ctx, r.ReadyTimeout, r.Ready)
}

// Ready: GET /v2/ answers 200.
func (r *Registry) Ready(ctx context.Context) bool { return RegistryUp(ctx, r.Addr) }

// RegistryUp: the registry API at addr answers GET /v2/ with 200.
func RegistryUp(ctx context.Context, addr string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/v2/", nil)
	if err != nil {
		return false
	}
	resp, err := direct.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// direct talks to the lab's registries without any proxy of the environment.
var direct = &http.Client{Transport: &http.Transport{Proxy: nil}}

// manifestTypes are the manifest media types a registry may answer with.
var manifestTypes = []string{
	"application/vnd.oci.image.index.v1+json",
	"application/vnd.docker.distribution.manifest.list.v2+json",
	"application/vnd.oci.image.manifest.v1+json",
	"application/vnd.docker.distribution.manifest.v2+json",
}

// Digest is the manifest digest the registry at addr has for repo:tag, ""
// when it has none (or does not answer).
func Digest(ctx context.Context, addr, repo, tag string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, "http://"+addr+"/v2/"+repo+"/manifests/"+tag, nil)
	if err != nil {
		return "", err
	}
	for _, t := range manifestTypes {
		req.Header.Add("Accept", t)
	}
	resp, err := direct.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return resp.Header.Get("Docker-Content-Digest"), nil
	case http.StatusNotFound:
		return "", nil
	default:
		return "", fmt.Errorf("HEAD %s: %s", req.URL, resp.Status)
	}
}

// Healthy: the registry of the pid file runs the installed binary and answers.
func (r *Registry) Healthy(ctx context.Context) bool { return r.proc().current() && r.Ready(ctx) }

// Running: the pid file names a live docker-registry.
func (r *Registry) Running() bool { return r.proc().running() }

// Pid is the running registry's pid (0 when none).
func (r *Registry) Pid() int {
	pid, _ := r.proc().pid()
	return pid
}

// Stop ends the registry (TERM, KILL after 30 s) and says whether one ran.
func (r *Registry) Stop() (bool, error) { return r.proc().stop(syscall.SIGTERM, 30*time.Second) }

// Kill sends sig to the registry and waits for it to exit (fault tests).
func (r *Registry) Kill(sig syscall.Signal) error {
	_, err := r.proc().stop(sig, 2*time.Minute)
	return err
}

// Tail is the last n lines of the registry's log.
func (r *Registry) Tail(n int) string { return r.proc().tail(n) }
