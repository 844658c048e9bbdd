package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
)

// Markers around the generated part of docs/benchmarks.md; the rest of the
// page is written by hand and kept as is.
const (
	markBegin = "<!-- bench:results:begin (generated from docs/benchmarks.json by `make bench-report`; do not edit) -->"
	markEnd   = "<!-- bench:results:end -->"
)

// Target thresholds (issue #8 and #10).
const (
	targetChangeVsDockerfile    = 0.8  // one-line change, 2 platforms: goscratch <= 0.8x Dockerfile
	targetChangeVsFloor         = 1.5  // ... and <= 1.5x the host go build floor (+ export)
	targetColdVsDockerfile      = 1.0  // cold: goscratch <= 1.0x Dockerfile
	targetNoopSeconds           = 1.0  // no-op rebuild <= 1 s
	targetEphemeralVsDockerfile = 0.35 // ephemeral runner: goscratch <= 0.35x Dockerfile
	targetSizeOverhead          = 8 << 10
	targetFrontendBytes         = 20_000_000 // 20 MB

	// issue #17: real scale (subjects of 300+ modules), fresh runners, several binaries
	bigModules                  = 300  // a subject with this many modules is held to the issue #17 targets
	targetBigChangeVsDockerfile = 1.0  // 300+ modules, one-line change: goscratch <= 1.0x Dockerfile
	targetBigColdVsDockerfile   = 0.95 // 300+ modules, cold: goscratch <= 0.95x Dockerfile
	targetEphemeralVsWarm       = 3.0  // fresh runner <= 3x the warm one-line change (100+ and 300+ modules)
	targetBigEphemeralVsLayer   = 0.3  // 300+ modules, fresh runner: goscratch <= 0.3x the layer Dockerfile
	targetNoopSecondsAtScale    = 0.3  // no-op rebuild <= 0.3 s on every subject
	targetTwoBinaryVsDockerfile = 1.0  // two binaries, one-line change: <= 1.0x a Dockerfile with one go build
)

const base = "goscratch"

func platformLabel(ps []string) string { return fmt.Sprintf("%d", len(ps)) }

