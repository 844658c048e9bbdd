package cli

import (
	"bytes"
	"github.com/goscratch/goscratch/internal/golden"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// result is one run of the CLI.
type result struct {
	code           int
	stdout, stderr string
}

func runCLI(args ...string) result {
	var out, errOut bytes.Buffer
	code := Main(args, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string // a substring
		stderr string // a substring
	}{
		{nil, ExitUsage, "", "Usage: goscratch COMMAND"},
		{[]string{"help"}, ExitOK, "Exit codes: 0 success, 1 invalid spec or failure, 2 bad command line.", ""},
		{[]string{"--help"}, ExitOK, "validate", ""},
		{[]string{"help", "llb"}, ExitOK, "Usage: goscratch llb [flags] FILE", ""},
		{[]string{"frobnicate"}, ExitUsage, "", `unknown command "frobnicate"`},
		{[]string{"validate"}, ExitUsage, "", "missing the spec FILE"},
		{[]string{"validate", "a.yaml", "b.yaml"}, ExitUsage, "", "one spec FILE, got 2 arguments"},
		{[]string{"validate", "--nope", "a.yaml"}, ExitUsage, "", "flag provided but not defined: -nope"},
		{[]string{"validate", "--help"}, ExitOK, "-strict", ""},
		{[]string{"dockerfile", "-h"}, ExitOK, "Usage: goscratch dockerfile", ""},
		{[]string{"init", "--help"}, ExitOK, "--force", ""},
		{[]string{"schema", "--help"}, ExitOK, "yaml-language-server", ""},
		{[]string{"validate", "testdata/does-not-exist.yaml"}, ExitFailed, "", "no such file or directory"},
		{[]string{"llb", "--platform", "linux/amd64,linux/arm64", "testdata/validate/valid/goscratch.yaml"}, ExitUsage, "", "one --platform per definition"},
		{[]string{"llb", "testdata/validate/valid/goscratch.yaml", "--platform", "windows/amd64"}, ExitUsage, "", "linux-only"},
		{[]string{"schema", "extra"}, ExitUsage, "", "schema takes no arguments"},
	} {
		r := runCLI(tc.args...)
		if r.code != tc.code || !strings.Contains(r.stdout, tc.stdout) || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("goscratch %q:\n%s\nwant exit %d, stdout with %q, stderr with %q", tc.args, r, tc.code, tc.stdout, tc.stderr)
		}
	}
}

// TestValidateBadSpecs runs validate over spec/testdata's bad-spec catalog:
// golden output, exit 1, and exactly the errors spec.Parse (so the frontend)
// reports.
func TestValidateBadSpecs(t *testing.T) {
	cases, err := filepath.Glob("../../../../spec/testdata/err-*/spec.yaml")
	if err != nil || len(cases) < 20 {
		t.Fatalf("found %d bad-spec cases (%v)", len(cases), err)
	}
	for _, file := range cases {
		name := filepath.Base(filepath.Dir(file))
		t.Run(name, func(t *testing.T) {
			r := runCLI("validate", file)
			r.stderr = strings.ReplaceAll(r.stderr, file, "spec.yaml")
			golden.Check(t, filepath.Join("testdata/validate", name+".golden"), r.String())
			if r.code != ExitFailed || r.stdout != "" {
				t.Errorf("exit %d, stdout %q: want exit 1 and nothing on stdout", r.code, r.stdout)
			}
			want, err := os.ReadFile(filepath.Join(filepath.Dir(file), "expected.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if r.stderr != string(want) {
				t.Errorf("validate's errors differ from the spec package's (the frontend's)\n got: %s\nwant: %s", r.stderr, want)
			}
		})
	}
}

func TestValidateGood(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"valid", nil},
		{"lint-warnings", nil},
		{"lint-warnings-strict", []string{"--strict"}},
		{"no-gomod", nil},
		{"ignored-gomod", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := "testdata/validate/" + strings.TrimSuffix(tc.name, "-strict")
			r := runCLI(append(append([]string{"validate"}, tc.args...), dir+"/goscratch.yaml")...)
			golden.Check(t, filepath.Join("testdata/validate", tc.name+".golden"), strings.ReplaceAll(r.String(), dir+"/", ""))
		})
	}
}

func TestSchemaCommand(t *testing.T) {
	r := runCLI("schema")
	if r.code != 0 || !strings.Contains(r.stdout, `"title": "goscratch spec"`) {
		t.Errorf("schema: %s", r)
	}
	if !strings.Contains(r.stdout, schemaURL) {
		t.Errorf("the schema's $id is not the URL init writes (%s)", schemaURL)
	}
}
