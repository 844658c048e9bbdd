package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestStickyDir(t *testing.T) {
	d := filepath.Join(t.TempDir(), "out", "tmp")
	if code := stickyDir([]string{d}); code != 0 {
		t.Fatalf("stickyDir exit %d", code)
	}
	fi, err := os.Stat(d)
	if err != nil {
		t.Fatal(err)
	}
	if want := os.ModeDir | os.ModeSticky | 0o777; fi.Mode() != want {
		t.Errorf("mode %v, want %v", fi.Mode(), want)
	}
}
