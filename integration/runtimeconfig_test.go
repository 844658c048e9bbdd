package integration

import (
	"archive/tar"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/spdx/tools-golang/spdx"
)

// Capability: what a runtime reads besides the entrypoint. examples/udpserver,
// built with docker buildx for two platforms, has its health check (the
// binary with -health, exec form), stop signal and volume in the pushed
// config, and its data directory in the first layer owned by 65532 at the
// epoch; its health check passes against the running server. The binary
// with file capabilities gets its SBOM as any other.

func TestHealthcheckStopSignalVolumesAndDirs(t *testing.T) {
	l := requireLab(t)
	ref := l.ref("udpserver")
	l.buildx(t, repoPath("examples/udpserver"), "-f", repoPath("examples/udpserver/goscratch.yaml"),
		"--platform", "linux/amd64,linux/arm64", "--sbom=true", "-t", ref, "--push")
	for _, p := range []string{"linux/amd64", "linux/arm64"} {
		img := imageFor(t, ref, p)
		var cfg dockerspec.DockerOCIImage
		if err := json.Unmarshal(img.blob(t, img.Manifest.Config.Digest.String()), &cfg); err != nil {
			t.Fatal(err)
		}
		c := cfg.Config
		want := &dockerspec.HealthcheckConfig{Test: []string{"CMD", udpserverBin, "-health"},
			Interval: 10 * time.Second, Timeout: 2 * time.Second, StartPeriod: 2 * time.Second, StartInterval: 500 * time.Millisecond, Retries: 3}
		if h := c.Healthcheck; h == nil || !slices.Equal(h.Test, want.Test) || h.Interval != want.Interval ||
			h.Timeout != want.Timeout || h.StartPeriod != want.StartPeriod || h.StartInterval != want.StartInterval || h.Retries != want.Retries {
			t.Errorf("%s: healthcheck %+v, want %+v", p, c.Healthcheck, want)
		}
		if c.StopSignal != "SIGINT" {
			t.Errorf("%s: stop signal %q, want SIGINT", p, c.StopSignal)
		}
		if _, ok := c.Volumes["/var/lib/udpserver"]; !ok || len(c.Volumes) != 1 {
			t.Errorf("%s: volumes %v, want /var/lib/udpserver", p, c.Volumes)
		}
		if _, ok := c.ExposedPorts["53/udp"]; !ok {
			t.Errorf("%s: exposed ports %v", p, c.ExposedPorts)
		}

		// the SBOM still comes from the binary's build info, read from
		// the layer gotool setcap wrote
		doc := spdxDoc(t, ref, p)
		if !slices.ContainsFunc(doc.Packages, func(pkg *spdx.Package) bool {
			return pkg.PackageName == "example.com/udpserver" && pkg.PrimaryPackagePurpose == "APPLICATION"
		}) {
			t.Errorf("%s: the SBOM does not describe the binary example.com/udpserver", p)
		}

		files := img.files(t)
		var names []string
		for name := range files {
			names = append(names, strings.TrimSuffix(name, "/"))
		}
		slices.Sort(names)
		wantFiles := []string{"/etc", "/etc/group", "/etc/passwd", "/home", "/home/nonroot", "/tmp", "/usr", "/usr/local", "/usr/local/bin",
			udpserverBin, "/var", "/var/lib", "/var/lib/udpserver"}
		if names = slices.Compact(names); !slices.Equal(names, wantFiles) {
			t.Errorf("%s: the image holds\n  %v\nwant exactly\n  %v", p, names, wantFiles)
		}
		d, ok := files["/var/lib/udpserver/"] // directories are named with a slash
		if !ok || d.Header.Typeflag != tar.TypeDir || d.Header.Uid != 65532 || d.Header.Gid != 65532 || d.Header.Mode&0o7777 != 0o755 {
			t.Errorf("%s: /var/lib/udpserver %+v, want a directory 0755 owned by 65532:65532", p, d.Header)
		}
		for _, parent := range []string{"/var", "/var/lib"} {
			if h := files[parent+"/"].Header; h == nil || h.Uid != 0 || h.Mode&0o7777 != 0o755 {
				t.Errorf("%s: %s %+v, want 0755 owned by root", p, parent, h)
			}
		}
		for name, f := range files {
			if !f.Header.ModTime.Equal(time.Unix(0, 0)) {
				t.Errorf("%s: %s mtime %v, want the Unix epoch", p, name, f.Header.ModTime)
			}
		}
	}
	// the health check's command, against the server running in the same
	// container: -selftest serves and runs the -health probe
	img := imageFor(t, ref, "linux/amd64")
	out := l.runInImage(t, ref, img, "-selftest", "-listen", loopback53())
	wantContains(t, "udpserver -selftest", out, "health: ok", "selftest: wrote /var/lib/udpserver/answers")
}
