package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Capability: the reserved target `test` runs go vet and go test for the
// module on the build platform; failing tests fail the build and show their
// output; passing tests export nothing unless the spec asks for a report
// (examples/test-target).

func TestTestTargetReport(t *testing.T) {
	l := requireLab(t)
	dir := repoPath("examples/test-target")
	out := t.TempDir()
	// --no-cache: the step's log is only printed when it runs
	log := l.buildx(t, dir, "-f", filepath.Join(dir, "goscratch.yaml"), "--target", "test", "--no-cache",
		"--output", "type=local,dest="+out)
	wantContains(t, "the test step's log", log, "ok  \texample.com/testtarget/calc")
	report := readDir(t, out)
	for _, f := range []string{"go-test.json", "go-test.txt", "go-vet.txt"} {
		if _, ok := report[f]; !ok {
			t.Errorf("no %s in the exported report: %v", f, keys(report))
		}
	}
	wantContains(t, "go-test.json", report["go-test.json"], `"Action":"pass","Package":"example.com/testtarget/calc","Test":"TestSum"`)
	wantContains(t, "go-test.txt", report["go-test.txt"], "ok  \texample.com/testtarget/calc")
	if len(report) != 3 {
		t.Errorf("report holds %v, want only the report files", keys(report))
	}
}

func TestTestTargetExportsNothingByDefault(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/test-target"))
	writeFile(t, filepath.Join(dir, "goscratch.yaml"), "main: .\ntest: {}\n")
	out := t.TempDir()
	l.buildx(t, dir, "-f", filepath.Join(dir, "goscratch.yaml"), "--target", "test", "--output", "type=local,dest="+out)
	if got := readDir(t, out); len(got) != 0 {
		t.Errorf("passing tests without report: exported %v, want nothing", keys(got))
	}
}

func TestTestTargetFailureFailsTheBuild(t *testing.T) {
	l := requireLab(t)
	dir := copyDir(t, repoPath("examples/test-target"))
	id := nonce() // a test no earlier run has seen: the daemon's cache outlives runs
	writeFile(t, filepath.Join(dir, "calc/broken_test.go"), `package calc

import "testing"

func TestBroken`+id+`(t *testing.T) {
	if got := Sum(40, 1); got != 42 {
		t.Errorf("Sum(40, 1) = %d, want 42", got)
	}
}
`)
	// a vet error in a package without tests: only the full go vet sees it
	writeFile(t, filepath.Join(dir, "vet.go"), "package main\n\nimport \"fmt\"\n\nfunc describe() string { return fmt.Sprintf(\"%d\", \"forty-two\") }\n")
	out, err := runErr("docker", "buildx", "build", "--builder", l.Builder, "--progress", "plain",
		"--build-arg", "BUILDKIT_SYNTAX="+l.Frontend, "-f", filepath.Join(dir, "goscratch.yaml"),
		"--target", "test", "--output", "type=local,dest="+t.TempDir(), dir)
	if err == nil {
		t.Fatalf("a failing test did not fail the build:\n%s", out)
	}
	wantContains(t, "the failed build's output", out,
		"--- FAIL: TestBroken"+id, "broken_test.go:7: Sum(40, 1) = 41, want 42", // the test's own output
		"fmt.Sprintf format %d has arg \"forty-two\" of wrong type string", // go vet's
		"goscratch: go vet and go test failed")
	if strings.Contains(out, "--- PASS: TestSum") {
		t.Errorf("passing tests' output is shown without -v:\n%s", out)
	}
}

func TestTestTargetExampleImage(t *testing.T) {
	l := requireLab(t)
	ref, _ := l.pushExample(t, repoPath("examples/test-target"), "test-target", map[string]string{"platform": "linux/amd64"})
	wantContains(t, "the example's image", l.runInImage(t, ref, imageFor(t, ref, "linux/amd64")), "sum: 6")
}

// readDir returns the files under dir (relative names) and their contents.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		dt, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(dt)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
