package frontend

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// argStats turns on the frontend's self-measurement for the benchmark
// (bench/) and for the hostile-input suite (integration/): --opt
// build-arg:GOSCRATCH_STATS=1 makes a build, successful or not, end with one
// warning,
//
//	goscratch-stats llb_ready_ms=N vmhwm_kib=N cpu_ms=N answered_ms=N
//
// llb_ready_ms is the time from the frontend process's start (this package's
// initialisation) to the first solve of a platform's build graph (after
// the spec, go.mod and the builder image's config were read; -1 when the
// request was answered with an error before that), vmhwm_kib the process's
// peak resident set (VmHWM in /proc/self/status) at the end, cpu_ms the
// process's user+system CPU time and answered_ms the time to the answer.
// BuildKit starts a frontend process per request, so they are this
// request's costs.
const argStats = "GOSCRATCH_STATS"

var processStart = time.Now()

type statsKey struct{}

type stats struct {
	once     sync.Once
	llbReady time.Duration
	ready    bool
}

// withStats returns ctx carrying a recorder when the request asked for stats.
func withStats(ctx context.Context, bc *dockerui.Client) (context.Context, *stats) {
	if bc.BuildArgs[argStats] != "1" {
		return ctx, nil
	}
	s := &stats{}
	return context.WithValue(ctx, statsKey{}, s), s
}

// markSolve records the first build-graph solve; a no-op without stats.
func markSolve(ctx context.Context) {
	if s, ok := ctx.Value(statsKey{}).(*stats); ok {
		s.once.Do(func() { s.llbReady, s.ready = time.Since(processStart), true })
	}
}

// report emits the stats warning; a no-op on a nil recorder.
func (s *stats) report(ctx context.Context, src *dockerui.Source) {
	if s == nil {
		return
	}
	ready := int64(-1)
	if s.ready {
		ready = s.llbReady.Milliseconds()
	}
	msg := fmt.Sprintf("goscratch-stats llb_ready_ms=%d vmhwm_kib=%d cpu_ms=%d answered_ms=%d",
		ready, vmHWM(), cpuTime().Milliseconds(), time.Since(processStart).Milliseconds())
	src.Warn(ctx, msg, client.WarnOpts{Level: 1})
}

// cpuTime is the process's user+system CPU time so far (0 if unknown).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// vmHWM is the process's peak RSS in KiB, or -1 when it cannot be read.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var kib int64
		if _, err := fmt.Sscanf(sc.Text(), "VmHWM: %d kB", &kib); err == nil {
			return kib
		}
	}
	return -1
}
