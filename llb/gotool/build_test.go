package main

import (
	"strings"
	"testing"
)

func TestBuildHints(t *testing.T) {
	for _, tc := range []struct {
		name, stderr, cgo string
		want              string // "" = no hint
	}{
		{"cgo-only package", "package example.com/app\n\timports github.com/mattn/go-sqlite3: build constraints exclude all Go files in /goscratch/modcache/github.com/mattn/go-sqlite3@v1.14.22\n", "0",
			"github.com/mattn/go-sqlite3@v1.14.22 needs cgo"},
		{"package of the context", "\timports example.com/app/clib: build constraints exclude all Go files in /goscratch/src/clib\n", "0",
			"the build failed because ./clib needs cgo"},
		{"undefined C", "./db.go:12:2: undefined: C.sqlite3_open\n", "",
			"a package needs cgo"},
		{"no compiler", `cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in $PATH`, "1",
			"needs a C compiler (gcc)"},
		{"main directory missing", "stat /goscratch/src/cmd/nope: directory not found\n", "1",
			"./cmd/nope is not a directory of the build context"},
		{"compile error", "./main.go:3:1: syntax error: non-declaration statement outside function body\n", "0", ""},
		{"cgo on, constraint", "build constraints exclude all Go files in /src/win\n", "1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(buildHints(tc.stderr, tc.cgo), "\n")
			if tc.want == "" {
				if got != "" {
					t.Errorf("hint %q for an unrelated failure", got)
				}
				return
			}
			if !strings.Contains(got, tc.want) || (tc.cgo != "1" && !strings.Contains(got, "CGO_ENABLED=0")) {
				t.Errorf("hints %q, want %q", got, tc.want)
			}
		})
	}
}
