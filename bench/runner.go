package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goscratch/goscratch/internal/lab"
)

// bench is one invocation's state.
type bench struct {
	repo, work           string
	registry, repoPrefix string
	frontendRef          string
	baselineRef          string // -baseline: the frontend of the tool "baseline"
	cacheCompression     string // -cache-compression: of the exported caches' layers ("" gzip)
	builderImage, koBase string
	timeout              time.Duration
	runs, warmup         int
	tools                []string
	daemon               *lab.Daemon // its own buildkitd, never the lab's
	proxy                *countingProxy
	workspaces           map[string]*workspace
	pushed               map[string]map[string]string // subject -> tool -> image ref
}

func (b *bench) runAll(ctx context.Context, cells []cellSpec, res *Results, proxyAddr string) error {
	upstream, err := upstreamGoproxy()
	if err != nil {
		return err
	}
	if b.proxy, err = startCountingProxy(proxyAddr, upstream); err != nil {
		return err
	}
	defer b.proxy.close()
	for _, d := range []string{b.work, filepath.Join(b.work, "logs"), filepath.Join(b.work, "docker-config")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := b.daemon.Start(ctx); err != nil {
		return err
	}
	defer func() {
		if _, err := b.daemon.Stop(); err != nil {
			fmt.Printf("bench: %v\n", err)
		}
	}()
	res.Machine.LoadStart = loadavg()
	res.Frontend.Ref = b.frontendRef
	if res.Frontend.ImageBytes, err = imageBytes(ctx, b.frontendRef, "amd64"); err != nil {
		fmt.Printf("bench: frontend image size: %v\n", err)
	}
	if contains(b.tools, toolKo) {
		if err := b.buildKoBase(ctx); err != nil {
			return err
		}
	}
	b.workspaces, b.pushed = map[string]*workspace{}, map[string]map[string]string{}
	for _, c := range cells {
		if _, ok := b.workspaces[c.subject]; ok {
			continue
		}
		s, _ := subjectByName(c.subject)
		w, err := newWorkspace(s, b.repo, b.work)
		if err != nil {
			return err
		}
		if err := b.writeDefs(w); err != nil {
			return err
		}
		if slices.ContainsFunc(cells, func(x cellSpec) bool { return x.subject == s.Name && x.scenario == scGoSum }) {
			if err := w.prepareToggle(append(b.goEnv(toolHostGo), "GOFLAGS=")); err != nil {
				return err
			}
		}
		n, err := countModules(w.dir, b.goEnv(toolHostGo))
		if err != nil {
			fmt.Printf("bench: %v\n", err)
			n = -1
		}
		compiled, err := countCompiledModules(w.dir, b.goEnv(toolHostGo), s.mains())
		if err != nil {
			fmt.Printf("bench: %v\n", err)
			compiled = -1
		}
		fmt.Printf("bench: %s depends on %d modules and compiles packages from %d\n", s.Name, n, compiled)
		res.Subjects = append(res.Subjects, SubjectInfo{Name: s.Name, Modules: n, Compiled: compiled, Binaries: s.mains()})
		b.workspaces[c.subject] = w
	}
	var runErr error
	for _, c := range cells {
		cell, err := b.runCell(ctx, c)
		if len(cell.Runs) > 0 {
			res.Cells = append(res.Cells, cell)
		}
		if err != nil {
			runErr = fmt.Errorf("%s: %w", c, err)
			break
		}
	}
	// Sizes even after an interruption: they need only what was pushed.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
	defer cancel()
	res.Sizes = b.sizes(sctx)
	return runErr
}

// editsSource: a build of scenario makes the one-line change first. Every
// build gets its own nonce, not every round: with one edit per round the
// tools of a round built the same binary, and a Dockerfile peer that ran
// after the other one found the final stage's `COPY --from=build` (keyed by
// the binary's content) cached and skipped compressing the binary's layer,
// about 4.5 s of the big subject's 16 s.
func editsSource(scenario string, counted bool) bool {
	return scenario == scChange || scenario == scEphemeral && counted
}

// runCell runs the warm-up and counted rounds of one cell; in every round
// each tool builds once, the order reversed every other round (A B, B A ...).
func (b *bench) runCell(ctx context.Context, c cellSpec) (Cell, error) {
	w := b.workspaces[c.subject]
	plats := platformSets[c.platforms]
	tools := cellTools(c, b.tools)
	cell := Cell{Subject: c.subject, Scenario: c.scenario, Platforms: plats, Tools: tools}
	if err := w.reset(); err != nil {
		return cell, err
	}
	warmup := b.warmup
	switch c.scenario {
	case scCold:
		warmup = 0
	case scNoop, scChange, scGoSum, scEphemeral:
		warmup = max(warmup, 1) // the first build of a cell is never a rebuild
	}
	fmt.Printf("\n== %s: %d warm-up + %d counted rounds of %s\n", c, warmup, c.runs(b.runs), strings.Join(tools, ", "))
	cacheDir := func(tool string) string {
		return filepath.Join(b.work, "cache", fmt.Sprintf("%s-%s-p%d", c.subject, tool, c.platforms))
	}
	for round := -warmup; round < c.runs(b.runs); round++ {
		if err := ctx.Err(); err != nil {
			return cell, err
		}
		counted := round >= 0
		if c.scenario == scGoSum && counted {
			if err := w.changeGoSum(); err != nil {
				return cell, err
			}
		}
		for _, tool := range roundOrder(tools, round) {
			if editsSource(c.scenario, counted) {
				if err := w.editSource(); err != nil {
					return cell, err
				}
			}
			var o buildOpts
			switch c.scenario {
			case scCold:
				if err := b.makeCold(ctx, tool); err != nil {
					return cell, err
				}
			case scEphemeral:
				// Not timed: a fresh runner (new daemon, empty root).
				if err := restartFresh(ctx, b.daemon); err != nil {
					return cell, err
				}
				if counted {
					o.importCache = cacheDir(tool)
				} else {
					os.RemoveAll(cacheDir(tool))
					o.exportCache = cacheDir(tool)
				}
			}
			logPath := filepath.Join(b.work, "logs", logName(c.subject, c.scenario, c.platforms, tool, round))
			r, err := b.build(ctx, tool, c.scenario, w, plats, o, logPath)
			r.Round = round
			label := "warm-up"
			if counted {
				label = fmt.Sprintf("run %d", round+1)
			}
			if err != nil {
				r.Err = firstLine(err.Error())
				fmt.Printf("   %-8s %-10s FAILED after %.2fs (log %s)\n%s\n", label, tool, r.Seconds, logPath, err)
				if ctx.Err() != nil {
					return cell, ctx.Err()
				}
			} else {
				extra := ""
				if r.LLBReadyMS > 0 {
					extra = fmt.Sprintf(", llb ready %dms, peak rss %.0f MiB", r.LLBReadyMS, float64(r.VmHWMKiB)/1024)
				}
				fmt.Printf("   %-8s %-10s %7.2fs  proxy %d%s\n", label, tool, r.Seconds, r.ProxyRequests, extra)
				if b.pushed[c.subject] == nil {
					b.pushed[c.subject] = map[string]string{}
				}
				if tool != toolHostGo {
					b.pushed[c.subject][tool] = b.imageRef(w, tool, plats)
				}
			}
			if counted {
				cell.Runs = append(cell.Runs, r)
			} else if o.exportCache != "" {
				cell.Exports = append(cell.Exports, cacheExport(r, o.exportCache))
			}
		}
	}
	return cell, nil
}

// cacheExport records a cache-exporting build and the size of its cache.
func cacheExport(r Run, dir string) CacheExport {
	e := CacheExport{Tool: r.Tool, Seconds: r.Seconds, Phases: r.Phases, Err: r.Err}
	if r.Err != "" {
		return e
	}
	var err error
	if e.Cache, err = readCacheSize(dir); err != nil {
		e.Err = err.Error()
		fmt.Printf("bench: cache size: %v\n", err)
	} else {
		fmt.Printf("   cache of %s: %.1f MB in %d layers (largest %.1f MB)\n", r.Tool, float64(e.Cache.Bytes)/1e6, len(e.Cache.Layers), float64(firstOr(e.Cache.Layers, 0))/1e6)
	}
	return e
}

func firstOr[T any](s []T, def T) T {
	if len(s) == 0 {
		return def
	}
	return s[0]
}

// makeCold empties the tool's caches: BuildKit's (prune; the builder and
// frontend images stay in the registry) or the host tool's Go caches.
func (b *bench) makeCold(ctx context.Context, tool string) error {
	if buildkitTool(tool) {
		return prune(ctx, b.daemon)
	}
	return b.clearGoCaches(tool)
}

// buildKoBase pushes ko's base image (CA bundle + zoneinfo on scratch) for
// the four platforms, built by the bench's daemon.
func (b *bench) buildKoBase(ctx context.Context) error {
	dir := filepath.Join(b.work, "defs", "ko-base")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(fmt.Sprintf(koBaseDockerfile, b.builderImage)), 0o644); err != nil {
		return err
	}
	b.koBase = fmt.Sprintf("%s/%s/ko-base:latest", b.registry, b.repoPrefix)
	out, err := exec.CommandContext(ctx, "buildctl", "--addr", b.daemon.Addr(), "build",
		"--frontend", "dockerfile.v0", "--local", "context="+dir, "--local", "dockerfile="+dir,
		"--opt", "platform="+strings.Join(platformSets[4], ","),
		"--output", "type=image,name="+b.koBase+",push=true").CombinedOutput()
	if err != nil {
		return fmt.Errorf("ko base image: %v\n%s", err, tail(string(out), 15))
	}
	return nil
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// logName is the build log of one run of a tool in a cell (round -1 is the
// warm-up).
func logName(subject, scenario string, platforms int, tool string, round int) string {
	return fmt.Sprintf("%s-%s-p%d-%s-r%d.log", subject, scenario, platforms, tool, round)
}

// fillExportTimes reads the export time of every BuildKit run that lacks
// one from its log in dir, if that log was written during r's run (a later
// bench run rewrites the logs); it returns how many it filled.
func fillExportTimes(r *Results, dir string) int {
	n := 0
	for ci := range r.Cells {
		c := &r.Cells[ci]
		for ri := range c.Runs {
			run := &c.Runs[ri]
			if run.ExportSeconds > 0 || run.Err != "" || !buildkitTool(run.Tool) {
				continue
			}
			path := filepath.Join(dir, logName(c.Subject, c.Scenario, len(c.Platforms), run.Tool, run.Round))
			st, err := os.Stat(path)
			if err != nil || st.ModTime().Before(r.Started) || st.ModTime().After(r.Finished) {
				continue
			}
			if s := exportSeconds(path); s > 0 {
				run.ExportSeconds = s
				n++
			}
		}
	}
	return n
}

// roundOrder is the order the tools build in a round: as given in even
// rounds, reversed in odd ones (A B, B A, ...), so that neither tool of a
// pair always runs right after the same neighbour or on a just-pruned
// daemon first.
func roundOrder(tools []string, round int) []string {
	if round%2 == 0 {
		return tools
	}
	rev := slices.Clone(tools)
	slices.Reverse(rev)
	return rev
}

// restartFresh wipes the daemon's state and starts it again: a fresh runner.
func restartFresh(ctx context.Context, d *lab.Daemon) error {
	if err := d.Wipe(); err != nil {
		return err
	}
	return d.Start(ctx)
}

// prune drops every cache record (cold builds); the daemon keeps running.
func prune(ctx context.Context, d *lab.Daemon) error {
	out, err := exec.CommandContext(ctx, "buildctl", "--addr", d.Addr(), "prune", "--all").CombinedOutput()
	if err != nil {
		return fmt.Errorf("buildctl prune --all: %v: %s", err, tail(string(out), 5))
	}
	return nil
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
