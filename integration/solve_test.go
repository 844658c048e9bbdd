package integration

import (
	"context"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/moby/buildkit/client/llb"
	digest "github.com/opencontainers/go-digest"
	"github.com/tonistiigi/fsutil"
)

// progress is what a solve reported: every vertex (by digest, last state
// wins, cached if any update said so) and every vertex's log output.
type progress struct {
	mu       sync.Mutex
	vertexes map[digest.Digest]*client.Vertex
	logs     map[digest.Digest][]byte
	warnings []string // the short text of each warning
}

func collect(ch chan *client.SolveStatus) (*progress, func()) {
	p := &progress{vertexes: map[digest.Digest]*client.Vertex{}, logs: map[digest.Digest][]byte{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for s := range ch {
			p.mu.Lock()
			for _, v := range s.Vertexes {
				prev := p.vertexes[v.Digest]
				cp := *v
				if prev != nil && prev.Cached {
					cp.Cached = true
				}
				p.vertexes[v.Digest] = &cp
			}
			for _, l := range s.Logs {
				p.logs[l.Vertex] = append(p.logs[l.Vertex], l.Data...)
			}
			for _, w := range s.Warnings {
				p.warnings = append(p.warnings, string(w.Short))
			}
			p.mu.Unlock()
		}
	}()
	return p, func() { <-done }
}

// vertex returns the vertexes whose name starts with prefix.
func (p *progress) vertex(prefix string) []*client.Vertex {
	var out []*client.Vertex
	for _, v := range p.vertexes {
		if strings.HasPrefix(v.Name, prefix) {
			out = append(out, v)
		}
	}
	return out
}

func (p *progress) names() []string {
	var out []string
	for _, v := range p.vertexes {
		out = append(out, v.Name)
	}
	return out
}

func (p *progress) allLogs() string {
	var b strings.Builder
	for _, dt := range p.logs {
		b.Write(dt)
	}
	return b.String()
}

// solveSpec builds a goscratch spec in dir through the frontend image with
// the gateway.v0 frontend (what `buildctl build --frontend gateway.v0
// --opt source=IMG` does), and returns what the solve reported.
func (l *lab) solveSpec(t *testing.T, dir, file string, attrs map[string]string, exports ...client.ExportEntry) (*client.SolveResponse, *progress, error) {
	t.Helper()
	return l.solveSpecWith(t, dir, file, attrs, func(o *client.SolveOpt) { o.Exports = exports })
}

// solveSpecWith is solveSpec with the solve options edited by mod (cache
// imports and exports, exports).
func (l *lab) solveSpecWith(t *testing.T, dir, file string, attrs map[string]string, mod func(*client.SolveOpt)) (*client.SolveResponse, *progress, error) {
	t.Helper()
	c := l.client(t)
	fs, err := fsutil.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	fa := map[string]string{"source": l.Frontend, "filename": file}
	maps.Copy(fa, attrs)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	ch := make(chan *client.SolveStatus)
	p, wait := collect(ch)
	opt := client.SolveOpt{
		Frontend:      "gateway.v0",
		FrontendAttrs: fa,
		LocalMounts:   map[string]fsutil.FS{"context": fs, "dockerfile": fs},
	}
	if mod != nil {
		mod(&opt)
	}
	res, err := c.Solve(ctx, nil, opt, ch)
	wait()
	return res, p, err
}

// runInImage runs the image's entrypoint with args as a real container on
// buildkitd (runc; qemu-user for foreign platforms), as the image's user,
// with its environment, and returns its output.
func (l *lab) runInImage(t *testing.T, ref string, img *image, args ...string) string {
	t.Helper()
	out, err := l.tryInImage(ref, img, args...)
	if err != nil {
		t.Fatalf("run %v in %s (%s): %v\n%s", args, ref, platformString(img.Platform), err, out)
	}
	return out
}

// tryInImage is runInImage for a run that may fail: its output and error.
func (l *lab) tryInImage(ref string, img *image, args ...string) (string, error) {
	c, err := client.New(context.Background(), l.BuildkitAddr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	argv := append(append([]string{}, img.Config.Config.Entrypoint...), args...)
	opts := []llb.RunOption{llb.Args(argv)}
	for _, kv := range img.Config.Config.Env { // as a runtime does: PATH finds argv[0]
		k, v, _ := strings.Cut(kv, "=")
		opts = append(opts, llb.AddEnv(k, v))
	}
	st := llb.Image(ref, llb.Platform(img.Platform)).Run(append(opts,
		llb.User(img.Config.Config.User),
		llb.Dir(img.Config.Config.WorkingDir),
		llb.IgnoreCache,
		llb.WithCustomName("run "+strings.Join(argv, " ")),
	)...).Root()
	def, err := st.Marshal(context.Background())
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ch := make(chan *client.SolveStatus)
	p, wait := collect(ch)
	_, err = c.Solve(ctx, def, client.SolveOpt{}, ch)
	wait()
	return p.allLogs(), err
}
