// Package golden compares test output with files checked into testdata,
// and rewrites them when the test binary runs with -update:
//
//	go test ./spec -run TestGolden -update
//
// One helper for every package's golden tests (spec, the CLI, the
// integration suite), so they fail and update the same way.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files instead of comparing with them")

// Updating says whether this run rewrites golden files (-update).
func Updating() bool { return *update }

// Check compares got with the contents of file; with -update it writes got
// to file (creating its directory) instead.
func Check(t testing.TB, file, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (rerun this test with -update to write it)\n--- got:\n%s", err, got)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update to rewrite it)\n--- got:\n%s--- want:\n%s", file, got, want)
	}
}
