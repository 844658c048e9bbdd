package golangimage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/goscratch/goscratch/internal/lab"
)

// makeContext writes the build context: Dockerfile, goroot/ARCH, and the
// flavour's base (rootfs/ and busybox/ARCH, or rootfs-ARCH.tar.zst and gopath/).
func (b *Builder) makeContext(ctx context.Context, version, dir string) error {
	f := b.Opts.Flavour
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "goroot"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(f.Dockerfile(version)), 0o644); err != nil {
		return err
	}
	for _, arch := range arches(b.Opts.Platforms) {
		tc, err := b.toolchain(ctx, version, arch)
		if err != nil {
			return err
		}
		if err := copyGoroot(tc.Dir, filepath.Join(dir, "goroot", arch)); err != nil {
			return err
		}
		switch f {
		case Plain:
			if err := b.copyBusybox(arch, dir); err != nil {
				return err
			}
		case Bookworm:
			dst := filepath.Join(dir, "rootfs-"+arch+".tar.zst")
			if err := os.Link(b.rootfs[arch].tarball, dst); err != nil {
				if err := run("", "cp", b.rootfs[arch].tarball, dst); err != nil {
					return err
				}
			}
		}
	}
	switch f {
	case Plain:
		return makePlainRootfs(filepath.Join(dir, "rootfs"))
	case Bookworm:
		for _, d := range []string{"gopath", "gopath/src", "gopath/bin"} {
			p := filepath.Join(dir, d)
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
			if err := os.Chmod(p, 0o777|os.ModeSticky); err != nil {
				return err
			}
		}
	}
	return nil
}

// build builds and pushes the image under every tag; it returns its digest.
func (b *Builder) build(ctx context.Context, version, dir string, tags []string) (string, error) {
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = b.Lab.Registry + "/" + Repo + ":" + t
	}
	meta := filepath.Join(b.work, "metadata-"+b.Opts.Flavour.name()+"-"+version+".json")
	err := b.buildctl(ctx, "golang-image-"+tags[0]+".log", "build", "--progress", "plain",
		"--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "platform="+strings.Join(b.Opts.Platforms, ","),
		"--output", `type=image,"name=`+strings.Join(names, ",")+`",push=true`,
		"--metadata-file", meta)
	if err != nil {
		return "", fmt.Errorf("building golang:%s: %w", tags[0], err)
	}
	dt, err := os.ReadFile(meta)
	if err != nil {
		return "", err
	}
	var m map[string]any
	if err := json.Unmarshal(dt, &m); err != nil {
		return "", fmt.Errorf("%s: %w", meta, err)
	}
	digest, _ := m["containerimage.digest"].(string)
	if digest == "" {
		return "", fmt.Errorf("%s has no containerimage.digest", meta)
	}
	return digest, nil
}

// verify runs the flavour's checks FROM golang:tag on every platform.
func (b *Builder) verify(ctx context.Context, tag string) error {
	dir := filepath.Join(b.work, "verify")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(b.Opts.Flavour.VerifyDockerfile(tag)), 0o644); err != nil {
		return err
	}
	return b.buildctl(ctx, "golang-image-verify-"+tag+".log", "build", "--progress", "plain",
		"--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "platform="+strings.Join(b.Opts.Platforms, ","), "--opt", "no-cache=")
}

// buildctl runs buildctl on the lab's buildkitd, its output in the lab's
// log named logName; a failure carries the log's tail.
func (b *Builder) buildctl(ctx context.Context, logName string, args ...string) error {
	return lab.RunLogged(ctx, filepath.Join(b.Lab.Logs(), logName), "buildctl", append([]string{"--addr", b.Lab.Addr()}, args...)...)
}

// --- helpers --------------------------------------------------------------

func hashString(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// run runs a command; a failure carries its output.
func run(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}
