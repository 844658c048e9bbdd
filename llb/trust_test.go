package llb

import (
	"maps"
	"slices"
	"testing"

	"github.com/goscratch/goscratch/spec"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// sharedID is the id of the shared cache mount name (gomodcache or
// gocache) for r built with opt.
func sharedID(r *spec.Resolved, opt Options, name string) string {
	ids := CacheMountIDs(r, opt)
	if name == "gomodcache" {
		return ids[0]
	}
	return ids[1]
}

// TestCacheMountIDs: the ids `--call outline` lists are the ones the
// graph mounts, in both cache modes.
func TestCacheMountIDs(t *testing.T) {
	for _, mode := range []CacheMode{CacheMounts, CacheLayers} {
		opt := options(arm64)
		opt.Cache = mode
		r := resolved()
		res, err := Convert(r, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := CacheMountIDs(r, opt)
		seen := map[string]bool{}
		for _, op := range marshal(t, res.State).ops {
			for _, m := range op.GetExec().GetMounts() {
				if m.MountType == pb.MountType_CACHE {
					seen[m.CacheOpt.ID] = true
				}
			}
		}
		got := slices.Sorted(maps.Keys(seen))
		if !slices.Equal(got, slices.Sorted(slices.Values(want))) {
			t.Errorf("%s: the graph mounts caches %q, CacheMountIDs says %q", mode, got, want)
		}
	}
}

// TestCacheNamespace: builds share their caches exactly when they would run
// the same toolchain the same way.
func TestCacheNamespace(t *testing.T) {
	base := func() (*spec.Resolved, Options) { return resolved(), options(arm64) }
	r0, o0 := base()
	id0 := sharedID(r0, o0, "gocache")
	if r1, o1 := base(); sharedID(r1, o1, "gocache") != id0 {
		t.Fatalf("the same settings gave two cache ids")
	}
	same := map[string]func(*spec.Resolved, *Options){
		"another target platform": func(_ *spec.Resolved, o *Options) { o.TargetPlatform = armv7 },
		"other tags and ldflags": func(r *spec.Resolved, _ *Options) {
			r.Binaries[0].Tags = []string{"x"}
			r.Binaries[0].Ldflags = "-X main.v=2"
		},
		"another module and context": func(r *spec.Resolved, o *Options) { r.Module = "sub"; o.Context = llb.Local("other") },
	}
	for name, change := range same {
		r, o := base()
		change(r, &o)
		if got := sharedID(r, o, "gocache"); got != id0 {
			t.Errorf("%s: cache id %s, want the shared %s", name, got, id0)
		}
	}
	differ := map[string]func(*spec.Resolved, *Options){
		"another builder image":       func(_ *spec.Resolved, o *Options) { o.Builder = llb.Image("evil.example/golang:1.26") },
		"another builder env":         func(_ *spec.Resolved, o *Options) { o.BuilderEnv = append(o.BuilderEnv, "PATH=/evil") },
		"a goenv":                     func(r *spec.Resolved, _ *Options) { r.Goenv["GOPROXY"] = "https://proxy.example" },
		"a goflag":                    func(r *spec.Resolved, _ *Options) { r.Goflags = []string{"-toolexec=/goscratch/src/x"} },
		"GOFLAGS in goenv":            func(r *spec.Resolved, _ *Options) { r.Goenv["GOFLAGS"] = "-toolexec=/x" },
		"GONOSUMDB (trust of go.sum)": func(r *spec.Resolved, _ *Options) { r.Goenv["GONOSUMDB"] = "*" },
	}
	for name, change := range differ {
		r, o := base()
		change(r, &o)
		if got := sharedID(r, o, "gocache"); got == id0 {
			t.Errorf("%s: shares the cache id %s", name, got)
		}
		if sharedID(r, o, "gomodcache") == sharedID(r0, o0, "gomodcache") {
			t.Errorf("%s: shares the module cache", name)
		}
	}
}

func TestOwnCode(t *testing.T) {
	for _, tc := range []struct {
		name    string
		goenv   map[string]string
		goflags []string
		ldflags string
		want    bool
	}{
		{name: "plain", want: false},
		{name: "-toolexec goflag", goflags: []string{"-toolexec=/goscratch/src/wrap"}, want: true},
		{name: "--toolexec goflag", goflags: []string{"--toolexec", "/x"}, want: true},
		{name: "toolexec in GOFLAGS", goenv: map[string]string{"GOFLAGS": "-trimpath -toolexec=/x"}, want: true},
		{name: "other goflags", goflags: []string{"-gcflags=all=-N", "-overlay=/goscratch/src/o.json"}, want: false},
		{name: "CC without cgo", goenv: map[string]string{"CC": "/goscratch/src/cc"}, want: false},
		{name: "CC with cgo", goenv: map[string]string{"CGO_ENABLED": "1", "CC": "/goscratch/src/cc"}, want: true},
		{name: "CGO_CFLAGS with cgo", goenv: map[string]string{"CGO_ENABLED": "1", "CGO_CFLAGS": "-fplugin=/x.so"}, want: true},
		{name: "cgo alone", goenv: map[string]string{"CGO_ENABLED": "1"}, want: false},
		{name: "external linker with cgo", goenv: map[string]string{"CGO_ENABLED": "1"}, ldflags: "-linkmode external -extld /goscratch/src/ld", want: true},
		{name: "-extldflags with cgo", goenv: map[string]string{"CGO_ENABLED": "1"}, ldflags: "-extldflags=-static", want: true},
		{name: "-X ldflags", ldflags: "-s -w -X main.extra=1", want: false},
	} {
		r := resolved()
		r.Goflags = tc.goflags
		if tc.goenv != nil {
			r.Goenv = tc.goenv
		}
		if got := ownCode(r, tc.ldflags); got != tc.want {
			t.Errorf("%s: ownCode = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestOwnCodeBuildStep: a build that runs a -toolexec reads the shared build
// cache read-only, writes to a private one, and has no dependency layer.
func TestOwnCodeBuildStep(t *testing.T) {
	for _, mode := range []CacheMode{CacheMounts, CacheLayers} {
		r := resolved()
		r.Goflags = []string{"-toolexec=/goscratch/src/wrap"}
		opt := options(arm64)
		opt.Cache = mode
		_, g := convert(t, r, opt)
		b := g.exec(toolBin, "build")
		if got := b.Meta.Args[:7]; !slices.Equal(got, []string{toolBin, "build", "-cache-rw", privateCache, "-cache-ro", buildCache, "--"}) {
			t.Errorf("%s: args %q, want the private cache over the shared one", mode, b.Meta.Args)
		}
		if m := mount(b, buildCache); m == nil || m.MountType != pb.MountType_CACHE || !m.Readonly {
			t.Errorf("%s: shared build cache %v, want read-only", mode, m)
		}
		if m := mount(b, privateCache); m == nil || m.MountType != pb.MountType_BIND || m.Input != -1 || m.Readonly {
			t.Errorf("%s: private cache %v, want an empty writable mount", mode, m)
		}
		if m := mount(b, modCacheDir); m == nil || !m.Readonly {
			t.Errorf("%s: module cache %v, want read-only", mode, m)
		}
		if n := len(g.execs(toolBin, "precompile")); n != 0 {
			t.Errorf("%s: %d precompile steps, want none (the toolexec would run there)", mode, n)
		}
	}
}
