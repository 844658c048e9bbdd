package main

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sampleResults() *Results {
	t0 := time.Date(2026, 11, 27, 4, 0, 0, 0, time.UTC)
	return &Results{
		Schema: resultsSchema, Started: t0, Finished: t0.Add(time.Hour),
		Machine:  Machine{CPU: "Test CPU", Cores: 2, MemGiB: 23.4, Kernel: "6.1", Go: "go1.26.8", BuildKit: "v0.34.2"},
		Config:   RunConfig{Runs: 2, Warmup: 1, Matrix: "default", Tools: []string{"goscratch", "dockerfile"}, Command: "bench run"},
		Frontend: FrontendInfo{Ref: "127.0.0.1:5000/goscratch/goscratch@sha256:abc", ImageBytes: 15_000_000},
		Cells: []Cell{
			{Subject: "hello", Scenario: "change", Platforms: []string{"linux/amd64", "linux/arm64"}, Tools: []string{"goscratch", "dockerfile", "hostgo"}, Runs: []Run{
				{Round: 0, Tool: "goscratch", Seconds: 2, LLBReadyMS: 300, VmHWMKiB: 40960},
				{Round: 0, Tool: "dockerfile", Seconds: 4},
				{Round: 0, Tool: "hostgo", Seconds: 1},
			}},
			{Subject: "hello", Scenario: "noop", Platforms: []string{"linux/amd64"}, Tools: []string{"goscratch", "dockerfile"}, Runs: []Run{
				{Round: 0, Tool: "goscratch", Seconds: 1.5},
				{Round: 0, Tool: "dockerfile", Seconds: 1.2},
			}},
			{Subject: "hello", Scenario: "ephemeral", Platforms: []string{"linux/amd64", "linux/arm64"}, Tools: []string{"goscratch", "dockerfile"}, Runs: []Run{
				{Round: 0, Tool: "goscratch", Seconds: 10, ProxyRequests: 3, Phases: map[string]float64{phBuilder: 1.5, phCacheImport: 0.25, phBuild: 4, phExport: 2, phTotal: 9}},
				{Round: 0, Tool: "dockerfile", Seconds: 20, ProxyRequests: 40, Phases: map[string]float64{phDownload: 5, phBuild: 12, phTotal: 19}},
			}, Exports: []CacheExport{
				{Tool: "goscratch", Seconds: 50, Phases: map[string]float64{phPrecompile: 30, phCacheExport: 6}, Cache: CacheSize{Bytes: 250_000_000, Meta: 20_000, Layers: []int64{150_000_000, 90_000_000, 9_980_000}}},
			}},
			{Subject: "big", Scenario: "ephemeral", Platforms: []string{"linux/amd64", "linux/arm64"}, Tools: []string{"goscratch", "dockerfile"}, Runs: []Run{
				{Round: 0, Tool: "goscratch", Seconds: 40},
				{Round: 0, Tool: "dockerfile", Seconds: 400},
			}},
		},
		Subjects: []SubjectInfo{
			{Name: "hello", Modules: 1, Binaries: []string{"."}},
			{Name: "big", Modules: 329, Binaries: []string{"./cmd/server"}},
			{Name: "big2bin", Modules: 329, Binaries: []string{"./cmd/server", "./cmd/svcctl"}},
		},
		Sizes: []ImageSize{{Subject: "hello", Tool: "goscratch", ImageBytes: 3_000_000, BinaryGz: 2_500_000, CertsGz: 100_000, ZoneinfoGz: 390_000}},
	}
}

func TestResultsRoundTrip(t *testing.T) {
	want := sampleResults()
	path := filepath.Join(t.TempDir(), "results.json")
	if err := writeResults(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := readResults(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func TestReadResultsRejectsOtherSchema(t *testing.T) {
	r := sampleResults()
	r.Schema = resultsSchema + 1
	path := filepath.Join(t.TempDir(), "results.json")
	if err := writeResults(path, r); err != nil {
		t.Fatal(err)
	}
	if _, err := readResults(path); err == nil || !strings.Contains(err.Error(), "schema") {
		t.Errorf("readResults = %v, want a schema error", err)
	}
}

// wantIn fails t when the text named what lacks want.
func wantIn(t *testing.T, what, text, want string) {
	t.Helper()
	if !strings.Contains(text, want) {
		t.Errorf("%s lacks %q:\n%s", what, want, text)
	}
}
