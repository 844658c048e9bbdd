package integration

import (
	"bytes"
	"debug/buildinfo"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/client"
)

// Capability: profile-guided optimisation with nothing to set
// (examples/pgo). go build compiles a main package and every package it
// imports with the main's default.pgo; goscratch builds with it in both
// cache modes, and in the layers mode precompiles the dependencies with
// it, so a fresh runner with --cache-from compiles only the project's own
// packages after a source edit, as without a profile.

// pgoModule is examples/pgo's module path: its own packages start with it.
const pgoModule = "example.com/wordfreq"

func TestPGOBinaryIsBuiltWithTheProfile(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/pgo")
	var digests []string
	for _, mode := range []string{"mounts", "layers"} {
		ref := l.pushSpec(t, dir, "goscratch.yaml", map[string]string{
			"platform": "linux/amd64", "build-arg:GOSCRATCH_CACHE": mode,
		})
		digests = append(digests, digestOf(ref))
		checkPGO(t, mode, ref)
	}
	if digests[0] != digests[1] {
		t.Errorf("image digests: mounts %s, layers %s; want the same", digests[0], digests[1])
	}
}

func TestPGOEphemeralRunnerCompilesOnlyOwnPackages(t *testing.T) {
	l := requireLab(t)
	work := shortTempDir(t)
	cacheDir := filepath.Join(work, "cache")

	// go build -v prints every package it compiles (not those it finds in
	// the build cache): the test's own copy of the spec asks for it
	dir := copyDir(t, repoPath("examples/pgo"))
	spec := filepath.Join(dir, "goscratch.yaml")
	dt, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, spec, string(dt)+"goflags: [-v]\n")
	const banner = `banner = "most frequent words` // main.go's output, in the binary
	editSource(t, dir, banner, banner+" "+nonce())
	attrs := map[string]string{"platform": "linux/amd64"}

	// job 1 on a fresh runner: build in the layers mode, export the cache
	d, own := exportLayersCache(t, l, dir, attrs, cacheDir)

	// job 2 on a new runner: no BuildKit state, a one-line edit of main,
	// --cache-from (auto mode: the import makes it build the layers)
	d.wipe(t)
	marker := "edited on a fresh runner " + nonce()
	editSource(t, dir, banner, `banner = "`+marker)
	ref := l.ref("pgo-ephemeral")
	res, p, err := own.solveSpecWith(t, dir, "goscratch.yaml", attrs, func(o *client.SolveOpt) {
		o.CacheImports = []client.CacheOptionsEntry{{Type: "local", Attrs: map[string]string{"src": cacheDir}}}
		o.Exports = []client.ExportEntry{{Type: client.ExporterImage, Attrs: map[string]string{"name": ref, "push": "true"}}}
	})
	if err != nil {
		t.Fatalf("second job: %v\n%s", err, p.allLogs())
	}
	// one dependency layer per profile: wordfreq's and gen's (none)
	pre := p.vertex("[linux/amd64] precompile dependencies")
	if len(pre) != 2 {
		t.Errorf("%d precompile steps, want 2 (wordfreq with its profile, gen without): %q", len(pre), p.names())
	}
	// and an own packages' layer per profile, unchanged by an edit of main
	ownPre := p.vertex("[linux/amd64] precompile own packages of ")
	if len(ownPre) != 2 {
		t.Errorf("%d own precompile steps, want 2 (wordfreq with its profile, gen without): %q", len(ownPre), p.names())
	}
	for _, v := range append(pre, ownPre...) {
		if !v.Cached {
			t.Errorf("%q must come from the imported cache", v.Name)
		}
	}
	for _, main := range []string{".", "./cmd/gen"} {
		name := "[linux/amd64] go build " + main
		b := slices.DeleteFunc(p.vertex(name), func(v *client.Vertex) bool { return v.Name != name })
		if len(b) != 1 {
			t.Fatalf("%d steps %q in %q", len(b), name, p.names())
		}
		if main == "." && b[0].Cached {
			t.Errorf("%q must run after the edit", name)
		}
		var deps []string
		for _, pkg := range p.compiled(name) {
			if pkg != pgoModule && !strings.HasPrefix(pkg, pgoModule+"/") {
				deps = append(deps, pkg)
			}
		}
		if len(deps) > 0 {
			t.Errorf("%q compiled %d dependency packages, want only the project's own: %q", name, len(deps), deps)
		}
	}
	if got := p.compiled("[linux/amd64] go build ."); !slices.Equal(got, []string{pgoModule}) {
		t.Errorf("the build after an edit of main compiled %q, want only the main package %s (the own packages' layer, precompiled with the profile, has the others)", got, pgoModule)
	}

	// the same image as the lab's daemon makes with cache mounts (no
	// import: auto mode picks mounts), built with the profile
	mounts := l.pushSpec(t, dir, "goscratch.yaml", attrs)
	if got, want := res.ExporterResponse["containerimage.digest"], digestOf(mounts); got != want {
		t.Errorf("image built with --cache-from on a fresh runner: %s, the same build with cache mounts: %s", got, want)
	}
	layers := ref[:strings.LastIndex(ref, ":")] + "@" + res.ExporterResponse["containerimage.digest"]
	bins := checkPGO(t, "layers, fresh runner", layers)
	if !bytes.Contains(bins["wordfreq"], []byte(marker)) {
		t.Errorf("wordfreq lacks the edit %q", marker)
	}
}

// checkPGO checks the binaries of the linux/amd64 image ref: wordfreq was
// built with its default.pgo (go records -pgo=default.pgo, the base name
// under -trimpath), gen without a profile. It returns them by name.
func checkPGO(t *testing.T, what, ref string) map[string][]byte {
	t.Helper()
	files := imageFor(t, ref, "linux/amd64").files(t)
	bins := map[string][]byte{}
	for name, want := range map[string]string{"wordfreq": "default.pgo", "gen": ""} {
		f, ok := files["/usr/local/bin/"+name]
		if !ok {
			t.Errorf("%s: the image has no /usr/local/bin/%s", what, name)
			continue
		}
		bins[name] = f.Data
		info, err := buildinfo.Read(bytes.NewReader(f.Data))
		if err != nil {
			t.Errorf("%s: %s: %v", what, name, err)
			continue
		}
		got := ""
		for _, s := range info.Settings {
			if s.Key == "-pgo" {
				got = s.Value
			}
		}
		if got != want {
			t.Errorf("%s: %s was built with -pgo=%q, want %q", what, name, got, want)
		}
	}
	return bins
}

// compiled are the packages the steps named name compiled, as go build -v
// prints them: one import path a line.
func (p *progress) compiled(name string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for dgst, v := range p.vertexes {
		if v.Name != name {
			continue
		}
		for _, line := range strings.Split(string(p.logs[dgst]), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.ContainsAny(line, " \t:") {
				out = append(out, line)
			}
		}
	}
	slices.Sort(out)
	return out
}
