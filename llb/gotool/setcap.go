package main

// gotool setcap -caps MASK -epoch SECONDS -root DIR SRC DST
//
// The layer of a binary with file capabilities. BuildKit's file copy does
// not carry the security.capability xattr reliably (moby/buildkit#2250,
// and a chown after the copy clears it), so this step writes the layer
// itself, on an output mount that becomes the layer as it is: SRC is copied
// to DIR/DST (mode 0755, owner root, the parents made 0755, as the plain
// binary layer has them), the xattr is set and read back, and every entry
// gets the epoch as its time.

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	capabilityXattr = "security.capability"
	// vfs_cap_data (linux/capability.h): revision 2 holds 64 bits of
	// permitted and inheritable capabilities; the low bit of magic_etc is
	// VFS_CAP_FLAGS_EFFECTIVE, which raises the permitted ones at exec.
	vfsCapRevision2 = 0x02000000
	vfsCapEffective = 0x000001
	binaryMode      = 0o755
)

func setcap(args []string) int {
	fs := flag.NewFlagSet("setcap", flag.ExitOnError)
	caps := fs.String("caps", "", "the capabilities as a bit mask (bit n is capability n), e.g. 0x400 for CAP_NET_BIND_SERVICE")
	epoch := fs.Int64("epoch", 0, "the time of every entry, in seconds since 1970")
	root := fs.String("root", "", "the output mount: DST is made under it")
	_ = fs.Parse(args)
	mask, err := strconv.ParseUint(*caps, 0, 64)
	if err != nil || mask == 0 || *root == "" || fs.NArg() != 2 {
		fatalf("usage: gotool setcap -caps MASK -epoch SECONDS -root DIR SRC DST (mask %q)", *caps)
	}
	if err := writeWithCapabilities(fs.Arg(0), *root, fs.Arg(1), mask, time.Unix(*epoch, 0)); err != nil {
		fmt.Fprintf(os.Stderr, "goscratch: setting the file capabilities of %s: %v\n", fs.Arg(1), err)
		return 1
	}
	return 0
}

// capabilityValue is the security.capability xattr that grants mask as
// permitted and effective capabilities (revision 2, no inheritable ones).
func capabilityValue(mask uint64) []byte {
	v := make([]byte, 20)
	binary.LittleEndian.PutUint32(v[0:], vfsCapRevision2|vfsCapEffective)
	binary.LittleEndian.PutUint32(v[4:], uint32(mask))      // permitted, bits 0..31
	binary.LittleEndian.PutUint32(v[12:], uint32(mask>>32)) // permitted, bits 32..63
	return v
}

// writeWithCapabilities copies src to root/dst with the capabilities of
// mask and the time t on dst and every directory made for it.
func writeWithCapabilities(src, root, dst string, mask uint64, t time.Time) error {
	rel := filepath.Clean(strings.TrimPrefix(dst, "/"))
	if rel == "." || strings.HasPrefix(rel, "..") {
		return fmt.Errorf("destination %q is not a file under the root", dst)
	}
	var made []string
	dir := root
	for _, elem := range strings.Split(filepath.Dir(rel), string(filepath.Separator)) {
		if elem == "." {
			break
		}
		dir = filepath.Join(dir, elem)
		if err := os.Mkdir(dir, binaryMode); err != nil && !os.IsExist(err) {
			return err
		}
		if err := os.Chmod(dir, binaryMode); err != nil { // the umask may have taken bits
			return err
		}
		made = append(made, dir)
	}
	target := filepath.Join(root, rel)
	if err := copyBinary(src, target); err != nil {
		return err
	}
	want := capabilityValue(mask)
	if err := syscall.Setxattr(target, capabilityXattr, want, 0); err != nil {
		return fmt.Errorf("setxattr %s: %w (the build step needs CAP_SETFCAP and a file system with security xattrs)", capabilityXattr, err)
	}
	got := make([]byte, 64)
	n, err := syscall.Getxattr(target, capabilityXattr, got)
	if err != nil || !bytes.Equal(got[:n], want) {
		return fmt.Errorf("the file system did not keep %s (read back %x, %v)", capabilityXattr, got[:max(n, 0)], err)
	}
	// deepest first: setting a time inside a directory would change its own
	for _, p := range append([]string{target}, reversed(made)...) {
		if err := os.Chtimes(p, t, t); err != nil {
			return err
		}
	}
	return nil
}

// copyBinary writes src's contents to a new file dst with the binary's mode.
// The owner is the step's user, root; no chown follows, since a chown
// clears the capabilities.
func copyBinary(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	return writeFrom(in, dst, os.O_EXCL, binaryMode)
}

// writeFrom writes what in reads to dst, opened with os.O_WRONLY|O_CREATE
// and flag, and gives it mode (writable while it is written).
func writeFrom(in io.Reader, dst string, flag int, mode os.FileMode) error {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|flag, mode|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chmod(dst, mode)
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}
