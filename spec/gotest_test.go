package spec

import (
	"strings"
	"testing"
)

func TestResolveTestTarget(t *testing.T) {
	s := mustParse(t, "main: .\ntags: [a]\ngoenv: {GOPRIVATE: x}\ntest: {flags: [-count=1], tags: [b, a]}\n")
	r := mustResolve(t, s, TestTarget)
	if r.Test == nil || len(r.Binaries) != 0 {
		t.Fatalf("test target %+v: want a test and no binaries", r)
	}
	if got := strings.Join(r.Test.Tags, ","); got != "a,b" {
		t.Errorf("tags %q, want the top level's and the test's, sorted and unique", got)
	}
	if r.Goenv["GOPRIVATE"] != "x" || r.Test.Packages[0] != "./..." || r.Test.Report {
		t.Errorf("test target %+v", r.Test)
	}
}

func TestResolveTestTargetErrors(t *testing.T) {
	for _, tc := range []struct{ spec, target, want string }{
		{"main: .\n", "test", "add test: {} to the spec"},
		{"test: {}\n", "", "the spec only has a test target (run the tests with --target test)"},
		{"test: {}\ntargets: {api: {main: .}}\n", "", "targets: api, test"},
		{"main: .\ntest: {}\n", "tset", "did you mean"},
	} {
		s := mustParse(t, tc.spec)
		_, err := s.Resolve(tc.target, "example.com/app")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q Resolve(%q) = %v, want an error containing %q", tc.spec, tc.target, err, tc.want)
		}
	}
}

func TestCheckGoenvValue(t *testing.T) {
	for v, bad := range map[string]bool{
		"https://goproxy.example.com,direct": false,
		"off":                                false,
		"https://a.example|https://u:p@b.example": true,
		"https://token@proxy.example":             true,
	} {
		if err := CheckGoenvValue("GOPROXY", v); (err != nil) != bad {
			t.Errorf("GOPROXY=%s: error %v, want error %v", v, err, bad)
		} else if err != nil && strings.Contains(err.Error(), "p@") {
			t.Errorf("the error repeats the credential: %v", err)
		}
	}
	if err := CheckGoenvValue("GOPRIVATE", "https://u:p@x"); err == nil {
		t.Errorf("GOPRIVATE with userinfo passed (spec/credentials_test.go has the forms)")
	}
}
