package golangimage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/goscratch/goscratch/internal/lab"
)

var (
	fullVersion  = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	minorVersion = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)
)

// resolve is X.Y.Z for v (X.Y.Z, goX.Y.Z, or X.Y: the newest patch the Go
// module proxy serves for this host).
func (b *Builder) resolve(ctx context.Context, v string) (string, error) {
	v = strings.TrimPrefix(v, "go")
	switch {
	case fullVersion.MatchString(v):
		return v, nil
	case minorVersion.MatchString(v):
		out, err := b.goOutput(ctx, "list", "-m", "-versions", "golang.org/toolchain")
		if err != nil {
			return "", err
		}
		if p := NewestPatch(strings.Fields(out), v, lab.HostArch()); p != "" {
			return p, nil
		}
		return "", fmt.Errorf("the Go module proxy serves no go%s.N toolchain", v)
	}
	return "", fmt.Errorf("bad Go version %q (want X.Y.Z, goX.Y.Z or X.Y)", v)
}

// NewestPatch picks from golang.org/toolchain's versions the newest
// X.Y.N release for linux/arch ("" when there is none).
func NewestPatch(versions []string, minor, arch string) string {
	best, bestN := "", -1
	for _, mv := range versions {
		rest, ok := strings.CutPrefix(mv, "v0.0.1-go"+minor+".")
		if !ok {
			continue
		}
		n, ok := strings.CutSuffix(rest, ".linux-"+arch)
		if !ok {
			continue
		}
		if p, err := strconv.Atoi(n); err == nil && p > bestN {
			best, bestN = minor+"."+n, p
		}
	}
	return best
}

type toolchain struct{ Dir, Sum, Error string }

// toolchain downloads golang.org/toolchain for linux/arch (module cache).
func (b *Builder) toolchain(ctx context.Context, version, arch string) (toolchain, error) {
	mod := "golang.org/toolchain@v0.0.1-go" + version + ".linux-" + arch
	out, err := b.goOutput(ctx, "mod", "download", "-json", mod)
	var tc toolchain
	if jerr := json.Unmarshal([]byte(out), &tc); jerr == nil && tc.Error != "" {
		return tc, fmt.Errorf("no Go %s toolchain for linux/%s from the Go module proxy: %s", version, arch, tc.Error)
	}
	if err != nil {
		return tc, err
	}
	if tc.Dir == "" || tc.Sum == "" {
		return tc, fmt.Errorf("go mod download %s: no directory or sum", mod)
	}
	return tc, nil
}

// goOutput runs the go command outside any module (so no go.mod or go.sum
// is touched) with the Go module proxy as the only source.
func (b *Builder) goOutput(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = b.work
	if cmd.Dir == "" {
		cmd.Dir = os.TempDir()
	}
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	if b.goproxy != "" {
		cmd.Env = append(cmd.Env, "GOPROXY="+b.goproxy)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("go %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(string(out)), nil
}

// proxyOnly is GOPROXY without its direct/off fallbacks: only the Go
// module proxy may be dialled, never a VCS host.
func proxyOnly() (string, error) {
	out, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOPROXY: %w", err)
	}
	return ProxyOnly(strings.TrimSpace(string(out)))
}

// ProxyOnly strips a trailing direct or off from a GOPROXY list.
func ProxyOnly(p string) (string, error) {
	for _, suffix := range []string{",direct", "|direct", ",off", "|off"} {
		p = strings.TrimSuffix(p, suffix)
	}
	if p == "" || p == "direct" || p == "off" {
		return "", fmt.Errorf("go env GOPROXY names no module proxy (%q): set GOPROXY", p)
	}
	return p, nil
}

// copyGoroot lays a toolchain module's tree out as a GOROOT at dest. The
// module cache is read-only and module zips drop exec bits: copy (keeping
// times, so the layer is the same every time), then fix the modes.
func copyGoroot(src, dest string) error {
	if err := run("", "cp", "-a", src, dest); err != nil {
		return err
	}
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return os.Chmod(p, fi.Mode().Perm()|0o200)
	})
	if err != nil {
		return err
	}
	exes, _ := filepath.Glob(filepath.Join(dest, "bin", "*"))
	tools, _ := filepath.Glob(filepath.Join(dest, "pkg", "tool", "*", "*"))
	for _, p := range append(exes, tools...) {
		if err := os.Chmod(p, 0o755); err != nil {
			return err
		}
	}
	return nil
}
