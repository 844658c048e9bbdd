package frontend

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// goBuild compiles a tiny program with the host toolchain.
func goBuild(t *testing.T, goarch string, flags ...string) *os.File {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\nfunc main() { println(\"hi\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "m")
	cmd := exec.Command("go", append(append([]string{"build", "-o", out}, flags...), ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch, "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestCheckStatic(t *testing.T) {
	amd64 := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	arm64 := ocispecs.Platform{OS: "linux", Architecture: "arm64"}
	static := goBuild(t, "arm64")
	if err := checkStatic(static, arm64, goHints); err != nil {
		t.Errorf("static arm64 binary: %v", err)
	}
	if err := checkStatic(static, amd64, goHints); err == nil || !strings.Contains(err.Error(), "built for AARCH64") {
		t.Errorf("arm64 binary for amd64: %v, want a machine mismatch", err)
	}
	// -buildmode=pie links dynamically even without cgo: the classic
	// "exec ... no such file or directory" in a scratch image
	pie := goBuild(t, "amd64", "-buildmode=pie")
	if err := checkStatic(pie, amd64, goHints); err == nil || !strings.Contains(err.Error(), "dynamically linked (it asks for the loader /lib64/ld-linux-x86-64.so.2)") {
		t.Errorf("pie binary: %v, want the dynamic-link error", err)
	}
	if err := checkStatic(strings.NewReader("#!/bin/sh\necho hi\n"), amd64, goHints); err == nil || !strings.Contains(err.Error(), "not an ELF") {
		t.Errorf("script: %v", err)
	}
}

func TestCheckStaticPackageArchive(t *testing.T) {
	// what `go build -o out ./lib` writes for a package that is not main
	err := checkStatic(strings.NewReader("!<arch>\n__.PKGDEF       0           0     0     644     1234      `\n"), ocispecs.Platform{OS: "linux", Architecture: "amd64"}, goHints)
	if err == nil || !strings.Contains(err.Error(), "is not package main") {
		t.Fatalf("error %v, want it to say the package is not main", err)
	}
}
