package inputs

import (
	"strings"
	"testing"
)

func TestCheckGoSum(t *testing.T) {
	gomod := []byte("module example.com/app\n\ngo 1.26\n\nrequire (\n\tgolang.org/x/sync v0.19.0\n\texample.com/local v1.0.0\n)\n\nreplace example.com/local => ./local\n")
	full := []byte("golang.org/x/sync v0.19.0 h1:abc=\ngolang.org/x/sync v0.19.0/go.mod h1:def=\n")
	for _, tc := range []struct {
		name  string
		gosum []byte
		has   bool
		want  string // "" = no error
	}{
		{"complete", full, true, ""},
		{"only the go.mod hash", []byte("golang.org/x/sync v0.19.0/go.mod h1:def=\n"), true, ""},
		{"no go.sum", nil, false, "no go.sum in the build context, and go.mod requires golang.org/x/sync@v0.19.0: run `go mod tidy` in . and commit go.sum"},
		{"other version", []byte("golang.org/x/sync v0.18.0/go.mod h1:def=\n"), true, "go.sum has no entry for golang.org/x/sync@v0.19.0, which go.mod requires"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkGoSum(".", gomod, tc.gosum, tc.has)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
	if err := checkGoSum(".", []byte("module example.com/app\n\ngo 1.26\n"), nil, false); err != nil {
		t.Errorf("a module without requirements needs no go.sum: %v", err)
	}
}
