package llb

import (
	"maps"
	"testing"

	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

func TestGoEnv(t *testing.T) {
	for _, tc := range []struct {
		platform string
		want     map[string]string // nil: error
	}{
		{"linux/amd64", map[string]string{"GOOS": "linux", "GOARCH": "amd64", "GOAMD64": "v1"}},
		{"linux/amd64/v2", map[string]string{"GOOS": "linux", "GOARCH": "amd64", "GOAMD64": "v2"}},
		{"linux/amd64/v3", map[string]string{"GOOS": "linux", "GOARCH": "amd64", "GOAMD64": "v3"}},
		{"linux/amd64/v4", map[string]string{"GOOS": "linux", "GOARCH": "amd64", "GOAMD64": "v4"}},
		{"linux/amd64/v5", nil},
		{"linux/arm/v5", map[string]string{"GOOS": "linux", "GOARCH": "arm", "GOARM": "5"}},
		{"linux/arm/v6", map[string]string{"GOOS": "linux", "GOARCH": "arm", "GOARM": "6"}},
		{"linux/arm/v7", map[string]string{"GOOS": "linux", "GOARCH": "arm", "GOARM": "7"}},
		{"linux/arm", map[string]string{"GOOS": "linux", "GOARCH": "arm", "GOARM": "7"}},
		{"linux/arm/v8", nil},
		{"linux/arm64", map[string]string{"GOOS": "linux", "GOARCH": "arm64"}},
		{"linux/arm64/v8", map[string]string{"GOOS": "linux", "GOARCH": "arm64"}},
		{"linux/arm64/v8.2", map[string]string{"GOOS": "linux", "GOARCH": "arm64", "GOARM64": "v8.2"}},
		{"linux/arm64/v9", map[string]string{"GOOS": "linux", "GOARCH": "arm64", "GOARM64": "v9.0"}},
		{"linux/arm64/v9.5", map[string]string{"GOOS": "linux", "GOARCH": "arm64", "GOARM64": "v9.5"}},
		{"linux/arm64/v9.6", nil},
		{"linux/arm64/v7", nil},
		{"linux/386", map[string]string{"GOOS": "linux", "GOARCH": "386"}},
		{"linux/ppc64le", map[string]string{"GOOS": "linux", "GOARCH": "ppc64le"}},
		{"linux/s390x", map[string]string{"GOOS": "linux", "GOARCH": "s390x"}},
		{"linux/riscv64", map[string]string{"GOOS": "linux", "GOARCH": "riscv64"}},
		{"linux/loong64", map[string]string{"GOOS": "linux", "GOARCH": "loong64"}},
		{"linux/riscv64/v2", nil},
		{"linux/sparc64", nil},
		{"windows/amd64", nil},
		{"darwin/arm64", nil},
	} {
		t.Run(tc.platform, func(t *testing.T) {
			got, err := GoEnv(parse(tc.platform))
			if tc.want == nil {
				if err == nil {
					t.Fatalf("got %v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// parse splits os/arch/variant without normalising, so the table states
// exactly what GoEnv receives.
func parse(s string) ocispecs.Platform {
	var p ocispecs.Platform
	parts := [3]*string{&p.OS, &p.Architecture, &p.Variant}
	i := 0
	for j, start := 0, 0; j <= len(s); j++ {
		if j == len(s) || s[j] == '/' {
			*parts[i] = s[start:j]
			i++
			start = j + 1
		}
	}
	return p
}

func TestBuilderPath(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{nil, "/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
		{[]string{"GOPATH=/go", "PATH=/go/bin:/usr/local/go/bin:/usr/bin"}, "/go/bin:/usr/local/go/bin:/usr/bin"},
		{[]string{"PATH=/opt/go/bin:/bin"}, "/opt/go/bin:/bin:/usr/local/go/bin"},
	} {
		if got := BuilderPath(tc.env); got != tc.want {
			t.Errorf("BuilderPath(%q) = %q, want %q", tc.env, got, tc.want)
		}
	}
}
