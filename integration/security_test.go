package integration

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Capability: the image holds nothing but what the spec asked for and runs
// as non-root; the frontend image itself is one static binary on scratch
// that BuildKit runs without network; a secret-looking build arg warns.
// (Secrets given with --secret are scanned for in every blob, attestation
// and cache export by TestPrivateModuleWithNetrcSecret; symlinks and paths
// that would read outside the context are cases of TestBadInputCatalog.)

// imageDirs are the directories every goscratch image has (the accounts
// layer, the CA bundle's and the binaries' parents).
var imageDirs = []string{"/etc", "/tmp", "/home", "/home/nonroot", "/usr", "/usr/local", "/usr/local/bin", "/etc/ssl", "/etc/ssl/certs"}

func TestImageHoldsOnlyWhatTheSpecAsked(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	// examples/hello as it is, and with time zones embedded in the binary
	// (then the image has no zoneinfo tree and the list is short and exact)
	for _, c := range []struct{ name, spec string }{
		{"hello", ""},
		{"hello-tz-embed", "main: .\nzoneinfo: embed\nexpose: [8080]\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := "goscratch.yaml"
			if c.spec != "" {
				file = "embed.yaml"
				writeFile(t, filepath.Join(dir, file), c.spec)
			}
			ref := l.pushSpec(t, dir, file, map[string]string{"platform": "linux/amd64"})
			imgs := images(t, ref)
			if len(imgs) != 1 {
				t.Fatalf("%d images, want 1", len(imgs))
			}
			img := imgs[0]
			files := img.files(t)
			want := append(slices.Clone(imageDirs), "/etc/passwd", "/etc/group", "/etc/ssl/certs/ca-certificates.crt", "/usr/local/bin/hello")
			if c.spec == "" {
				want = append(want, "/usr/share", "/usr/share/zoneinfo")
			}
			var got []string
			zoneinfo := 0
			for p := range files {
				p = strings.TrimSuffix(p, "/")
				if c.spec == "" && strings.HasPrefix(p, "/usr/share/zoneinfo/") {
					zoneinfo++ // the builder's zoneinfo tree, checked below
					continue
				}
				got = append(got, p)
			}
			slices.Sort(got)
			slices.Sort(want)
			got = slices.Compact(got)
			if !slices.Equal(got, want) {
				t.Errorf("the image holds\n  %v\nwant exactly\n  %v", got, want)
			}
			if c.spec == "" {
				if _, ok := files["/usr/share/zoneinfo/Europe/Paris"]; !ok || zoneinfo < 300 {
					t.Errorf("zoneinfo: %d entries, Europe/Paris present %v", zoneinfo, ok)
				}
			}
			for p, e := range files {
				if base := filepath.Base(p); base == "sh" || base == "bash" || base == "busybox" || strings.HasPrefix(p, "/bin") || strings.HasPrefix(p, "/sbin") || strings.HasPrefix(p, "/usr/bin") {
					t.Errorf("the image has %s: no shell or system tools belong in it", p)
				}
				if e.Header.Mode&0o6000 != 0 {
					t.Errorf("%s is setuid/setgid (%o)", p, e.Header.Mode)
				}
			}
			if err := checkStatic(files["/usr/local/bin/hello"].Data, "amd64"); err != nil {
				t.Errorf("/usr/local/bin/hello: %v", err)
			}
			if u := img.Config.Config.User; u != "65532:65532" {
				t.Errorf("image user %q, want the non-root 65532:65532 by default", u)
			}
			if passwd := string(files["/etc/passwd"].Data); !strings.Contains(passwd, "nonroot:x:65532:65532:") || strings.Contains(passwd, "/bin/sh") {
				t.Errorf("/etc/passwd:\n%s", passwd)
			}
		})
	}
}

func TestFrontendImageIsStaticScratchWithoutNetwork(t *testing.T) {
	l := requireLab(t)
	imgs := images(t, l.Frontend)
	if len(imgs) < 2 {
		t.Fatalf("frontend image %s has %d platforms, want linux/amd64 and linux/arm64", l.Frontend, len(imgs))
	}
	for _, img := range imgs {
		p := platformString(img.Platform)
		labels := img.Config.Config.Labels
		if labels["moby.buildkit.frontend.network.none"] != "true" {
			t.Errorf("%s: label moby.buildkit.frontend.network.none=%q: BuildKit would give the frontend a network", p, labels["moby.buildkit.frontend.network.none"])
		}
		if !strings.Contains(labels["moby.buildkit.frontend.caps"], "moby.buildkit.frontend.inputs") {
			t.Errorf("%s: caps label %q", p, labels["moby.buildkit.frontend.caps"])
		}
		if u := img.Config.Config.User; u == "" || u == "0" || strings.HasPrefix(u, "0:") || u == "root" {
			t.Errorf("%s: the frontend runs as %q, want non-root", p, u)
		}
		if len(img.Manifest.Layers) != 1 {
			t.Errorf("%s: %d layers, want one (scratch + the two binaries)", p, len(img.Manifest.Layers))
		}
		files := img.files(t)
		var regular []string
		for name, e := range files {
			if e.Header.Typeflag != '5' { // directories aside
				regular = append(regular, name)
			}
		}
		slices.Sort(regular)
		// the frontend, and gotool: the helper it hands to the Go steps
		want := []string{"/bin/goscratch-frontend", "/bin/gotool"}
		if !slices.Equal(regular, want) {
			t.Errorf("%s: files %v, want only %v", p, slices.Sorted(maps.Keys(files)), want)
			continue
		}
		for _, name := range want {
			if err := checkStatic(files[name].Data, img.Platform.Architecture); err != nil {
				t.Errorf("%s: %s: %v", p, name, err)
			}
		}
	}
}

func TestSecretLookingBuildArgWarns(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/hello")
	token := "ghp_" + strings.Repeat("A1b2", 9)
	out := l.buildx(t, dir, "-f", filepath.Join(dir, "goscratch.yaml"), "--platform", "linux/amd64",
		"--build-arg", "DEPLOY_TOKEN="+token, "--build-arg", "VERSION=1.0", "--output", "type=cacheonly")
	wantContains(t, "the build's output", out, "SecretInBuildArg",
		"build arg DEPLOY_TOKEN: its value looks like an access token", "use --secret id=deploy_token instead")
	if strings.Contains(out, "build arg VERSION") {
		t.Errorf("VERSION=1.0 was reported as a secret:\n%s", out)
	}
}
