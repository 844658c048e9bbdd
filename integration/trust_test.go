package integration

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/client"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
)

// Capability: what release engineers need before they ship — reproducible
// digests, binaries verified static, an SBOM from Go build info, provenance.

// pushSpec builds a spec with the Go client and pushes it; it returns the
// pushed digest (the index for several platforms).
func (l *lab) pushSpec(t *testing.T, dir, file string, attrs map[string]string) string {
	t.Helper()
	ref := l.ref("trust")
	res, p, err := l.solveSpec(t, dir, file, attrs, client.ExportEntry{
		Type: client.ExporterImage, Attrs: map[string]string{"name": ref, "push": "true"},
	})
	if err != nil {
		t.Fatalf("build %s: %v\n%s", file, err, p.allLogs())
	}
	return ref[:strings.LastIndex(ref, ":")] + "@" + res.ExporterResponse["containerimage.digest"]
}

func (l *lab) prune(t *testing.T) {
	t.Helper()
	run(t, "buildctl", "--addr", l.BuildkitAddr, "prune", "--all")
}

func TestReproducibleDigests(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/hello")
	attrs := map[string]string{"platform": "linux/amd64,linux/arm64"}
	l.prune(t)
	first := l.pushSpec(t, dir, "goscratch.yaml", attrs)
	l.prune(t) // clean caches, module and build cache mounts included
	second := l.pushSpec(t, dir, "goscratch.yaml", attrs)
	if digestOf(first) != digestOf(second) {
		t.Fatalf("two clean builds gave different index digests: %s and %s", first, second)
	}

	attrs["build-arg:SOURCE_DATE_EPOCH"] = "1700000000"
	dated := l.pushSpec(t, dir, "goscratch.yaml", attrs)
	if digestOf(dated) == digestOf(first) {
		t.Fatalf("a different SOURCE_DATE_EPOCH gave the same digest")
	}
	if c := images(t, dated)[0].Config.Created; c == nil || c.Unix() != 1700000000 {
		t.Errorf("created %v, want SOURCE_DATE_EPOCH", c)
	}

	// a one-line source change changes only the binary layer
	edited := copyDir(t, dir)
	editSource(t, edited, "hello from goscratch", "hello from goscratch, "+nonce())
	delete(attrs, "build-arg:SOURCE_DATE_EPOCH")
	changed := l.pushSpec(t, edited, "goscratch.yaml", attrs)
	before, after := byPlatform(images(t, first)), byPlatform(images(t, changed))
	for p, a := range before {
		b := after[p]
		if b == nil || len(a.Manifest.Layers) != len(b.Manifest.Layers) {
			t.Fatalf("%s: layer count changed", p)
		}
		last := len(a.Manifest.Layers) - 1
		for i := range a.Manifest.Layers {
			same := a.Manifest.Layers[i].Digest == b.Manifest.Layers[i].Digest
			if i < last && !same {
				t.Errorf("%s: layer %d changed after a source edit; only the binary layer may", p, i)
			}
			if i == last && same {
				t.Errorf("%s: the binary layer did not change after a source edit", p)
			}
		}
	}
}

func digestOf(ref string) string { return ref[strings.LastIndex(ref, "@")+1:] }

func byPlatform(imgs []*image) map[string]*image {
	m := map[string]*image{}
	for _, img := range imgs {
		m[platformString(img.Platform)] = img
	}
	return m
}

