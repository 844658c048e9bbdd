package frontend

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

func TestLocalGoTool(t *testing.T) {
	if runtime.GOARCH == "arm" {
		t.Skip("32-bit arm always compiles gotool")
	}
	dir := t.TempDir()
	here := ocispecs.Platform{OS: runtime.GOOS, Architecture: runtime.GOARCH}
	if localGoTool(filepath.Join(dir, goToolName), here) != nil {
		t.Fatalf("a prebuilt gotool from an empty directory")
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, goToolName), "../llb/gotool")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building gotool: %v\n%s", err, out)
	}
	if localGoTool(filepath.Join(dir, goToolName), here) == nil {
		t.Errorf("no prebuilt gotool for this platform")
	}
	other := ocispecs.Platform{OS: "linux", Architecture: "s390x"}
	if localGoTool(filepath.Join(dir, goToolName), other) != nil {
		t.Errorf("the frontend's gotool offered for another build platform")
	}
	if err := os.WriteFile(filepath.Join(dir, goToolName), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if localGoTool(filepath.Join(dir, goToolName), here) != nil {
		t.Errorf("a file that is not an executable for this platform was taken for gotool")
	}
}
