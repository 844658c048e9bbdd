package main

import (
	"testing"
	"time"

	"github.com/goscratch/goscratch/llb/stepname"
)

func TestPhaseOf(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		// goscratch, by llb/stepname's names
		{stepname.Download, phDownload},
		{stepname.Builder("golang:1.26.8"), phBuilder},
		{stepname.FrontendImage, phBuilder},
		{stepname.ListDeps("linux/amd64", []string{"./cmd/server"}), phDeps},
		{stepname.Precompile("linux/arm64"), phPrecompile},
		{stepname.Build("linux/arm64", "./cmd/server"), phBuild},
		{"[linux/amd64] assemble image", phOther},
		// BuildKit's own
		{"exporting to image", phExport},
		{"importing cache manifest from local:4391790361870915207", phCacheImport},
		{"exporting cache to client directory", phCacheExport},
		{"preparing build cache for export", phCacheExport},
		{"[internal] load metadata for docker.io/library/golang:1.26.8", phBuilder},
		{"[internal] load build context", phOther},
		// the Dockerfile peers, as BuildKit names their steps
		{"[build 1/5] FROM docker.io/library/golang:1.26.8@sha256:0123", phBuilder},
		{"[linux/arm64 build 4/5] RUN go mod download", phDownload},
		{"[build 4/5] RUN --mount=type=cache,target=/go/pkg/mod go mod download", phDownload},
		{"[linux/amd64 build 5/5] RUN --mount=type=bind,target=. --mount=type=cache,target=/root/.cache/go-build GOOS=$TARGETOS go build -trimpath -o /out/ ./cmd/server", phBuild},
		{"[build 3/5] COPY go.mod go.sum ./", phOther},
		{"[linux/amd64 stage-1 3/3] COPY --from=build /out/ /usr/local/bin/", phOther},
	} {
		if got := phaseOf(tc.name); got != tc.want {
			t.Errorf("phaseOf(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestUnionSeconds(t *testing.T) {
	at := func(s float64) time.Time { return time.Unix(1000, 0).Add(time.Duration(s * float64(time.Second))) }
	iv := func(a, b float64) interval { return interval{at(a), at(b)} }
	for _, tc := range []struct {
		name string
		in   []interval
		want float64
	}{
		{"none", nil, 0},
		{"one", []interval{iv(1, 3)}, 2},
		{"two platforms side by side count once", []interval{iv(0, 4), iv(1, 5)}, 5},
		{"apart", []interval{iv(5, 6), iv(0, 1)}, 2},
		{"nested and touching", []interval{iv(0, 10), iv(2, 3), iv(10, 12)}, 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := unionSeconds(tc.in); got != tc.want {
				t.Errorf("unionSeconds = %v, want %v", got, tc.want)
			}
		})
	}
}
