package golden

import (
	"os"
	"path/filepath"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Fatal(...any)          { r.failed = true }

func TestCheck(t *testing.T) {
	if Updating() {
		t.Skip("-update")
	}
	file := filepath.Join(t.TempDir(), "out.golden")
	if err := os.WriteFile(file, []byte("same\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file, got string
		fail      bool
	}{
		{file, "same\n", false},
		{file, "other\n", true},
		{file + ".missing", "same\n", true},
	} {
		r := &recorder{TB: t}
		Check(r, tc.file, tc.got)
		if r.failed != tc.fail {
			t.Errorf("Check(%s, %q): failed = %v, want %v", filepath.Base(tc.file), tc.got, r.failed, tc.fail)
		}
	}
}
