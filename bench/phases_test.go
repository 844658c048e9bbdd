package main

import (
	"math"
	"reflect"
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
		{stepname.ListImports("linux/amd64", []string{"./cmd/server"}), phDeps},
		{stepname.Prune("linux/amd64", []string{"./cmd/server"}), phDeps},
		{stepname.Precompile("linux/arm64", ""), phPrecompile},
		{stepname.Build("linux/arm64", "./cmd/server"), phBuild},
		{"[linux/amd64] assemble image", phOther},
		// BuildKit's own
		{"exporting to image", phExport},
		{"importing cache manifest from local:4391790361870915207", phCacheImport},
		{"exporting cache to client directory", phCacheExport},
		{"preparing build cache for export", phCacheExport},
		{"[internal] load metadata for docker.io/library/golang:1.26.8", phBuilder},
		{"[internal] load build context", phOther},
		{"resolve image config for docker-image://127.0.0.1:5000/goscratch/goscratch@sha256:51fd", phBuilder},
		{"docker-image://127.0.0.1:5000/goscratch/goscratch@sha256:51fd", phBuilder},
		{stepname.ResolveBuilder("golang:1.26.8"), phBuilder},
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

// TestBreakdownOfRecordedLogs: the phases of real builds (testdata/README.md),
// in hundredths of a second.
func TestBreakdownOfRecordedLogs(t *testing.T) {
	for _, tc := range []struct {
		log  string
		want map[string]float64
	}{
		// goscratch on a fresh runner: the dependency layers come from the
		// cache; the builder image is pulled from the registry
		{"goscratch-ephemeral", map[string]float64{phBuilder: 5.50, phCacheImport: 0.02, phDownload: 0.04, phDeps: 1.57, phPrecompile: 2.14, phBuild: 3.13, phExport: 0.46, phOther: 0.45, phTotal: 12.55}},
		// the first job: everything compiles, then the cache is exported
		{"goscratch-export", map[string]float64{phBuilder: 5.59, phDownload: 1.23, phDeps: 1.68, phPrecompile: 67.67, phBuild: 2.32, phExport: 0.62, phCacheExport: 5.69, phOther: 0.48, phTotal: 84.84}},
		// dockerfile-layer on a fresh runner: the module layer (with the
		// builder's layers below it) is loaded, every dependency recompiles
		{"dockerfile-layer-ephemeral", map[string]float64{phBuilder: 0.02, phCacheImport: 0.02, phDownload: 7.03, phBuild: 60.84, phExport: 0.45, phOther: 0.68, phTotal: 68.62}},
	} {
		t.Run(tc.log, func(t *testing.T) {
			got := phasesOfLog("testdata/rawjson/" + tc.log + ".log")
			rounded := map[string]float64{}
			for k, v := range got {
				rounded[k] = math.Round(v*100) / 100
			}
			if !reflect.DeepEqual(rounded, tc.want) {
				t.Errorf("phases = %v\nwant %v", rounded, tc.want)
			}
		})
	}
	if got := phasesOfLog("testdata/rawjson/missing.log"); got != nil {
		t.Errorf("phases of a missing log = %v, want nil", got)
	}
}