func secs(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if v < 10 {
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// against prints got with prec decimals, or more (up to 4) where prec
// would print it equal to limit although it is not: a ratio of 1.004 against
// a limit of 1.00 prints "1.004", so a MISS never reads "1.00× (≤ 1.00×)".
func against(got, limit float64, prec int) string {
	for ; prec < 4; prec++ {
		if got == limit || fmt.Sprintf("%.*f", prec, got) != fmt.Sprintf("%.*f", prec, limit) {
			break
		}
	}
	return fmt.Sprintf("%.*f", prec, got)
}

func ratio(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return fmt.Sprintf("%.2f×", v)
}

// renderResults is the generated markdown: machine, subjects, table per
// subject, targets, breakdowns, caches, frontend figures, sizes; pngName is
// the plot's file name next to the page (the scaling plot is named after it).
func renderResults(r *Results, pngName string) string {
	var b strings.Builder
	m := r.Machine
	fmt.Fprintf(&b, "Run %s → %s, %d counted runs per tool after %d warm-up (matrix %q).\n\n",
		r.Started.UTC().Format("2006-01-02 15:04 UTC"), r.Finished.UTC().Format("15:04 UTC"), r.Config.Runs, r.Config.Warmup, r.Config.Matrix)
	gz := ""
	if m.Gunzip != "" {
		gz = " (gunzip: " + m.Gunzip + ")"
	}
	differ := partsDiffer(r)
	machine := "Machine"
	if len(differ) > 0 {
		machine = "Machine of the last part"
	}
	fmt.Fprintf(&b, "%s: %s, %d cores, %.1f GiB RAM, Linux %s, %s, BuildKit %s%s; load average at start %s, at end %s.\n\n",
		machine, m.CPU, m.Cores, m.MemGiB, m.Kernel, m.Go, m.BuildKit, gz, m.LoadStart, m.LoadEnd)
	if len(r.Parts) == 0 {
		fmt.Fprintf(&b, "Command: `%s`\n\n", r.Config.Command)
	} else {
		if len(differ) == 0 {
			fmt.Fprintf(&b, "Run in %d parts on this machine with this frontend (`-merge`), each part's cells replacing the same cells:\n\n", len(r.Parts))
		} else {
			fmt.Fprintf(&b, "Run in %d parts (`-merge`), each part's cells replacing the same cells. **The parts differ in %s** (each names its own): "+
				"compare tools within a cell (paired), not absolute times across parts.\n\n", len(r.Parts), strings.Join(differ, " and "))
		}
		for i, p := range r.Parts {
			var extra string
			if p.Gunzip != "" {
				extra += ", gunzip " + p.Gunzip
			}
			if slices.Contains(differ, "CPU") {
				extra += ", CPU " + p.CPU
			}
			if slices.Contains(differ, "frontend") {
				extra += ", frontend " + shortRef(p.Frontend)
			}
			fmt.Fprintf(&b, "%d. %s → %s, load average %s → %s%s: `%s` (%s)\n", i+1, p.Started, p.Finished, p.LoadStart, p.LoadEnd, extra, p.Command, strings.Join(p.Cells, ", "))
		}
		b.WriteString("\n")
	}
	b.WriteString(subjectLines(r))

	subjects := orderedSubjects(r.Cells)
	for _, s := range subjects {
		fmt.Fprintf(&b, "### %s\n\n", s)
		b.WriteString("| scenario | platforms | tool | median s | min–max s | ×goscratch (pair median, min–max) | proxy requests (median) | runs |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|\n")
		for _, c := range r.Cells {
			if c.Subject != s {
				continue
			}
			for _, t := range summarizeCell(c, base) {
				runs := fmt.Sprintf("%d", t.Time.N)
				if t.Fails > 0 {
					runs += fmt.Sprintf(" (+%d failed)", t.Fails)
				}
				proxy := "–"
				if t.Proxy.N > 0 {
					proxy = fmt.Sprintf("%.0f", t.Proxy.Median)
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s | %s–%s | %s (%s–%s) | %s | %s |\n",
					c.Scenario, platformLabel(c.Platforms), t.Tool, secs(t.Time.Median), secs(t.Time.Min), secs(t.Time.Max),
					ratio(t.Ratio.Median), ratio(t.Ratio.Min), ratio(t.Ratio.Max), proxy, runs)
			}
		}
		b.WriteString("\n")
	}

	b.WriteString("### Targets\n\n")
	for _, l := range targetLines(r) {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	b.WriteString(breakdownLines(r))
	b.WriteString(cacheExportLines(r))
	b.WriteString("\n### Frontend\n\n")
	b.WriteString(frontendLines(r, differ))
	if len(r.Sizes) > 0 {
		b.WriteString("\n### Image size vs its parts (linux/amd64, gzip-compressed bytes)\n\n")
		b.WriteString("| subject | tool | image | binary | certs | zoneinfo | parts | image − parts |\n|---|---|---|---|---|---|---|---|\n")
		for _, z := range r.Sizes {
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %d | %d |\n",
				z.Subject, z.Tool, z.ImageBytes, z.BinaryGz, z.CertsGz, z.ZoneinfoGz, z.PartsGz(), z.Overhead())
		}
		b.WriteString("\nUncompressed parts: ")
		for i, z := range r.Sizes {
			if i > 0 && z.Subject == r.Sizes[i-1].Subject {
				continue
			}
			fmt.Fprintf(&b, "%s binary %d, ", z.Subject, z.Binary)
		}
		fmt.Fprintf(&b, "certs %d, zoneinfo %d (regular files).\n", r.Sizes[0].Certs, r.Sizes[0].Zoneinfo)
	}
	b.WriteString("\n![median build time per subject, scenario and platform count](" + pngName + ")\n")
	if hasScaling(r) {
		b.WriteString("\n![median build time against the subject's module count: cold, warm one-line change, fresh-runner one-line change](" + scalingName(pngName) + ")\n")
		if slices.Contains(differ, "CPU") {
			b.WriteString("\nThe scaling plot's subjects were measured in parts on different CPUs (listed above): its slope carries the machines' difference as well as the module count's.\n")
		}
	}
	return b.String()
}

func orderedSubjects(cells []Cell) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range cells {
		if !seen[c.Subject] {
			seen[c.Subject] = true
			out = append(out, c.Subject)
		}
	}
	return out
}

func verdict(ok bool) string {
	if ok {
		return "**PASS**"
	}
	return "**MISS**"
}

// targetLines checks each target against the cells that measure it:
// issues #8 and #10's, and #17's for subjects of 300+ modules, fresh
// runners against the warm builder, several binaries and no-ops.
func targetLines(r *Results) []string {
	var out []string
	modules := map[string]int{}
	binaries := map[string]int{}
	for _, s := range r.Subjects {
		modules[s.Name], binaries[s.Name] = s.Modules, len(s.Binaries)
	}
	warm := map[string]float64{} // the goscratch median of each subject's 2-platform change cell
	warmPart := map[string]int{} // and the part that measured it
	for _, c := range r.Cells {
		if c.Scenario == "change" && len(c.Platforms) == 2 {
			if g, ok := findTool(summarizeCell(c, base), base); ok && g.Time.N > 0 {
				warm[c.Subject], warmPart[c.Subject] = g.Time.Median, cellPart(r, cellKey(c))
			}
		}
	}
	for _, c := range r.Cells {
		ts := summarizeCell(c, base)
		g, ok := findTool(ts, base)
		if !ok || g.Time.N == 0 {
			continue
		}
		name := fmt.Sprintf("%s %s %d platform(s)", c.Subject, c.Scenario, len(c.Platforms))
		big := modules[c.Subject] >= bigModules
		vs := func(tool string) (float64, bool) { // goscratch / tool, the pair median
			t, ok := findTool(ts, tool)
			if !ok || t.Ratio.N == 0 {
				return 0, false
			}
			return 1 / t.Ratio.Median, true
		}
		switch c.Scenario {
		case "change":
			if got, ok := vs("dockerfile"); ok && len(c.Platforms) == 2 {
				switch {
				case binaries[c.Subject] > 1:
					out = append(out, fmt.Sprintf("%s %s: goscratch %s× the Dockerfile that builds the %d binaries in one go build (target ≤ %.2f×)", verdict(got <= targetTwoBinaryVsDockerfile), name, against(got, targetTwoBinaryVsDockerfile, 2), binaries[c.Subject], targetTwoBinaryVsDockerfile))
				case big:
					out = append(out, fmt.Sprintf("%s %s: goscratch %s× the Dockerfile (target ≤ %.2f×)", verdict(got <= targetBigChangeVsDockerfile), name, against(got, targetBigChangeVsDockerfile, 2), targetBigChangeVsDockerfile))
				default:
					out = append(out, fmt.Sprintf("%s %s: goscratch %s× the Dockerfile (target ≤ %.2f×)", verdict(got <= targetChangeVsDockerfile), name, against(got, targetChangeVsDockerfile, 2), targetChangeVsDockerfile))
				}
			}
			if h, ok := findTool(ts, "hostgo"); ok && len(c.Platforms) == 2 && h.Ratio.N > 0 && !big {
				if g.Export.N == 0 {
					got := 1 / h.Ratio.Median
					out = append(out, fmt.Sprintf("%s %s: goscratch %.2f× the host `go build` floor, export not added (target ≤ %.1f× floor + export)", verdict(got <= targetChangeVsFloor), name, got, targetChangeVsFloor))
				} else {
					floor := h.Time.Median + g.Export.Median
					got := g.Time.Median / floor
					out = append(out, fmt.Sprintf("%s %s: goscratch %.2f s = %.2f× the host `go build` floor %.2f s + its image export %.2f s (medians; target ≤ %.1f×)", verdict(got <= targetChangeVsFloor), name, g.Time.Median, got, h.Time.Median, g.Export.Median, targetChangeVsFloor))
				}
			}
		case "cold":
			if got, ok := vs("dockerfile"); ok {
				limit := targetColdVsDockerfile
				if big {
					limit = targetBigColdVsDockerfile
				}
				out = append(out, fmt.Sprintf("%s %s: goscratch %s× the Dockerfile (target ≤ %.2f×)", verdict(got <= limit), name, against(got, limit, 2), limit))
			}
		case "noop":
			out = append(out, fmt.Sprintf("%s %s: goscratch median %.2f s (target ≤ %.1f s)", verdict(g.Time.Median <= targetNoopSecondsAtScale), name, g.Time.Median, targetNoopSecondsAtScale))
		case "ephemeral":
			if got, ok := vs("dockerfile"); ok {
				out = append(out, fmt.Sprintf("%s %s: goscratch %s× the Dockerfile (target ≤ %.2f×)", verdict(got <= targetEphemeralVsDockerfile), name, against(got, targetEphemeralVsDockerfile, 2), targetEphemeralVsDockerfile))
			}
			if got, ok := vs("dockerfile-layer"); ok && big {
				out = append(out, fmt.Sprintf("%s %s: goscratch %s× the layer Dockerfile (target ≤ %.2f×)", verdict(got <= targetBigEphemeralVsLayer), name, against(got, targetBigEphemeralVsLayer, 2), targetBigEphemeralVsLayer))
			}
			if w, ok := warm[c.Subject]; ok && len(c.Platforms) == 2 && modules[c.Subject] >= 100 {
				got := g.Time.Median / w
				out = append(out, fmt.Sprintf("%s %s: goscratch %.2f s = %s× its warm-builder one-line change %.2f s (medians; target ≤ %.0f×)%s", verdict(got <= targetEphemeralVsWarm), name, g.Time.Median, against(got, targetEphemeralVsWarm, 1), w, targetEphemeralVsWarm,
					acrossParts(r, warmPart[c.Subject], cellPart(r, cellKey(c)))))
			}
			out = append(out, fmt.Sprintf("%s %s: goscratch module-proxy requests per rebuild %.0f–%.0f (target 0)", verdict(g.Proxy.Max == 0), name, g.Proxy.Min, g.Proxy.Max))
		}
	}
	for _, z := range r.Sizes {
		if z.Tool == base {
			out = append(out, fmt.Sprintf("%s %s image: %d bytes over its compressed parts (target ≤ %d)", verdict(z.Overhead() <= targetSizeOverhead), z.Subject, z.Overhead(), targetSizeOverhead))
		}
	}
	if r.Frontend.ImageBytes > 0 {
		out = append(out, fmt.Sprintf("%s frontend image %.1f MB compressed, linux/amd64 (target ≤ %.0f MB)", verdict(r.Frontend.ImageBytes <= targetFrontendBytes), float64(r.Frontend.ImageBytes)/1e6, float64(targetFrontendBytes)/1e6))
	}
	if len(out) == 0 {
		out = append(out, "no cell of this run measures a target")
	}
	return out
}

// frontendLines: request->LLB-ready time and peak RSS over the goscratch
// runs; differ is partsDiffer(r).
func frontendLines(r *Results, differ []string) string {
	var b strings.Builder
	last := ""
	if slices.Contains(differ, "frontend") {
		last = " (the last part's; each part names its own above)"
	}
	fmt.Fprintf(&b, "Image `%s`%s, %.1f MB compressed (linux/amd64).\n\n", r.Frontend.Ref, last, float64(r.Frontend.ImageBytes)/1e6)
	b.WriteString("| subject | scenario | platforms | request → LLB ready ms (median, min–max) | peak RSS MiB (median, max) |\n|---|---|---|---|---|\n")
	for _, c := range r.Cells {
		g, ok := findTool(summarizeCell(c, base), base)
		if !ok || g.LLBReadyMS.N == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.0f (%.0f–%.0f) | %.1f (%.1f) |\n", c.Subject, c.Scenario, len(c.Platforms),
			g.LLBReadyMS.Median, g.LLBReadyMS.Min, g.LLBReadyMS.Max, g.VmHWMKiB.Median/1024, g.VmHWMKiB.Max/1024)
	}
	return b.String()
}

