package frontend

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	spdxjson "github.com/spdx/tools-golang/json"
)

// frontendBinaryInfo builds the frontend itself (100+ dependency modules)
// with the host toolchain and reads its build info.
func frontendBinaryInfo(t *testing.T) binaryInfo {
	t.Helper()
	out := filepath.Join(t.TempDir(), "goscratch-frontend")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, "../cmd/goscratch-frontend")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bi, err := readBuildInfo("/usr/local/bin/frontend.test", f)
	if err != nil {
		t.Fatal(err)
	}
	if len(bi.Info.Deps) < 20 {
		t.Fatalf("only %d deps in the frontend binary", len(bi.Info.Deps))
	}
	return bi
}

func TestSPDXFromBuildInfo(t *testing.T) {
	bi := frontendBinaryInfo(t)
	epoch := time.Unix(1700000000, 0)
	var buf bytes.Buffer
	if err := spdxjson.Write(spdxDocument("goscratch-test", epoch, []binaryInfo{bi}), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := spdxjson.Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the SBOM does not parse as SPDX: %v", err)
	}
	if doc.CreationInfo.Created != "2023-11-14T22:13:20Z" {
		t.Errorf("created %q, want the epoch", doc.CreationInfo.Created)
	}
	var got, want []string
	for _, p := range doc.Packages {
		if p.PrimaryPackagePurpose == "LIBRARY" && p.PackageName != "stdlib" {
			got = append(got, p.PackageName+"@"+p.PackageVersion)
			if len(p.PackageChecksums) != 1 {
				t.Errorf("%s: checksums %v, want the go.sum hash as SHA256", p.PackageName, p.PackageChecksums)
			}
		}
	}
	for _, m := range bi.Info.Deps {
		want = append(want, m.Path+"@"+m.Version)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("SBOM modules differ from the build info:\n got %v\nwant %v", got, want)
	}
	var stdlib, app bool
	for _, p := range doc.Packages {
		stdlib = stdlib || (p.PackageName == "stdlib" && "go"+p.PackageVersion == bi.Info.GoVersion)
		app = app || (p.PrimaryPackagePurpose == "APPLICATION" && p.PackageFileName == "/usr/local/bin/frontend.test")
	}
	if !stdlib || !app {
		t.Errorf("stdlib package %v, application package %v", stdlib, app)
	}

	// deterministic
	var again bytes.Buffer
	if err := spdxjson.Write(spdxDocument("goscratch-test", epoch, []binaryInfo{bi}), &again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("the SBOM is not deterministic")
	}
}
