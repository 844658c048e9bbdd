package inputs

import (
	"strings"
	"testing"

	"github.com/goscratch/goscratch/spec"
)

func TestApplyGoenvArgs(t *testing.T) {
	r := &spec.Resolved{Goenv: map[string]string{"GOPROXY": "https://spec.example", "GOEXPERIMENT": "x"}}
	err := applyGoenvArgs(r, map[string]string{"GOPROXY": "https://ci.example", "GONOSUMDB": "corp.example", "GOEXPERIMENT": "y", "SOURCE_DATE_EPOCH": "1"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"GOPROXY": "https://ci.example", "GONOSUMDB": "corp.example", "GOEXPERIMENT": "x"}
	for k, v := range want {
		if r.Goenv[k] != v {
			t.Errorf("%s=%q, want %q", k, r.Goenv[k], v)
		}
	}
	if len(r.Goenv) != len(want) {
		t.Errorf("goenv %v: only the go variables for fetching modules come from build args", r.Goenv)
	}
	err = applyGoenvArgs(r, map[string]string{"GOPROXY": "https://u:hunter2@ci.example"})
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "--build-arg GOPROXY") {
		t.Errorf("credentials in a build arg: err %v", err)
	}
}

// TestApplyGoenvArgsCredentials checks the issue-15 bypasses (no scheme) and
// that every go build argument is under the credential rule.
func TestApplyGoenvArgsCredentials(t *testing.T) {
	const hint = "the value would be recorded in the build's provenance and cache; put the credentials in a netrc secret: secrets: [netrc] and --secret id=netrc,src=$HOME/.netrc"
	for _, tc := range []struct{ name, value, want string }{
		{"GOPROXY", "u:tok@proxy.example", "--build-arg GOPROXY: GOPROXY holds credentials (u:xxxxx@proxy.example) (" + hint + ")"},
		{"GOPROXY", "proxy.example,u:tok@proxy2.example", "--build-arg GOPROXY: GOPROXY holds credentials (u:xxxxx@proxy2.example) (" + hint + ")"},
		{"GOPROXY", "https://ci:hunter2@proxy.example", "--build-arg GOPROXY: GOPROXY holds credentials (https://ci:xxxxx@proxy.example) (" + hint + ")"},
		{"GOSUMDB", "sum.golang.org https://tok@sum.example", "--build-arg GOSUMDB: GOSUMDB holds credentials (https://xxxxx@sum.example) (" + hint + ")"},
		{"GOAUTH", "authtool u:tok@corp.example", "--build-arg GOAUTH: GOAUTH holds credentials (u:xxxxx@corp.example) (" + hint + ")"},
		{"GOPROXY", "proxy.example,direct", ""},
		{"GOAUTH", "git /src", ""},
	} {
		r := &spec.Resolved{Goenv: map[string]string{}}
		err := applyGoenvArgs(r, map[string]string{tc.name: tc.value})
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s=%q:\n got %q\nwant %q", tc.name, tc.value, got, tc.want)
		}
	}
	for _, k := range GoenvArgs {
		r := &spec.Resolved{Goenv: map[string]string{}}
		if err := applyGoenvArgs(r, map[string]string{k: "u:tok@h.example"}); err == nil || strings.Contains(err.Error(), "tok") {
			t.Errorf("--build-arg %s=u:tok@h.example: err %v, want a refusal without the credential", k, err)
		}
		if _, set := r.Goenv[k]; set {
			t.Errorf("--build-arg %s with credentials reached goenv", k)
		}
	}
}
