package golangimage

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/goscratch/goscratch/internal/lab"
)

// Debian is the bookworm flavour's rootfs recipe: `debootstrap
// --variant=minbase` of Suite from Mirror with Packages (those of the
// official image's chain debian:bookworm -> buildpack-deps:bookworm-curl/-scm
// -> golang that a Go build uses; not mercurial, subversion, gnupg, sq),
// brought up to Suite-updates and Suite-security, with the apt settings and
// the clean-up of the official Debian images.
type Debian struct {
	Suite          string
	Mirror         string // GOSCRATCH_DEBIAN_MIRROR; default: the host's apt source
	SecurityMirror string // GOSCRATCH_DEBIAN_SECURITY_MIRROR; default: the host's, else next to Mirror
	Keyring        string
	Packages       []string
}

// rootfsRecipe is the version of makeRootfs's steps, a key input of the
// rootfs: bump it when a change to them changes the rootfs (not for a
// refactoring).
const rootfsRecipe = 1

// DefaultDebian is the recipe with the mirrors of the environment or, else,
// of this machine's apt sources.
func DefaultDebian(getenv func(string) string) (Debian, error) {
	d := Debian{
		Suite:   "bookworm",
		Keyring: "/usr/share/keyrings/debian-archive-keyring.gpg",
		Packages: []string{
			"ca-certificates", "curl", "wget", "netbase", "tzdata",
			"git", "openssh-client", "procps",
			"gcc", "g++", "libc6-dev", "make", "pkg-config",
		},
		Mirror:         getenv("GOSCRATCH_DEBIAN_MIRROR"),
		SecurityMirror: getenv("GOSCRATCH_DEBIAN_SECURITY_MIRROR"),
	}
	uris := hostAptURIs()
	if d.Mirror == "" {
		d.Mirror = firstMatch(uris, `/debian/?$`)
	}
	if d.Mirror == "" {
		return d, fmt.Errorf("no Debian mirror in /etc/apt sources: set GOSCRATCH_DEBIAN_MIRROR")
	}
	if d.SecurityMirror == "" {
		d.SecurityMirror = firstMatch(uris, `/debian-security/?$`)
	}
	if d.SecurityMirror == "" {
		d.SecurityMirror = strings.TrimSuffix(d.Mirror, "/debian") + "/debian-security"
	}
	return d, nil
}

// hostAptURIs are the URIs of this machine's apt sources (deb822 .sources
// files, then sources.list).
func hostAptURIs() []string {
	var deb822, list []byte
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	for _, f := range files {
		dt, _ := os.ReadFile(f)
		deb822 = append(deb822, dt...)
		deb822 = append(deb822, '\n')
	}
	list, _ = os.ReadFile("/etc/apt/sources.list")
	return AptURIs(string(deb822), string(list))
}

// AptURIs reads the first URI of each "URIs:" field of deb822 sources, then
// the URI of each "deb" line of a sources.list (after any [options]).
func AptURIs(deb822, list string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(deb822))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "URIs:"); ok {
			if f := strings.Fields(v); len(f) > 0 {
				out = append(out, f[0])
			}
		}
	}
	sc = bufio.NewScanner(strings.NewReader(list))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || f[0] != "deb" {
			continue
		}
		i := 1
		if strings.HasPrefix(f[1], "[") {
			for i < len(f) && !strings.HasSuffix(f[i], "]") {
				i++
			}
			i++
		}
		if i < len(f) {
			out = append(out, f[i])
		}
	}
	return out
}

func firstMatch(uris []string, pattern string) string {
	re := regexp.MustCompile(pattern)
	for _, u := range uris {
		if re.MatchString(u) {
			return u
		}
	}
	return ""
}

// Sources is the rootfs's apt sources, as in the official debian image.
func (d Debian) Sources() string {
	return fmt.Sprintf(`Types: deb
URIs: %s
Suites: %s %s-updates
Components: main
Signed-By: %s

Types: deb
URIs: %s
Suites: %s-security
Components: main
Signed-By: %s
`, d.Mirror, d.Suite, d.Suite, d.Keyring, d.SecurityMirror, d.Suite, d.Keyring)
}

// rootfsFiles are written into the rootfs after the upgrade: the apt
// settings of the official Debian images (debuerreotype: no cached .debs,
// package lists or translations kept in layers), and an empty resolv.conf
// and hostname (the runtime provides them).
var rootfsFiles = []struct{ path, text string }{
	{"etc/apt/apt.conf.d/docker-clean", `DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`},
	{"etc/apt/apt.conf.d/docker-no-languages", "Acquire::Languages \"none\";\n"},
	{"etc/apt/apt.conf.d/docker-gzip-indexes", "Acquire::GzipIndexes \"true\";\n"},
	{"etc/apt/apt.conf.d/docker-autoremove-suggests", "Apt::AutoRemove::SuggestsImportant \"false\";\n"},
	{"etc/resolv.conf", ""},
	{"etc/hostname", ""},
}

