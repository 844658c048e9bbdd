// Package golangimage makes the lab's golang builder images without any
// outside registry and pushes them to the lab registry as
// library/golang:<X.Y.Z>[-bookworm] and :<X.Y>[-bookworm] (which the lab
// buildkitd's docker.io mirror serves as golang:X.Y...): the Go toolchain
// from the golang.org/toolchain module of each platform (Go module proxy
// only), over a flavour's base (flavour.go, rootfs.go).
//
// An image is rebuilt only when its inputs change: the key is a hash of
// what goes into it (Go version, flavour, platforms, the Dockerfile, the
// toolchains' module sums, the base's content or recipe, this package's
// layout version), never of code text. With Check the registry's digests
// of an unchanged image are read again, and a missing or moved tag is
// rebuilt.
package golangimage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/goscratch/goscratch/internal/lab"
)

// Repo is the images' repository in the lab registry.
const Repo = "library/golang"

// Options are a run's settings.
type Options struct {
	Flavour   Flavour
	Platforms []string // Flavour.DefaultPlatforms when nil
	Force     bool     // build and push even when up to date
	Refresh   bool     // bookworm: debootstrap the rootfs again (newer Debian packages)
	NoVerify  bool     // skip the verify build after a push
	Check     bool     // read the registry's digests of an unchanged image again (else trust the stamp)
	Debian    Debian   // bookworm: the Debian recipe; DefaultDebian when zero
	Busybox   string   // plain: also push this busybox image (e.g. busybox:1.37.0-musl) made of the same busybox; "": none
}

// Builder makes images for one lab.
type Builder struct {
	Lab  *lab.Lab
	Opts Options
	Out  io.Writer // progress; os.Stderr when nil

	goproxy string
	work    string // this lab's work directory (contexts, metadata, verify)
	rootfs  map[string]rootfsResult
}

func (b *Builder) logf(format string, args ...any) {
	out := b.Out
	if out == nil {
		out = os.Stderr
	}
	fmt.Fprintf(out, "==> "+format+"\n", args...)
}

// Run makes the images of versions (X.Y.Z, goX.Y.Z, or X.Y: the newest
// patch the Go module proxy serves; none: the host's go version).
func (b *Builder) Run(ctx context.Context, versions []string) error {
	o := &b.Opts
	if o.Flavour == "" {
		o.Flavour = Plain
	}
	if len(o.Platforms) == 0 {
		o.Platforms = o.Flavour.DefaultPlatforms(os.Getenv)
	}
	if err := b.preflight(ctx); err != nil {
		return err
	}
	b.work = filepath.Join(b.Lab.Dir, "golang-image")
	if err := os.MkdirAll(b.work, 0o755); err != nil {
		return err
	}
	unlock, err := lab.Flock(filepath.Join(b.work, ".lock"))
	if err != nil {
		return err
	}
	defer unlock()
	if b.goproxy, err = proxyOnly(); err != nil {
		return err
	}
	if len(versions) == 0 {
		v, err := b.goOutput(ctx, "env", "GOVERSION")
		if err != nil {
			return err
		}
		versions = []string{strings.Fields(v)[0]}
	}
	if o.Flavour == Bookworm {
		if o.Debian.Suite == "" {
			if o.Debian, err = DefaultDebian(os.Getenv); err != nil {
				return err
			}
		}
		b.rootfs = map[string]rootfsResult{}
		for _, arch := range arches(o.Platforms) {
			r, err := b.ensureRootfs(ctx, arch)
			if err != nil {
				return err
			}
			b.rootfs[arch] = r
		}
	}
	for _, v := range versions {
		if err := b.one(ctx, v); err != nil {
			return err
		}
	}
	if o.Flavour == Plain && o.Busybox != "" {
		return b.busyboxImage(ctx)
	}
	return nil
}

// preflight: the tools are there and the lab answers.
func (b *Builder) preflight(ctx context.Context) error {
	tools := []string{"go", "buildctl", "cp"}
	if b.Opts.Flavour == Bookworm {
		if os.Geteuid() != 0 {
			return errors.New("debootstrap needs root")
		}
		tools = append(tools, "debootstrap", "zstd", "unshare", "tar", "chroot")
	}
	for _, t := range tools {
		if _, err := exec.LookPath(t); err != nil {
			return fmt.Errorf("%s not found: run hack/install.sh (make tools)", t)
		}
	}
	if !lab.RegistryUp(ctx, b.Lab.Registry) {
		return fmt.Errorf("registry %s is not up: run hack/env-up.sh (make env-up)", b.Lab.Registry)
	}
	if !b.Lab.Buildkitd().Ready(ctx) {
		return fmt.Errorf("buildkitd at %s is not up: run hack/env-up.sh (make env-up)", b.Lab.Addr())
	}
	return nil
}