// GOFLAGS in goenv is checked as goflags are: -buildmode=pie, which links
// dynamically even with CGO_ENABLED=0, is refused at its spec line before
// anything runs (TestStaticCheckRejectsCgo proves the static check on a
// binary that really is dynamic).
func TestGoenvGOFLAGSIsCheckedLikeGoflags(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/hello"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), "main: .\ngoenv:\n  GOFLAGS: -buildmode=pie\n")
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", map[string]string{"platform": "linux/arm64"})
	if err == nil {
		t.Fatalf("GOFLAGS=-buildmode=pie was accepted\n%s", p.allLogs())
	}
	for _, want := range []string{"goscratch.yaml:3:", "goenv.GOFLAGS", "-buildmode cannot be set in goflags"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// inToto is the part of an in-toto statement the tests read.
type inToto struct {
	PredicateType string          `json:"predicateType"`
	Predicate     json.RawMessage `json:"predicate"`
}

// attestations returns the in-toto statements attached to the image for
// platform, by predicate type.
func attestations(t *testing.T, ref, platform string) map[string][]byte {
	t.Helper()
	host, repo, tag := splitRef(ref)
	dt, _ := registryGet(t, "http://"+host+"/v2/"+repo+"/manifests/"+tag, mediaIndex)
	var idx ocispecs.Index
	if err := json.Unmarshal(dt, &idx); err != nil {
		t.Fatal(err)
	}
	var target string
	for _, d := range idx.Manifests {
		if d.Platform != nil && platformString(*d.Platform) == platform {
			target = d.Digest.String()
		}
	}
	out := map[string][]byte{}
	for _, d := range idx.Manifests {
		if d.Annotations["vnd.docker.reference.digest"] != target || target == "" {
			continue
		}
		mdt, _ := registryGet(t, "http://"+host+"/v2/"+repo+"/manifests/"+d.Digest.String(), mediaManifest)
		img := &image{host: host, repo: repo}
		if err := json.Unmarshal(mdt, &img.Manifest); err != nil {
			t.Fatal(err)
		}
		for _, l := range img.Manifest.Layers {
			var st inToto
			if err := json.Unmarshal(img.blob(t, l.Digest.String()), &st); err != nil {
				t.Fatal(err)
			}
			out[st.PredicateType] = st.Predicate
		}
	}
	return out
}

func TestSBOMFromBuildInfo(t *testing.T) {
	l := requireLab(t)
	for _, subject := range []struct{ name, dir, file, bin string }{
		{"hello", repoPath("examples/hello"), "goscratch.yaml", "/usr/local/bin/hello"},
		{"frontend", repoPath("."), "goscratch.yaml", "/usr/local/bin/goscratch-frontend"},
	} {
		t.Run(subject.name, func(t *testing.T) {
			ref := l.ref("sbom-" + subject.name)
			l.buildx(t, subject.dir, "-f", filepath.Join(subject.dir, subject.file), "--platform", "linux/amd64,linux/arm64",
				"--sbom=true", "-t", ref, "--push")
			for _, img := range images(t, ref) {
				p := platformString(img.Platform)
				doc := spdxDoc(t, ref, p)
				var got []string
				for _, pkg := range doc.Packages {
					if pkg.PrimaryPackagePurpose == "LIBRARY" && pkg.PackageName != "stdlib" {
						got = append(got, pkg.PackageName+" "+pkg.PackageVersion)
					}
				}
				want := goVersionDeps(t, img.files(t)[subject.bin].Data)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("%s: SBOM modules differ from `go version -m`:\n got %v\nwant %v", p, got, want)
				}
				if subject.name == "frontend" && len(got) < 20 {
					t.Errorf("%s: only %d modules in the frontend's SBOM", p, len(got))
				}
			}
		})
	}
}

// goVersionDeps runs `go version -m` on a binary and returns its dep lines
// as "path version", sorted.
func goVersionDeps(t *testing.T, bin []byte) []string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "bin")
	if err := os.WriteFile(f, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "version", "-m", f).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, out)
	}
	var deps []string
	for _, line := range strings.Split(string(out), "\n") {
		fields := strings.Fields(line)
		if len(fields) >= 3 && fields[0] == "dep" {
			deps = append(deps, fields[1]+" "+fields[2])
		}
	}
	slices.Sort(deps)
	return deps
}

func TestProvenanceRecordsBuildArgs(t *testing.T) {
	l := requireLab(t)
	ref := l.ref("provenance")
	dir := repoPath("examples/hello")
	l.buildx(t, dir, "-f", filepath.Join(dir, "goscratch.yaml"), "--platform", "linux/amd64",
		"--provenance=mode=max", "--build-arg", "VERSION=1.2.3-provenance", "-t", ref, "--push")
	var pred []byte
	for typ, p := range attestations(t, ref, "linux/amd64") {
		if strings.HasPrefix(typ, "https://slsa.dev/provenance/") {
			pred = p
		}
	}
	if pred == nil {
		t.Fatal("no provenance attestation")
	}
	if !strings.Contains(string(pred), "1.2.3-provenance") || !strings.Contains(string(pred), "VERSION") {
		t.Errorf("provenance does not record the VERSION build arg:\n%.2000s", pred)
	}
}

