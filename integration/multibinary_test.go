package integration

import (
	"slices"
	"testing"
	"time"
)

// Capability: several binaries in one image, each with its own ldflags and
// tags, the first one the entrypoint; extra files from the context with
// mode and owner (examples/multi-binary).

func TestMultiBinaryExample(t *testing.T) {
	l := requireLab(t)
	ref := l.ref("multi-binary")
	l.buildx(t, repoPath("examples/multi-binary"), "-f", repoPath("examples/multi-binary/goscratch.yaml"),
		"--platform", "linux/amd64,linux/arm64", "-t", ref, "--push")
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		img := imageFor(t, ref, p)
		files := img.files(t)
		for _, bin := range []string{"/usr/local/bin/server", "/usr/local/bin/migrate"} {
			f, ok := files[bin]
			if !ok {
				t.Fatalf("%s: no %s in %v", p, bin, keys(files))
			}
			if err := checkStatic(f.Data, img.Platform.Architecture); err != nil {
				t.Errorf("%s: %s: %v", p, bin, err)
			}
		}
		if ep := img.Config.Config.Entrypoint; !slices.Equal(ep, []string{"/usr/local/bin/server"}) {
			t.Errorf("%s: entrypoint %q, want the first binary", p, ep)
		}
		cfg := files["/etc/multibin/app.yaml"]
		if cfg.Header == nil || cfg.Header.Mode&0o7777 != 0o640 || cfg.Header.Uid != 65532 || cfg.Header.Gid != 65532 {
			t.Errorf("%s: /etc/multibin/app.yaml header %+v, want mode 0640 owned by 65532:65532", p, cfg.Header)
		}
		for name, f := range files { // staged layers: every entry, directories included, at the epoch
			if !f.Header.ModTime.Equal(time.Unix(0, 0)) {
				t.Errorf("%s: %s mtime %v, want the Unix epoch", p, name, f.Header.ModTime)
			}
		}
		for _, m := range []string{"001_accounts.sql", "002_names.sql"} {
			if f, ok := files["/usr/share/multibin/migrations/"+m]; !ok || f.Header.Uid != 0 {
				t.Errorf("%s: migration %s missing or not owned by root", p, m)
			}
		}

		out := l.runInImage(t, ref, img, "-selfcheck")
		wantContains(t, p+" server", out, "server version=1.0.0 uid=65532",
			"config: mode=0640 owner=65532:65532 greeting: hello from the multi-binary example")
		out = l.runArgv(t, ref, img, "/usr/local/bin/migrate")
		// its own ldflags (-X main.version=1.0.0-migrate) and tags (verbose)
		wantContains(t, p+" migrate", out, "migrate version=1.0.0-migrate verbose=true migrations=2", "002_names.sql")
	}
}
