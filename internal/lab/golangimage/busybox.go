package golangimage

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// busyboxDockerfile is the lab's stand-in for the debug variant's default
// image (busybox:musl on Docker Hub, which tests may not pull): the static
// busybox the plain golang image has, its applets hard links in /bin (as
// the real image has them, so a copy of /bin keeps one busybox).
const busyboxDockerfile = `FROM scratch
ARG TARGETARCH
COPY busybox/${TARGETARCH} /bin/busybox
RUN ["/bin/busybox", "--install", "/bin"]
`

// busyboxImage builds and pushes Options.Busybox (a docker.io name such as
// busybox:1.37.0-musl) to the lab registry, which the daemons use as
// docker.io's mirror. BuildKit's cache makes a rebuild of the same files
// a no-op, so it is made on every run.
func (b *Builder) busyboxImage(ctx context.Context) error {
	name := b.Opts.Busybox
	if !strings.Contains(name, "/") {
		name = "library/" + name
	}
	dir := filepath.Join(b.work, "busybox-context")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, arch := range arches(b.Opts.Platforms) {
		if err := b.copyBusybox(arch, dir); err != nil {
			return err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(busyboxDockerfile), 0o644); err != nil {
		return err
	}
	err := b.buildctl(ctx, "busybox-image.log", "build", "--progress", "plain",
		"--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "platform="+strings.Join(b.Opts.Platforms, ","),
		"--output", "type=image,name="+b.Lab.Registry+"/"+name+",push=true")
	if err != nil {
		return fmt.Errorf("building the lab's %s: %w", b.Opts.Busybox, err)
	}
	b.logf("%s (static busybox, %s) pushed as %s/%s", b.Opts.Busybox, strings.Join(b.Opts.Platforms, ","), b.Lab.Registry, name)
	return nil
}

// copyBusybox puts arch's static busybox at busybox/ARCH in the context dir.
func (b *Builder) copyBusybox(arch, dir string) error {
	dst := filepath.Join(dir, "busybox", arch)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := run("", "cp", busyboxFor(b.Lab.Cache, arch), dst); err != nil {
		return err
	}
	return os.Chmod(dst, 0o755)
}