func TestVersionInjectionAndAnnotations(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/hello")
	ref := l.ref("hello-version")
	l.buildx(t, dir, "-f", filepath.Join(dir, "goscratch.yaml"), "--platform", "linux/amd64,linux/arm64",
		"--build-arg", "VERSION=9.9.9", "--build-arg", "VCS_REVISION=0123abcd", "-t", ref, "--push")
	host, repo, tag := splitRef(ref)
	dt, _ := registryGet(t, "http://"+host+"/v2/"+repo+"/manifests/"+tag, mediaIndex)
	var idx ocispecs.Index
	if err := json.Unmarshal(dt, &idx); err != nil {
		t.Fatal(err)
	}
	if idx.Annotations["org.opencontainers.image.version"] != "9.9.9" || idx.Annotations["org.opencontainers.image.revision"] != "0123abcd" {
		t.Errorf("index annotations %v", idx.Annotations)
	}
	for _, img := range images(t, ref) {
		p := platformString(img.Platform)
		if a := img.Manifest.Annotations; a["org.opencontainers.image.version"] != "9.9.9" || a["org.opencontainers.image.title"] != "hello" || a["org.opencontainers.image.created"] != "1970-01-01T00:00:00Z" {
			t.Errorf("%s: manifest annotations %v", p, a)
		}
		if v := img.Config.Config.Labels["org.opencontainers.image.version"]; v != "9.9.9" {
			t.Errorf("%s: version label %q", p, v)
		}
		if out := l.runInImage(t, ref, img, "-selfcheck"); !strings.Contains(out, "hello from goscratch 9.9.9") {
			t.Errorf("%s: the binary does not report the injected version:\n%s", p, out)
		}
	}
}

func TestStaticCheckRejectsCgo(t *testing.T) {
	l := requireLab(t)
	// the bookworm builder has gcc, so CGO_ENABLED=1 really links libc
	dir := writeTree(t, map[string]string{
		"go.mod":         "module example.com/whoami\n\ngo 1.26\n",
		"main.go":        "package main\n\nimport (\n\t\"fmt\"\n\t\"os/user\"\n)\n\nfunc main() {\n\tu, err := user.Current()\n\tfmt.Println(u, err)\n}\n",
		"goscratch.yaml": "builder: golang:1.26-bookworm\nmain: .\ngoenv: {CGO_ENABLED: \"1\"}\n",
	})
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", map[string]string{"platform": "linux/amd64"})
	if err == nil {
		t.Fatalf("a cgo binary was accepted into a scratch image\n%s", p.allLogs())
	}
	for _, want := range []string{"goscratch.yaml:2:", "[linux/amd64] /usr/local/bin/whoami", "dynamically linked", "/lib64/ld-linux-x86-64.so.2", "CGO_ENABLED=1"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestCgoOnlyPackageIsExplained(t *testing.T) {
	l := requireLab(t)
	dir := writeTree(t, map[string]string{
		"go.mod":         "module example.com/needscgo\n\ngo 1.26\n",
		"main.go":        "package main\n\nimport \"example.com/needscgo/clib\"\n\nfunc main() { clib.Hello() }\n",
		"clib/clib.go":   "package clib\n\n// #include <stdio.h>\n// static void hello(void) { puts(\"hello\"); }\nimport \"C\"\n\nfunc Hello() { C.hello() }\n",
		"goscratch.yaml": "main: .\n",
	})
	_, p, err := l.solveSpec(t, dir, "goscratch.yaml", map[string]string{"platform": "linux/arm64"})
	if err == nil {
		t.Fatalf("a cgo-only package built with CGO_ENABLED=0")
	}
	logs := p.allLogs()
	for _, want := range []string{"build constraints exclude all Go files", "goscratch: the build failed because", "needs cgo", "CGO_ENABLED=0"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the failed build's output lacks %q:\n%s", want, logs)
		}
	}
}

// spdxDoc is the SPDX SBOM attested for platform p of ref, parsed.
func spdxDoc(t *testing.T, ref, p string) *spdx.Document {
	t.Helper()
	pred, ok := attestations(t, ref, p)["https://spdx.dev/Document"]
	if !ok {
		t.Fatalf("%s: no SPDX attestation", p)
	}
	doc, err := spdxjson.Read(strings.NewReader(string(pred)))
	if err != nil {
		t.Fatalf("%s: SPDX does not parse: %v", p, err)
	}
	return doc
}
