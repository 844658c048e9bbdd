// Command bench is goscratch's benchmark (issue #8): on its own buildkitd it
// builds the same images with goscratch, a best-practice Dockerfile, ko and
// plain `go build` on the host, alternating the tools run by run, and writes
// a results file from which docs/benchmarks.md's table and plot are made.
//
//	go run . run [flags]          measure (see -h), write the results, regenerate the docs
//	go run . report [flags]       regenerate the docs from a results file
//	go run . plan [flags]         print the cells and the time estimate only
//
// Run it through `make bench` (hack/bench.sh), which installs ko, starts the
// lab's registry and builds the frontend image under its own tag. Run from
// bench/, -repo defaults to the repository above it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/goscratch/goscratch/internal/lab"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: bench run|report|plan [flags]  (bench <cmd> -h for the flags)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "run", "plan":
		err = cmdRun(os.Args[1], os.Args[2:])
	case "report":
		err = cmdReport(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "bench: unknown command %q (run, report, plan)\n", os.Args[1])
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

func defaultWork() string {
	if d := os.Getenv("GOSCRATCH_CACHE"); d != "" {
		return filepath.Join(d, "bench")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "goscratch", "bench")
}

func cmdRun(name string, args []string) error {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	matrix := fs.String("matrix", "default", "cells to run: default (covers every target; `plan` prints its estimate) or full (every subject x scenario x 1/2/4 platforms)")
	subjectsF := fs.String("subjects", "", "only these subjects (comma-separated: hello, frontend, big, big2bin)")
	scenariosF := fs.String("scenarios", "", "only these scenarios (cold, noop, change, gosum, ephemeral)")
	platformsF := fs.String("platforms", "", "only these platform counts (1, 2, 4)")
	toolsF := fs.String("tools", strings.Join(allToolNames, ","), "tools to compare; goscratch is the base of the ratios")
	runs := fs.Int("runs", 5, "counted runs per tool and cell")
	warmup := fs.Int("warmup", 1, "uncounted warm-up builds per tool and cell (cold needs none; ephemeral always exports its cache once)")
	repo := fs.String("repo", "..", "the goscratch repository (subjects are copied from it, never edited)")
	work := fs.String("work", defaultWork(), "state: the bench's buildkitd root, subject copies, host caches, logs")
	out := fs.String("out", "", "results file to write (default REPO/docs/benchmarks.json)")
	doc := fs.String("doc", "", "markdown page whose generated part is rewritten (default REPO/docs/benchmarks.md)")
	png := fs.String("png", "", "plot to write (default REPO/docs/benchmarks.png)")
	frontend := fs.String("frontend", os.Getenv("GOSCRATCH_FRONTEND"), "goscratch frontend image (name@digest) in the local registry")
	baseline := fs.String("baseline", "", "a second frontend image (name@digest), e.g. main's before a change: adds the tool \"baseline\", built in alternating pairs with goscratch")
	registry := fs.String("registry", "127.0.0.1:5000", "registry every image is pushed to")
	prefix := fs.String("repo-prefix", "bench", "repository prefix in the registry")
	builder := fs.String("builder-image", "golang:1.26.8", "Go builder image of the Dockerfile peer and ko's base (the goscratch subjects resolve the same from go.mod)")
	proxyAddr := fs.String("proxy-addr", "127.0.0.1:5380", "loopback address of the counting Go module proxy (fixed: it is part of the build args, hence of cache keys)")
	cacheCompression := fs.String("cache-compression", "", "layer compression of every tool's exported cache in the ephemeral scenario (--export-cache compression=: gzip, zstd; default BuildKit's, gzip)")
	mergeF := fs.Bool("merge", false, "add this run's cells to the results file (-out) instead of replacing it: the default matrix is too long for one sitting on 2 cores, so it can be run in parts (-subjects/-scenarios); each part's cells replace the same cells, and the file lists the parts")
	timeout := fs.Duration("timeout", 0, "timeout of one build (default per scenario: cold and ephemeral 40m, gosum 20m, change and noop 15m)")
	_ = fs.Parse(args) // flag.ExitOnError

	*out, *doc, *png = orDefault(*out, *repo, "docs/benchmarks.json"), orDefault(*doc, *repo, "docs/benchmarks.md"), orDefault(*png, *repo, "docs/benchmarks.png")
	tools := splitList(*toolsF)
	if *baseline != "" && !contains(tools, toolBaseline) {
		tools = append(tools, toolBaseline)
	}
	for _, t := range tools {
		if !contains(knownTools, t) {
			return fmt.Errorf("-tools: unknown tool %q", t)
		}
	}
	if contains(tools, toolBaseline) && *baseline == "" {
		return fmt.Errorf("-tools: baseline needs -baseline IMAGE")
	}
	if len(tools) == 0 || tools[0] != toolGoscratch {
		return fmt.Errorf("-tools must start with goscratch (the base of every ratio)")
	}
	if *runs < 1 || *warmup < 0 {
		return fmt.Errorf("-runs must be >= 1 and -warmup >= 0")
	}
	cells, err := selectCells(*matrix, *subjectsF, *scenariosF, *platformsF)
	if err != nil {
		return err
	}
	fmt.Printf("bench: %d cells x tools %s, %d counted runs + %d warm-up each; rough estimate %s on 2 cores:\n",
		len(cells), strings.Join(tools, ","), *runs, *warmup, estimate(cells, tools, *runs, *warmup).Round(10*time.Second))
	for _, c := range cells {
		fmt.Printf("  %s: %d runs (%s)\n", c, c.runs(*runs), strings.Join(cellTools(c, tools), ","))
	}
	if name == "plan" {
		return nil
	}
	if *frontend == "" {
		return fmt.Errorf("-frontend (or GOSCRATCH_FRONTEND) must name the frontend image; hack/bench.sh builds it")
	}
	repoAbs, err := filepath.Abs(*repo)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := &bench{
		repo: repoAbs, work: *work, registry: *registry, repoPrefix: *prefix,
		frontendRef: *frontend, baselineRef: *baseline, cacheCompression: *cacheCompression, builderImage: *builder, timeout: *timeout,
		runs: *runs, warmup: *warmup, tools: tools,
		daemon: lab.NewDaemon(filepath.Join(*work, "buildkitd"), *registry),
	}
	res := &Results{
		Schema: resultsSchema, Started: time.Now().UTC(), Machine: machineInfo(),
		Config: RunConfig{Runs: *runs, Warmup: *warmup, Matrix: *matrix, Tools: tools, Baseline: *baseline, CacheCompression: *cacheCompression, Command: "bench " + name + " " + strings.Join(args, " ")},
	}
	runErr := b.runAll(ctx, cells, res, *proxyAddr)
	res.Finished = time.Now().UTC()
	res.Machine.LoadEnd = loadavg()
	if len(res.Cells) == 0 {
		return runErr
	}
	if *mergeF {
		if res, err = mergeInto(*out, res); err != nil {
			return err
		}
	}
	if err := writeResults(*out, res); err != nil {
		return err
	}
	fmt.Printf("bench: results in %s\n", *out)
	if err := render(res, *doc, *png); err != nil {
		return err
	}
	return runErr
}

func cmdReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	repo := fs.String("repo", "..", "the goscratch repository")
	in := fs.String("results", "", "results file to read (default REPO/docs/benchmarks.json)")
	doc := fs.String("doc", "", "markdown page whose generated part is rewritten (default REPO/docs/benchmarks.md)")
	png := fs.String("png", "", "plot to write (default REPO/docs/benchmarks.png)")
	exportLogs := fs.String("export-from-logs", "", "fill the export times a results file lacks (made before they were recorded) from this directory of the same run's build logs (e.g. ~/.cache/goscratch/bench/logs), and write the results file back; only logs written during the run are read")
	_ = fs.Parse(args) // flag.ExitOnError
	*in, *doc, *png = orDefault(*in, *repo, "docs/benchmarks.json"), orDefault(*doc, *repo, "docs/benchmarks.md"), orDefault(*png, *repo, "docs/benchmarks.png")
	r, err := readResults(*in)
	if err != nil {
		return err
	}
	if *exportLogs != "" {
		n := fillExportTimes(r, *exportLogs)
		fmt.Printf("bench: %d export times read from %s\n", n, *exportLogs)
		if err := writeResults(*in, r); err != nil {
			return err
		}
	}
	return render(r, *doc, *png)
}

func render(r *Results, doc, png string) error {
	if err := updateDoc(doc, r, filepath.Base(png)); err != nil {
		return err
	}
	if err := plotResults(r, png); err != nil {
		return err
	}
	if err := plotScaling(r, scalingName(png)); err != nil {
		return err
	}
	fmt.Printf("bench: %s, %s and its -scaling plot regenerated\n", doc, png)
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orDefault(v, repo, rel string) string {
	if v != "" {
		return v
	}
	return filepath.Join(repo, rel)
}
