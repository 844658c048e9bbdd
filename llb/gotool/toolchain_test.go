package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestKeepInToolchain(t *testing.T) {
	const tools = "pkg/tool/linux_amd64"
	for _, c := range []struct {
		rel  string
		dir  bool
		want bool
	}{
		{".", true, true},
		{"VERSION", false, true},
		{"go.env", false, true},
		{"lib/fips140/v1.0.0.zip", false, true},
		{"bin", true, true},
		{"bin/go", false, true},
		{"bin/gofmt", false, false},
		{"pkg", true, true},
		{"pkg/include/textflag.h", false, true},
		{"pkg/tool", true, true},
		{tools, true, true},
		{tools + "/compile", false, true},
		{tools + "/link", false, true},
		{tools + "/vet", false, false},
		{tools + "/pprof", false, false},
		{"pkg/tool/linux_arm64", true, false},
		{"pkg/tool/linux_arm64/compile", false, false},
		{"src", true, true},
		{"src/go.mod", false, true},
		{"src/runtime/asm_amd64.s", false, true},
		{"src/runtime/runtime.go", false, true},
		{"src/runtime/runtime_test.go", false, false},
		{"src/time/testdata", true, false},
		{"src/vendor/golang.org/x/net/dns/dnsmessage/message.go", false, true},
		{"src/cmd", true, false},
		{"src/cmd/go/main.go", false, false},
		{"src/cmdline", true, true},
		{"test", true, false},
		{"api", true, false},
		{"doc", true, false},
		{"misc", true, false},
	} {
		if got := keepInToolchain(c.rel, c.dir, tools); got != c.want {
			t.Errorf("keepInToolchain(%q, dir=%v) = %v, want %v", c.rel, c.dir, got, c.want)
		}
	}
}

// TestToolchainBuildsTheSameBinary copies the host's toolchain with gotool
// toolchain and cross-compiles a program that uses assembly and embeds a
// file with the copy's go and with the host's, each with an empty build
// cache: the binaries are the same, byte for byte.
func TestToolchainBuildsTheSameBinary(t *testing.T) {
	tmp, tool := buildGoTool(t)
	out := filepath.Join(tmp, "toolchain")
	toolRunner(t, tool, os.Environ())(tmp, "toolchain", "-o", out)
	goroot := strings.TrimSpace(runGo(t, os.Environ(), tmp, "env", "GOROOT"))
	copied := filepath.Join(out, goroot, "bin", "go")
	if _, err := os.Stat(filepath.Join(out, goroot, "src", "cmd")); err == nil {
		t.Errorf("the toolchain has src/cmd")
	}
	if fi, err := os.Stat(filepath.Join(out, "tmp")); err != nil || fi.Mode().Perm() != 0o777 {
		t.Errorf("the toolchain's /tmp: %v %v", fi, err)
	}

	src := filepath.Join(tmp, "src")
	writeFiles(t, src, map[string]string{
		"go.mod":  "module example.com/m\n\ngo 1.22\n",
		"v.txt":   "embedded\n",
		"main.go": "package main\n\nimport (\n\t\"crypto/sha256\"\n\t_ \"embed\"\n\t\"fmt\"\n)\n\n//go:embed v.txt\nvar v string\n\nfunc main() { fmt.Printf(\"%x\\n\", sha256.Sum256([]byte(v))) }\n",
	})
	build := func(goBin, name string) []byte {
		t.Helper()
		bin := filepath.Join(tmp, name)
		cmd := exec.Command(goBin, "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
		cmd.Dir = src
		cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "GOROOT=") }),
			"CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64", "GOTOOLCHAIN=local", "GOFLAGS=", "GOCACHE="+filepath.Join(tmp, "cache-"+name))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s build: %v\n%s", name, err, out)
		}
		data, err := os.ReadFile(bin)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	if !bytes.Equal(build("go", "host"), build(copied, "copy")) {
		t.Errorf("the copied toolchain builds a different binary")
	}
}

// TestLinkPathGo: PATH's go reached through a symlinked file and a
// symlinked directory gets the same links in the copy; a go that is not
// GOROOT's is an error.
func TestLinkPathGo(t *testing.T) {
	root := t.TempDir()
	goroot := filepath.Join(root, "opt", "go1.26")
	writeFiles(t, filepath.Join(goroot, "bin"), map[string]string{"go": "#!/bin/sh\n"})
	if err := os.Chmod(filepath.Join(goroot, "bin", "go"), 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		filepath.Join(root, "opt", "go"):        "go1.26",              // a directory link
		filepath.Join(root, "usr", "bin", "go"): "../../opt/go/bin/go", // a file link through it
	} {
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", filepath.Join(root, "usr", "bin"))
	out := t.TempDir()
	if err := linkPathGo(goroot, out); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		filepath.Join(out, root, "usr", "bin", "go"): "../../opt/go/bin/go",
		filepath.Join(out, root, "opt", "go"):        "go1.26",
	} {
		if got, err := os.Readlink(link); err != nil || got != target {
			t.Errorf("%s -> %q (%v), want %q", link, got, err, target)
		}
	}

	// a GOROOT set to the linked directory resolves, with the link made
	out2 := t.TempDir()
	if real, err := recreateLinks(filepath.Join(root, "opt", "go"), out2); err != nil || real != goroot {
		t.Errorf("recreateLinks: %q, %v; want %q", real, err, goroot)
	}
	if got, err := os.Readlink(filepath.Join(out2, root, "opt", "go")); err != nil || got != "go1.26" {
		t.Errorf("the GOROOT link: %q, %v", got, err)
	}

	other := filepath.Join(root, "wrapper")
	writeFiles(t, other, map[string]string{"go": "#!/bin/sh\n"})
	if err := os.Chmod(filepath.Join(other, "go"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", other)
	if err := linkPathGo(goroot, t.TempDir()); err == nil || !strings.Contains(err.Error(), "not GOROOT's") {
		t.Errorf("a go that is not GOROOT's: %v", err)
	}
}