// policyRC denies service starts in the rootfs, as in debian:bookworm.
const policyRC = "#!/bin/sh\nexit 101\n"

// rootfsTrash is what the clean-up deletes (globs under the rootfs).
var rootfsTrash = []string{
	"var/lib/apt/lists/*", "var/cache/apt/*.bin", "var/cache/debconf/*-old",
	"var/lib/dpkg/*-old", "var/log/bootstrap.log", "dev/*",
}

// packArgs are tar's arguments for the rootfs tarball (numeric owners,
// xattrs, sorted, zstd).
var packArgs = []string{"--create", "--numeric-owner", "--xattrs", "--xattrs-include=*", "--sort=name",
	"--use-compress-program=zstd -q -T0 -6"}

// Key is the hash of the rootfs recipe for arch: every parameter and file
// text above, the keyring's content and rootfsRecipe.
func (d Debian) Key(arch string) (string, error) {
	keyring, err := hashFile(d.Keyring)
	if err != nil {
		return "", fmt.Errorf("debian keyring: %w: run hack/install.sh", err)
	}
	var in inputs
	in.add("recipe", strconv.Itoa(rootfsRecipe))
	in.add("arch", arch)
	in.add("suite", d.Suite)
	in.add("mirror", d.Mirror)
	in.add("security-mirror", d.SecurityMirror)
	in.add("keyring", keyring)
	in.add("packages", strings.Join(d.Packages, ","))
	in.add("sources", hashString(d.Sources()))
	var files strings.Builder
	for _, f := range rootfsFiles {
		files.WriteString(f.path + "\n" + f.text)
	}
	in.add("files", hashString(files.String()+policyRC+strings.Join(rootfsTrash, "\n")))
	in.add("pack", strings.Join(packArgs, " "))
	return in.key()[:16], nil
}

type rootfsResult struct{ tarball, sum string }

// ensureRootfs builds the rootfs tarball for arch unless the cached one
// has the recipe's key (and no Refresh). The cache is shared by every lab:
// GOSCRATCH_CACHE/golang-image/rootfs/SUITE-ARCH-KEY.tar.zst, with
// SUITE-ARCH.stamp holding "KEY SHA256 DATE".
func (b *Builder) ensureRootfs(ctx context.Context, arch string) (rootfsResult, error) {
	d := b.Opts.Debian
	dir := filepath.Join(b.Lab.Cache, "golang-image", "rootfs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return rootfsResult{}, err
	}
	unlock, err := lab.Flock(filepath.Join(dir, ".lock"))
	if err != nil {
		return rootfsResult{}, err
	}
	defer unlock()
	key, err := d.Key(arch)
	if err != nil {
		return rootfsResult{}, err
	}
	base := d.Suite + "-" + arch
	res := rootfsResult{tarball: filepath.Join(dir, base+"-"+key+".tar.zst")}
	stampFile := filepath.Join(dir, base+".stamp")
	if !b.Opts.Refresh {
		if f := strings.Fields(readFile(stampFile)); len(f) >= 2 && f[0] == key && exists(res.tarball) {
			res.sum = f[1]
			return res, nil
		}
	}
	b.logf("debootstrap %s (%s) from %s with %s", d.Suite, arch, d.Mirror, strings.Join(d.Packages, " "))
	t0 := time.Now()
	root := filepath.Join(dir, base+".build")
	if err := b.makeRootfs(ctx, arch, root); err != nil {
		return res, err
	}
	tmp := res.tarball + ".tmp"
	if err := run("", "tar", append(packArgs, "-C", root, "-f", tmp, ".")...); err != nil {
		return res, fmt.Errorf("packing the %s (%s) rootfs: %w", d.Suite, arch, err)
	}
	// The unshare'd mounts died with their namespace; still, never delete across a mount.
	if m := lab.MountsUnder(root); len(m) > 0 {
		return res, fmt.Errorf("%s still has mounts (%s); not removing it", root, strings.Join(m, ", "))
	}
	if err := os.RemoveAll(root); err != nil {
		return res, err
	}
	if res.sum, err = hashFile(tmp); err != nil {
		return res, err
	}
	old, _ := filepath.Glob(filepath.Join(dir, base+"-*.tar.zst"))
	for _, o := range old {
		if o != res.tarball {
			_ = os.Remove(o)
		}
	}
	if err := os.Rename(tmp, res.tarball); err != nil {
		return res, err
	}
	stamp := fmt.Sprintf("%s %s %s\n", key, res.sum, time.Now().UTC().Format(time.RFC3339))
	if err := os.WriteFile(stampFile, []byte(stamp), 0o644); err != nil {
		return res, err
	}
	fi, _ := os.Stat(res.tarball)
	b.logf("rootfs %s (%s): %s, %.0f MB (%.0fs)", d.Suite, arch, filepath.Base(res.tarball), float64(fi.Size())/1e6, time.Since(t0).Seconds())
	return res, nil
}

