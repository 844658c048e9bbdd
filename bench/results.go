package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// resultsSchema is bumped when the results file's shape changes incompatibly.
const resultsSchema = 1

// Results is everything one bench invocation measured; the results file is
// its JSON, and docs/benchmarks.md's table and plot are rendered from it.
type Results struct {
	Schema   int           `json:"schema"`
	Started  time.Time     `json:"started"`
	Finished time.Time     `json:"finished"`
	Machine  Machine       `json:"machine"`
	Config   RunConfig     `json:"config"`
	Frontend FrontendInfo  `json:"frontend"`
	Subjects []SubjectInfo `json:"subjects,omitempty"`
	Cells    []Cell        `json:"cells"`
	Sizes    []ImageSize   `json:"sizes,omitempty"`
	// Parts are the runs a merged results file (-merge) was made of, in
	// order; empty for a file of one run.
	Parts []Part `json:"parts,omitempty"`
}

// SubjectInfo is what the bench measured of a subject before building it.
type SubjectInfo struct {
	Name string `json:"name"`
	// Modules is how many modules the subject depends on: `go list -m all`
	// less the main module; -1 if it could not be counted.
	Modules int `json:"modules"`
	// Compiled is how many modules the build compiles packages from, the
	// main module included (countCompiledModules); -1 if it could not be
	// counted, 0 in results made before it was.
	Compiled int      `json:"compiled_modules,omitempty"`
	Binaries []string `json:"binaries"` // main packages, the entrypoint first
}

// Machine describes where the numbers come from.
type Machine struct {
	CPU      string  `json:"cpu"`
	Cores    int     `json:"cores"`
	MemGiB   float64 `json:"mem_gib"`
	Kernel   string  `json:"kernel"`
	Go       string  `json:"go"`
	BuildKit string  `json:"buildkit"`
	// Gunzip is what the daemon decompresses gzip layers with (a cache
	// import, an image pull): "igzip" or "unpigz" when in PATH, as
	// containerd looks for them, else "go" (compress/gzip); empty in
	// results made before it was recorded.
	Gunzip    string `json:"gunzip,omitempty"`
	LoadStart string `json:"load_start"` // /proc/loadavg when the run started
	LoadEnd   string `json:"load_end"`
}

// RunConfig is the command line that produced the results.
type RunConfig struct {
	Runs   int      `json:"runs"`
	Warmup int      `json:"warmup"`
	Matrix string   `json:"matrix"`
	Tools  []string `json:"tools"`
	// Baseline is the frontend image of the tool "baseline", if any.
	Baseline string `json:"baseline,omitempty"`
	// CacheCompression is the exported caches' layer compression
	// (--export-cache compression=...), for every tool; "" is BuildKit's
	// default, gzip.
	CacheCompression string `json:"cache_compression,omitempty"`
	Command          string `json:"command"`
}

// FrontendInfo is the goscratch frontend image that was measured.
type FrontendInfo struct {
	Ref        string `json:"ref"`
	ImageBytes int64  `json:"image_bytes"` // linux/amd64: config + layers, compressed
}

// Cell is one subject x scenario x platform count: the counted runs of every
// tool, in the order they ran (round by round, tools alternating).
type Cell struct {
	Subject   string   `json:"subject"`
	Scenario  string   `json:"scenario"`
	Platforms []string `json:"platforms"`
	Tools     []string `json:"tools"`
	Runs      []Run    `json:"runs"`
	// Exports are the ephemeral scenario's cache-exporting builds (the
	// first CI job: its warm-up), one per tool, with the cache they wrote.
	Exports []CacheExport `json:"exports,omitempty"`
}

// CacheExport is one build that exported a local cache, and that cache.
type CacheExport struct {
	Tool    string             `json:"tool"`
	Seconds float64            `json:"seconds"`
	Phases  map[string]float64 `json:"phases,omitempty"`
	Cache   CacheSize          `json:"cache"`
	Err     string             `json:"error,omitempty"`
}

// Run is one counted, timed build.
type Run struct {
	Round   int     `json:"round"`
	Tool    string  `json:"tool"`
	Seconds float64 `json:"seconds"`
	// ProxyRequests is how many requests reached the counting Go module proxy
	// during the build (module downloads from the network).
	ProxyRequests int `json:"proxy_requests"`
	// Frontend self-measurement (goscratch only; GOSCRATCH_STATS=1), -1 if absent.
	LLBReadyMS int64 `json:"llb_ready_ms,omitempty"`
	VmHWMKiB   int64 `json:"vmhwm_kib,omitempty"`
	// ExportSeconds is how long BuildKit's "exporting to image" step took
	// (layer compression, manifests, push), read from the rawjson log of a
	// BuildKit tool; 0 if unknown.
	ExportSeconds float64 `json:"export_seconds,omitempty"`
	// Phases is the per-phase breakdown of a BuildKit tool's build from its
	// progress stream: seconds during which a step of the phase ran (keys:
	// phaseOrder and "total", see phases.go).
	Phases map[string]float64 `json:"phases,omitempty"`
	Err    string             `json:"error,omitempty"`
}

// ImageSize compares one tool's image (linux/amd64) with the sum of its parts.
type ImageSize struct {
	Subject    string `json:"subject"`
	Tool       string `json:"tool"`
	Ref        string `json:"ref"`
	ImageBytes int64  `json:"image_bytes"` // config + layers, compressed, from the registry
	// The parts, each gzip-compressed at the default level (as BuildKit
	// compresses layers): the binary, the CA bundle, the zoneinfo tree as a tar.
	BinaryGz   int64 `json:"binary_gz"`
	CertsGz    int64 `json:"certs_gz"`
	ZoneinfoGz int64 `json:"zoneinfo_gz"`
	// The same parts uncompressed (zoneinfo: sum of regular file sizes).
	Binary   int64 `json:"binary"`
	Certs    int64 `json:"certs"`
	Zoneinfo int64 `json:"zoneinfo"`
}

// PartsGz is the compressed sum of the parts.
func (s ImageSize) PartsGz() int64 { return s.BinaryGz + s.CertsGz + s.ZoneinfoGz }

// Overhead is what the image adds to its compressed parts.
func (s ImageSize) Overhead() int64 { return s.ImageBytes - s.PartsGz() }

func writeResults(path string, r *Results) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readResults(path string) (*Results, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Results
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.Schema != resultsSchema {
		return nil, fmt.Errorf("%s: results schema %d, this bench reads %d", path, r.Schema, resultsSchema)
	}
	return &r, nil
}
