package integration

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/moby/buildkit/client"
	"github.com/tonistiigi/fsutil"
)

// Capability: a shared CI builder. Eight different specs built at the same
// time on one buildkitd (every step re-run: no-cache), sharing the module and
// build cache mounts, all succeed, and each gives the digest the same build
// gives run alone.

// concurrentSpecs are eight different builds: variations of examples/hello
// and the multi-binary and multi-target examples.
func concurrentSpecs(t *testing.T) []struct {
	name, dir string
	attrs     map[string]string
} {
	hello := repoPath("examples/hello")
	variant := func(spec string) string {
		dir := copyDir(t, hello)
		writeFile(t, filepath.Join(dir, "goscratch.yaml"), spec)
		return dir
	}
	return []struct {
		name, dir string
		attrs     map[string]string
	}{
		{"hello", hello, nil},
		{"hello-named", variant("main: .\nname: hi\nexpose: [9090]\n"), nil},
		{"hello-version", variant("main: .\nldflags: -s -w -X main.version=concurrent\n"), nil},
		{"hello-root-no-tz", variant("main: .\nuser: root\nzoneinfo: off\ncerts: false\n"), nil},
		{"hello-embed-tz-arm64", variant("main: .\nzoneinfo: embed\nplatforms: [linux/arm64]\n"), map[string]string{"platform": "linux/arm64"}},
		{"multi-binary", repoPath("examples/multi-binary"), nil},
		{"multi-target-api", repoPath("examples/multi-target"), map[string]string{"target": "api"}},
		{"multi-target-debug", repoPath("examples/multi-target"), map[string]string{"target": "debug"}},
	}
}

func TestConcurrentBuildsMatchAlone(t *testing.T) {
	l := requireLab(t)
	c := l.client(t)
	specs := concurrentSpecs(t)
	// alone first, one after the other (BuildKit's cache may answer: that
	// is what this daemon gives for the build alone), then the eight at once
	// with no-cache, so every step really runs again, concurrently, sharing
	// (and racing on) the lab's module and build cache mounts as the builds of
	// a CI builder do
	attrsOf := func(i int, extra map[string]string) map[string]string {
		a := map[string]string{"platform": "linux/amd64"}
		maps.Copy(a, specs[i].attrs)
		maps.Copy(a, extra)
		return a
	}
	alone := make([]string, len(specs))
	for i, s := range specs {
		var err error
		if alone[i], err = l.solveDigest(c, s.dir, attrsOf(i, nil), "alone-"+s.name); err != nil {
			t.Fatalf("%s, built alone: %v", s.name, err)
		}
	}

	together := make([]string, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, s := range specs {
		wg.Go(func() {
			together[i], errs[i] = l.solveDigest(c, s.dir, attrsOf(i, map[string]string{"no-cache": ""}), "concurrent-"+s.name)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("%s, built with seven others: %v", specs[i].name, err)
		} else if together[i] != alone[i] {
			t.Errorf("%s: digest %s built with seven others, %s alone", specs[i].name, together[i], alone[i])
		}
	}
	seen := map[string]string{}
	for i, d := range alone {
		if prev, ok := seen[d]; ok {
			t.Errorf("%s and %s gave the same digest %s: the specs are not different builds", prev, specs[i].name, d)
		}
		seen[d] = specs[i].name
	}
	t.Logf("%d concurrent builds succeeded; each digest equals the build run alone", len(specs))
}

// solveDigest builds goscratch.yaml in dir through the frontend, pushes it
// and returns the pushed digest. It never calls t, so goroutines can use it.
func (l *lab) solveDigest(c *client.Client, dir string, attrs map[string]string, name string) (string, error) {
	fs, err := fsutil.NewFS(dir)
	if err != nil {
		return "", err
	}
	fa := map[string]string{"source": l.Frontend, "filename": "goscratch.yaml"}
	maps.Copy(fa, attrs)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	res, err := c.Solve(ctx, nil, client.SolveOpt{
		Frontend:      "gateway.v0",
		FrontendAttrs: fa,
		LocalMounts:   map[string]fsutil.FS{"context": fs, "dockerfile": fs},
		Exports: []client.ExportEntry{{Type: client.ExporterImage,
			Attrs: map[string]string{"name": l.ref(name), "push": "true"}}},
	}, nil)
	if err != nil {
		return "", err
	}
	d := res.ExporterResponse["containerimage.digest"]
	if d == "" {
		return "", fmt.Errorf("no containerimage.digest in %v", res.ExporterResponse)
	}
	return d, nil
}