// makeRootfs debootstraps the suite for arch into root (a foreign arch's
// second stage runs under qemu binfmt), brings it up to date and trims it.
func (b *Builder) makeRootfs(ctx context.Context, arch, root string) error {
	d := b.Opts.Debian
	if !strings.HasPrefix(root, filepath.Join(b.Lab.Cache, "golang-image")+"/") {
		return fmt.Errorf("refusing to build a rootfs at %q", root)
	}
	if m := lab.MountsUnder(root); len(m) > 0 {
		return fmt.Errorf("%s has mounts (%s); not removing it", root, strings.Join(m, ", "))
	}
	debs := filepath.Join(b.Lab.Cache, "golang-image", "debs", arch)
	if err := os.RemoveAll(root); err != nil {
		return err
	}
	for _, p := range []string{root, debs} {
		if err := os.MkdirAll(p, 0o755); err != nil {
			return err
		}
	}
	logf := filepath.Join(b.Lab.Logs(), "golang-bookworm-rootfs-"+arch+".log")
	// Its own mount namespace: debootstrap mounts /proc and /sys in the target.
	if err := lab.RunLogged(ctx, logf, "unshare", "--mount", "--propagation", "private", "--fork", "--",
		"debootstrap", "--arch="+arch, "--variant=minbase", "--keyring="+d.Keyring,
		"--include="+strings.Join(d.Packages, ","), "--cache-dir="+debs, d.Suite, root, d.Mirror); err != nil {
		return fmt.Errorf("debootstrap %s (%s) (see also %s/debootstrap/debootstrap.log): %w", d.Suite, arch, root, err)
	}
	// Suite-updates + Suite-security, like the official image (built from a
	// current snapshot); service starts denied.
	_ = os.Remove(filepath.Join(root, "etc/apt/sources.list"))
	if err := writeFiles(root, map[string]string{
		"etc/apt/sources.list.d/debian.sources": d.Sources(),
		"usr/sbin/policy-rc.d":                  policyRC,
		"etc/resolv.conf":                       readFile("/etc/resolv.conf"),
	}); err != nil {
		return err
	}
	if err := os.Chmod(filepath.Join(root, "usr/sbin/policy-rc.d"), 0o755); err != nil {
		return err
	}
	if err := lab.RunLogged(ctx, logf+".upgrade", "unshare", inRoot(root, "sh", "-c", "apt-get update -q && apt-get -y -q upgrade && apt-get clean")...); err != nil {
		return fmt.Errorf("apt-get upgrade in the %s (%s) rootfs: %w", d.Suite, arch, err)
	}
	files := map[string]string{}
	for _, f := range rootfsFiles {
		files[f.path] = f.text
	}
	if err := writeFiles(root, files); err != nil {
		return err
	}
	for _, g := range rootfsTrash {
		matches, _ := filepath.Glob(filepath.Join(root, g))
		for _, m := range matches {
			if err := os.RemoveAll(m); err != nil {
				return err
			}
		}
	}
	return filepath.Walk(filepath.Join(root, "var/log"), func(p string, fi os.FileInfo, err error) error {
		if err != nil || !fi.Mode().IsRegular() {
			return err
		}
		return os.Truncate(p, 0)
	})
}

// inRoot is unshare's arguments to run argv chrooted into root with /proc
// mounted in a private mount namespace, so no mount outlives the command
// (nor leaks into the host's table), with a clean environment.
func inRoot(root string, argv ...string) []string {
	return append([]string{"--mount", "--propagation", "private", "--fork", "--", "/bin/sh", "-c",
		`root=$1; shift; mount -t proc proc "$root/proc" && exec chroot "$root" "$@"`, "sh", root,
		"env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive", "LC_ALL=C"}, argv...)
}

// writeFiles writes files (paths relative to root), mode 0644.
func writeFiles(root string, files map[string]string) error {
	for p, text := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		_ = os.Remove(full) // a symlink (resolv.conf) is replaced, never followed
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			return err
		}
		if err := os.Chmod(full, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func readFile(p string) string {
	dt, _ := os.ReadFile(p)
	return string(dt)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