// spliceDoc replaces the generated part of doc (between the markers) with
// gen; a doc without markers gets them appended.
func spliceDoc(doc, gen string) string {
	i := strings.Index(doc, markBegin)
	j := strings.Index(doc, markEnd)
	block := markBegin + "\n" + gen + markEnd
	if i < 0 || j < i {
		if doc != "" && !strings.HasSuffix(doc, "\n") {
			doc += "\n"
		}
		return doc + "\n" + block + "\n"
	}
	return doc[:i] + block + doc[j+len(markEnd):]
}

func updateDoc(path string, r *Results, pngName string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	now := spliceDoc(string(old), renderResults(r, pngName))
	if bytes.Equal(old, []byte(now)) {
		return nil
	}
	return os.WriteFile(path, []byte(now), 0o644)
}

// acrossParts is the note for a comparison of two cells measured by the
// parts i and j (cellPart) when those ran on different CPUs or frontends.
func acrossParts(r *Results, i, j int) string {
	if i < 0 || j < 0 || i == j {
		return ""
	}
	a, b := r.Parts[i], r.Parts[j]
	var d []string
	if a.CPU != b.CPU {
		d = append(d, fmt.Sprintf("CPUs (%s, %s)", a.CPU, b.CPU))
	}
	if a.Frontend != b.Frontend {
		d = append(d, "frontend images")
	}
	if len(d) == 0 {
		return ""
	}
	return fmt.Sprintf("; the two cells come from parts %d and %d, on different %s", i+1, j+1, strings.Join(d, " and "))
}

// shortRef is an image reference with its digest cut to 12 hex digits.
func shortRef(ref string) string {
	if i := strings.Index(ref, "@sha256:"); i >= 0 && len(ref) > i+8+12 {
		return ref[:i+8+12]
	}
	return ref
}