// one makes the image of one version unless it is up to date.
func (b *Builder) one(ctx context.Context, v string) error {
	t0 := time.Now()
	version, err := b.resolve(ctx, v)
	if err != nil {
		return err
	}
	f := b.Opts.Flavour
	tags := f.Tags(version)
	in, err := b.inputs(ctx, version)
	if err != nil {
		return err
	}
	key := in.key()
	st := readStamp(b.stampFile(version))
	if !b.Opts.Force && st.key == key {
		fresh := true
		if b.Opts.Check {
			fresh, err = b.tagsAt(ctx, tags, st.digest)
			if err != nil {
				return err
			}
		}
		if fresh {
			b.logf("golang:%s is up to date (%.1fs)", tags[0], time.Since(t0).Seconds())
			return nil
		}
		b.logf("golang:%s: the registry does not have %s at %s: rebuilding", tags[0], strings.Join(tags, ", "), st.digest)
	}
	b.logf("building golang:%s (%s)", tags[0], strings.Join(b.Opts.Platforms, ","))
	ctxDir := filepath.Join(b.work, "ctx-"+f.name()+"-"+version)
	if err := b.makeContext(ctx, version, ctxDir); err != nil {
		return err
	}
	digest, err := b.build(ctx, version, ctxDir, tags)
	if err != nil {
		return err
	}
	_ = os.RemoveAll(ctxDir)
	// Rebuilt (from BuildKit's cache) to the digest already verified for
	// these inputs, only a tag had moved: no need to verify it again.
	if !b.Opts.NoVerify && (b.Opts.Force || st != (stamp{key, digest})) {
		if err := b.verify(ctx, tags[0]); err != nil {
			return fmt.Errorf("golang:%s does not work as a Go builder: %w", tags[0], err)
		}
	}
	if err := writeStamp(b.stampFile(version), stamp{key, digest}, in.text()); err != nil {
		return err
	}
	b.logf("pushed %s/%s:{%s} %s (%.1fs)", b.Lab.Registry, Repo, strings.Join(tags, ","), digest, time.Since(t0).Seconds())
	return nil
}

func (f Flavour) name() string { return string(f) }

// tagsAt: every tag is at digest in the lab registry.
func (b *Builder) tagsAt(ctx context.Context, tags []string, digest string) (bool, error) {
	for _, t := range tags {
		d, err := lab.Digest(ctx, b.Lab.Registry, Repo, t)
		if err != nil {
			return false, err
		}
		if d != digest {
			return false, nil
		}
	}
	return true, nil
}

// --- inputs ---------------------------------------------------------------

// inputs are the named values an image is made of, in a fixed order.
type inputs [][2]string

func (in *inputs) add(name, value string) { *in = append(*in, [2]string{name, value}) }

func (in inputs) text() string {
	var b strings.Builder
	for _, kv := range in {
		b.WriteString(kv[0] + " " + kv[1] + "\n")
	}
	return b.String()
}

// key is the hash of the inputs: the image's cache key.
func (in inputs) key() string {
	sum := sha256.Sum256([]byte(in.text()))
	return hex.EncodeToString(sum[:])
}

// inputs lists what goes into version's image: cheap (module sums and file
// hashes, no copy).
func (b *Builder) inputs(ctx context.Context, version string) (inputs, error) {
	f := b.Opts.Flavour
	var in inputs
	in.add("layout", strconv.Itoa(layout))
	in.add("flavour", string(f))
	in.add("version", version)
	in.add("platforms", strings.Join(b.Opts.Platforms, ","))
	in.add("dockerfile", hashString(f.Dockerfile(version)))
	for _, arch := range arches(b.Opts.Platforms) {
		tc, err := b.toolchain(ctx, version, arch)
		if err != nil {
			return nil, err
		}
		in.add("toolchain/"+arch, tc.Sum)
		switch f {
		case Plain:
			h, err := hashFile(busyboxFor(b.Lab.Cache, arch))
			if err != nil {
				return nil, fmt.Errorf("no busybox for %s: %w: run hack/install.sh", arch, err)
			}
			in.add("busybox/"+arch, h)
		case Bookworm:
			in.add("rootfs/"+arch, b.rootfs[arch].sum)
		}
	}
	if f == Plain {
		h, err := hashFile(caBundle)
		if err != nil {
			return nil, err
		}
		in.add("ca-certificates", h)
		in.add("tzdata", tzdataVersion())
		var files strings.Builder
		for _, pf := range plainFiles {
			files.WriteString(pf.path + "\n" + pf.text)
		}
		for _, d := range plainDirs {
			fmt.Fprintf(&files, "%s %v\n", d.path, d.mode)
		}
		in.add("rootfs-files", hashString(files.String()))
	}
	return in, nil
}

// tzdataVersion is the Debian version of the host's zoneinfo ("none" without
// dpkg): the zoneinfo's key, cheaper than hashing the tree.
func tzdataVersion() string {
	out, err := exec.Command("dpkg-query", "-W", "-f=${Version}", "tzdata").Output()
	if err != nil || len(out) == 0 {
		return "none"
	}
	return string(out)
}

func busyboxFor(cache, arch string) string {
	if arch == lab.HostArch() {
		return "/bin/busybox"
	}
	return filepath.Join(cache, "busybox", arch, "busybox")
}

// arches are the GOARCHes of linux platforms, in order, once each.
func arches(platforms []string) []string {
	var out []string
	for _, p := range platforms {
		a := strings.TrimPrefix(p, "linux/")
		a, _, _ = strings.Cut(a, "/")
		dup := false
		for _, o := range out {
			dup = dup || o == a
		}
		if !dup {
			out = append(out, a)
		}
	}
	return out
}

// --- stamps ---------------------------------------------------------------

// stamp records, per lab (the registry it describes is the lab's), the key
// of the inputs an image was last built from and the digest it was pushed
// and verified at; the inputs' text sits next to it, to show what changed.
type stamp struct{ key, digest string }

func (b *Builder) stampFile(version string) string {
	return filepath.Join(b.Lab.Dir, "stamps", "golang-image-"+b.Opts.Flavour.name()+"-"+version)
}

func readStamp(file string) stamp {
	dt, err := os.ReadFile(file)
	if err != nil {
		return stamp{}
	}
	f := strings.Fields(string(dt))
	if len(f) != 2 {
		return stamp{}
	}
	return stamp{f[0], f[1]}
}

func writeStamp(file string, s stamp, inputsText string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(file+".inputs", []byte(inputsText), 0o644); err != nil {
		return err
	}
	return os.WriteFile(file, []byte(s.key+" "+s.digest+"\n"), 0o644)
}
