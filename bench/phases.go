package main

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/goscratch/goscratch/llb/stepname"
)

// The phases of a BuildKit build the breakdown reports, in the order of a
// build. goscratch's own steps are classified by llb/stepname (the names the
// frontend gives them); the Dockerfile peers' by the commands the bench
// writes into their Dockerfiles; BuildKit's own by BuildKit's names.
const (
	phBuilder     = stepname.PhaseBuilder    // the builder image and goscratch's frontend image: resolve, pull, unpack
	phCacheImport = "cache-import"           // --import-cache: reading the cache's manifest
	phDownload    = stepname.PhaseDownload   // go mod download
	phDeps        = stepname.PhaseDeps       // gotool imports and prune
	phPrecompile  = stepname.PhasePrecompile // gotool precompile: the dependency layer
	phBuild       = stepname.PhaseBuild      // go build: compile and link
	phExport      = "export"                 // exporting to image: layers, compression, push
	phCacheExport = "cache-export"           // --export-cache: preparing and writing the cache
	phOther       = "other"                  // anything else: context transfer, file layers, merge
	phTotal       = "total"                  // first vertex start to last vertex end
)

// phaseOrder is the order of the breakdown's columns.
var phaseOrder = []string{phBuilder, phCacheImport, phDownload, phDeps, phPrecompile, phBuild, phExport, phCacheExport, phOther}

// BuildKit's names for its own vertices (exporter and cache exporter names,
// the cache importer's progress).
const (
	bkExportImage     = "exporting to image"
	bkCacheImport     = "importing cache manifest from "
	bkCacheExport     = "exporting cache to "
	bkCachePrepare    = "preparing build cache for export"
	bkLoadMetadata    = "[internal] load metadata for "
	bkResolveImage    = "resolve image config for "
	bkImageSource     = "docker-image://" // an image source without a name of its own: the gateway's frontend image
	dockerfileFromPfx = "FROM "
)

// phaseOf classifies a vertex name from any of the BuildKit tools.
func phaseOf(name string) string {
	if p := stepname.Phase(name); p != "" {
		return p
	}
	switch {
	case name == bkExportImage:
		return phExport
	case strings.HasPrefix(name, bkCacheImport):
		return phCacheImport
	case strings.HasPrefix(name, bkCacheExport), name == bkCachePrepare:
		return phCacheExport
	case strings.HasPrefix(name, bkLoadMetadata), strings.HasPrefix(name, bkResolveImage), strings.HasPrefix(name, bkImageSource):
		return phBuilder
	}
	// The Dockerfile peers: "[linux/arm64 build 5/5] RUN ... go build ...",
	// "[build 1/5] FROM docker.io/library/golang:...".
	if _, step, ok := strings.Cut(name, "] "); ok && strings.HasPrefix(name, "[") {
		switch {
		case strings.HasPrefix(step, "RUN ") && strings.Contains(step, dfDownloadCmd):
			return phDownload
		case strings.HasPrefix(step, "RUN ") && strings.Contains(step, dfBuildCmd):
			return phBuild
		case strings.HasPrefix(step, dockerfileFromPfx) && !strings.Contains(step, "scratch"):
			return phBuilder
		}
	}
	return phOther
}

// interval is a span of time [start, end].
type interval struct{ start, end time.Time }

// vertexSpans reads a buildctl --progress rawjson log: for every vertex its
// name and the times it (and its progress items, such as a layer's pull or
// extraction) ran, merged.
func vertexSpans(logPath string) map[string]*vertexSpan {
	spans := map[string]*vertexSpan{}
	get := func(dgst string) *vertexSpan {
		v := spans[dgst]
		if v == nil {
			v = &vertexSpan{}
			spans[dgst] = v
		}
		return v
	}
	rawjsonLines(logPath, `"vertex`, func(line []byte) bool {
		var st struct {
			Vertexes []struct {
				Digest, Name       string
				Started, Completed *time.Time
			}
			Statuses []struct {
				Vertex             string
				Started, Completed *time.Time
			}
		}
		if json.Unmarshal(line, &st) != nil {
			return true
		}
		for _, v := range st.Vertexes {
			s := get(v.Digest)
			if v.Name != "" {
				s.name = v.Name
			}
			s.add(v.Started, v.Completed)
		}
		for _, v := range st.Statuses {
			if v.Vertex != "" {
				get(v.Vertex).add(v.Started, v.Completed)
			}
		}
		return true
	})
	return spans
}

// vertexSpan is one vertex's name and the times it ran.
type vertexSpan struct {
	name string
	runs []interval
}

func (v *vertexSpan) add(started, completed *time.Time) {
	if started == nil || completed == nil || completed.Before(*started) {
		return // still running in this update; the completed one follows
	}
	v.runs = append(v.runs, interval{*started, *completed})
}

// phasesOfLog is the breakdown of one build's log (nil without vertices).
func phasesOfLog(logPath string) map[string]float64 {
	return breakdown(vertexSpans(logPath))
}

// breakdown is, for every phase, how long at least one of its vertices was
// running (the union of their spans, so the platforms' parallel steps count
// once), and the total from the first start to the last end. Phases may
// overlap one another, so their sum can exceed the total.
func breakdown(spans map[string]*vertexSpan) map[string]float64 {
	byPhase := map[string][]interval{}
	var all []interval
	for _, v := range spans {
		if v.name == "" || len(v.runs) == 0 {
			continue
		}
		p := phaseOf(v.name)
		byPhase[p] = append(byPhase[p], v.runs...)
		all = append(all, v.runs...)
	}
	if len(all) == 0 {
		return nil
	}
	out := map[string]float64{}
	for p, ivs := range byPhase {
		out[p] = unionSeconds(ivs)
	}
	first, last := all[0].start, all[0].end
	for _, iv := range all {
		if iv.start.Before(first) {
			first = iv.start
		}
		if iv.end.After(last) {
			last = iv.end
		}
	}
	out[phTotal] = last.Sub(first).Seconds()
	return out
}

// unionSeconds is the length of the union of intervals.
func unionSeconds(ivs []interval) float64 {
	s := slices.Clone(ivs)
	slices.SortFunc(s, func(a, b interval) int { return a.start.Compare(b.start) })
	var total time.Duration
	var cur interval
	for i, iv := range s {
		switch {
		case i == 0:
			cur = iv
		case !iv.start.After(cur.end):
			if iv.end.After(cur.end) {
				cur.end = iv.end
			}
		default:
			total += cur.end.Sub(cur.start)
			cur = iv
		}
	}
	if len(s) > 0 {
		total += cur.end.Sub(cur.start)
	}
	return total.Seconds()
}
