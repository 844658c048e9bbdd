package integration

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// Capability: one spec, one `docker buildx build`, a multi-platform FROM
// scratch image whose binaries are static for the right machine.

var helloOnce struct {
	sync.Once
	ref string
}

// helloImage builds examples/hello for amd64, arm64 and arm/v7 through the
// real buildx client once per test process and returns its reference.
func helloImage(t *testing.T, l *lab) string {
	t.Helper()
	helloOnce.Do(func() { helloOnce.ref = buildHello(t, l) })
	if helloOnce.ref == "" {
		t.Fatal("examples/hello did not build")
	}
	return helloOnce.ref
}

// buildHello builds and pushes examples/hello for amd64, arm64 and arm/v7
// on l's builder and returns its reference.
func buildHello(t *testing.T, l *lab) string {
	t.Helper()
	ref := l.ref("hello")
	l.buildx(t, repoPath("examples/hello"), "-f", repoPath("examples/hello/goscratch.yaml"),
		"--platform", "linux/amd64,linux/arm64,linux/arm/v7", "-t", ref, "--push")
	return ref
}

func TestBuildxMultiPlatform(t *testing.T) {
	l := requireLab(t)
	ref := helloImage(t, l)
	imgs := images(t, ref)
	var got []string
	for _, img := range imgs {
		got = append(got, platformString(img.Platform))
	}
	slices.Sort(got)
	if want := []string{"linux/amd64", "linux/arm/v7", "linux/arm64"}; !slices.Equal(got, want) {
		t.Fatalf("index platforms %v, want %v", got, want)
	}
	for _, img := range imgs {
		p := platformString(img.Platform)
		files := img.files(t)
		bin, ok := files["/usr/local/bin/hello"]
		if !ok {
			t.Fatalf("%s: no /usr/local/bin/hello in %v", p, keys(files))
		}
		if err := checkStatic(bin.Data, img.Platform.Architecture); err != nil {
			t.Errorf("%s: /usr/local/bin/hello: %v", p, err)
		}
		if bin.Header.Mode&0o111 == 0 {
			t.Errorf("%s: binary mode %o is not executable", p, bin.Header.Mode)
		}
		for _, f := range []string{"/etc/ssl/certs/ca-certificates.crt", "/usr/share/zoneinfo/Europe/Paris", "/etc/passwd", "/etc/group"} {
			if _, ok := files[f]; !ok {
				t.Errorf("%s: missing %s", p, f)
			}
		}
		if tmp, ok := files["/tmp/"]; !ok || tmp.Header.Mode&0o7777 != 0o1777 {
			t.Errorf("%s: /tmp missing or not 1777 (sticky, world-writable)", p)
		}
		if pw := string(files["/etc/passwd"].Data); !strings.Contains(pw, "nonroot:x:65532:65532:") {
			t.Errorf("%s: /etc/passwd %q has no nonroot user", p, pw)
		}
		for f := range files {
			if strings.HasPrefix(f, "/bin/") || strings.HasPrefix(f, "/usr/bin/") {
				t.Errorf("%s: unexpected %s: a scratch image has no shell or tools", p, f)
			}
		}
		cfg := img.Config
		if cfg.OS != img.Platform.OS || cfg.Architecture != img.Platform.Architecture || cfg.Variant != img.Platform.Variant {
			t.Errorf("%s: config platform %s/%s/%s differs from the index", p, cfg.OS, cfg.Architecture, cfg.Variant)
		}
		if cfg.Config.User != "65532:65532" {
			t.Errorf("%s: user %q, want 65532:65532", p, cfg.Config.User)
		}
		if !slices.Equal(cfg.Config.Entrypoint, []string{"/usr/local/bin/hello"}) {
			t.Errorf("%s: entrypoint %q", p, cfg.Config.Entrypoint)
		}
		if _, ok := cfg.Config.ExposedPorts["8080/tcp"]; !ok {
			t.Errorf("%s: ports %v, want 8080/tcp", p, cfg.Config.ExposedPorts)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
