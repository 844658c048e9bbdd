package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCapabilityValue: the xattr the kernel reads for cap_net_bind_service=ep
// (what `setcap cap_net_bind_service=+ep` writes, as `getfattr -n
// security.capability` shows it): revision 2 with the effective flag, bit
// 10 permitted, nothing inheritable.
func TestCapabilityValue(t *testing.T) {
	want := []byte{0x01, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if got := capabilityValue(1 << 10); !bytes.Equal(got, want) {
		t.Errorf("cap_net_bind_service: %x, want %x", got, want)
	}
	// CAP_BPF (39) lives in the second 32-bit word
	if got := capabilityValue(1<<39 | 1<<13); got[4] != 0 || got[5] != 0x20 || got[12] != 0x80 {
		t.Errorf("cap_bpf+cap_net_raw: %x", got)
	}
}

// TestWriteWithCapabilities writes a layer as the build step does: the
// binary with its mode, the xattr and the epoch, the parents 0755. It
// needs CAP_SETFCAP (root) and a file system with security xattrs.
func TestWriteWithCapabilities(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "server")
	if err := os.WriteFile(src, []byte("\x7fELF binary"), 0o600); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dir, "layer")
	if err := os.Mkdir(root, 0o700); err != nil {
		t.Fatal(err)
	}
	epoch := time.Unix(0, 0)
	err := writeWithCapabilities(src, root, "/usr/local/bin/server", 1<<10, epoch)
	if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOTSUP) {
		t.Skipf("no file capabilities here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(root, "usr/local/bin/server")
	dt, err := os.ReadFile(bin)
	if err != nil || string(dt) != "\x7fELF binary" {
		t.Fatalf("copied %q, %v", dt, err)
	}
	for _, p := range []string{"usr", "usr/local", "usr/local/bin", "usr/local/bin/server"} {
		fi, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o755 || !fi.ModTime().Equal(epoch) {
			t.Errorf("%s: mode %v time %v, want 0755 at the epoch", p, fi.Mode(), fi.ModTime())
		}
	}
	got := make([]byte, 64)
	n, err := syscall.Getxattr(bin, capabilityXattr, got)
	if err != nil || !bytes.Equal(got[:n], capabilityValue(1<<10)) {
		t.Errorf("xattr %x, %v", got[:max(n, 0)], err)
	}
}
