package spec

import (
	"strings"
	"testing"
)

func TestGoenvCannotReplaceTheToolchain(t *testing.T) {
	for _, name := range []string{"PATH", "GOROOT", "GOTOOLCHAIN", "GOENV", "GOCACHEPROG", "GOCACHE", "GOMODCACHE", "GOARCH"} {
		if p := checkGoenvName(name); p == nil {
			t.Errorf("goenv %s accepted", name)
		}
	}
	for _, name := range []string{"GOEXPERIMENT", "GOFLAGS", "GOPROXY", "CGO_ENABLED", "GODEBUG", "GOAUTH"} {
		if p := checkGoenvName(name); p != nil {
			t.Errorf("goenv %s refused: %v", name, p)
		}
	}
}

func TestGoenvSettings(t *testing.T) {
	for _, tc := range []struct{ name, value, want string }{
		{"GOFLAGS", "-trimpath -mod=mod", ""},
		{"GOFLAGS", "-toolexec=/x", ""}, // allowed: the caches are the build's own (llb/trust.go)
		{"GOFLAGS", "-buildmode=pie", "-buildmode cannot be set in goflags"},
		{"GOFLAGS", "-trimpath -o=/tmp/x", "-o cannot be set in goflags"},
		{"GOFLAGS", "-ldflags=-X=a", "-ldflags cannot be set in goflags"},
		{"GOAUTH", "netrc", ""},
		{"GOAUTH", "git /goscratch/src;netrc", ""},
		{"GOAUTH", "off", ""},
		{"GOAUTH", "/goscratch/src/steal.sh", `GOAUTH runs "/goscratch/src/steal.sh"`},
		{"GOAUTH", "netrc; sh -c id", `GOAUTH runs "sh"`},
		{"GOEXPERIMENT", "anything", ""},
	} {
		p := checkGoenvSetting(tc.name, tc.value)
		switch {
		case tc.want == "" && p != nil:
			t.Errorf("%s=%q refused: %v", tc.name, tc.value, p)
		case tc.want != "" && (p == nil || !strings.Contains(p.Error(), tc.want)):
			t.Errorf("%s=%q: %v, want %q", tc.name, tc.value, p, tc.want)
		}
	}
}
