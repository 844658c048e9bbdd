package frontend

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
