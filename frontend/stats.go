package frontend

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// argStats turns on the frontend's self-measurement for the benchmark
// (bench/): --opt build-arg:GOSCRATCH_STATS=1 makes a successful build
// end with one warning,
//
//	goscratch-stats llb_ready_ms=N vmhwm_kib=N
//
// llb_ready_ms is the time from the frontend process's start (this package's
// initialisation) to the first solve of a platform's build graph (after
// the spec, go.mod and the builder image's config were read), vmhwm_kib
// the process's peak resident set (VmHWM in /proc/self/status) at the end.
const argStats = "GOSCRATCH_STATS"

var processStart = time.Now()

type statsKey struct{}

type stats struct {
	once     sync.Once
	llbReady time.Duration
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
		s.once.Do(func() { s.llbReady = time.Since(processStart) })
	}
}

// report emits the stats warning; a no-op on a nil recorder.
func (s *stats) report(ctx context.Context, src *dockerui.Source) {
	if s == nil {
		return
	}
	msg := fmt.Sprintf("goscratch-stats llb_ready_ms=%d vmhwm_kib=%d", s.llbReady.Milliseconds(), vmHWM())
	src.Warn(ctx, msg, client.WarnOpts{Level: 1})
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
