package integration

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The budget of one request on a shared builder (docs/guarantees.md): for
// any input within the limits the frontend answers, with an image graph or
// an error at a spec line, within 2 s of CPU and 256 MiB of memory. The
// frontend measures itself when the request has GOSCRATCH_STATS=1
// (frontend/stats.go); BuildKit runs a frontend process per request, so
// the figures are that request's.

const (
	statsArg     = "GOSCRATCH_STATS"
	budgetCPUms  = 2000
	budgetMemKiB = 256 * 1024
)

var statsRE = regexp.MustCompile(`goscratch-stats llb_ready_ms=(-?\d+) vmhwm_kib=(-?\d+) cpu_ms=(\d+) answered_ms=(\d+)`)

// frontendStats is the frontend's self-measurement of one request.
type frontendStats struct{ cpuMS, memKiB, answeredMS int64 }

func statsOf(p *progress) (frontendStats, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.warnings {
		if m := statsRE.FindStringSubmatch(w); m != nil {
			mem, _ := strconv.ParseInt(m[2], 10, 64)
			cpu, _ := strconv.ParseInt(m[3], 10, 64)
			ans, _ := strconv.ParseInt(m[4], 10, 64)
			return frontendStats{cpuMS: cpu, memKiB: mem, answeredMS: ans}, true
		}
	}
	return frontendStats{}, false
}

// budget collects the cases' figures and checks each against the budget.
type budget struct {
	mu   sync.Mutex
	rows map[string]frontendStats
}

func newBudget() *budget { return &budget{rows: map[string]frontendStats{}} }

// check fails the case whose request went over the budget. A request
// refused before the spec was read (no stats) is not counted.
func (b *budget) check(t *testing.T, name string, p *progress) {
	t.Helper()
	st, ok := statsOf(p)
	if !ok {
		return
	}
	if st.cpuMS > budgetCPUms {
		t.Errorf("the frontend used %d ms of CPU on this request; the budget is %d ms", st.cpuMS, budgetCPUms)
	}
	if st.memKiB > budgetMemKiB {
		t.Errorf("the frontend's peak memory was %d KiB; the budget is %d KiB", st.memKiB, budgetMemKiB)
	}
	b.mu.Lock()
	b.rows[name] = st
	b.mu.Unlock()
}

// report logs the figures as the Markdown table docs/guarantees.md shows.
func (b *budget) report(t *testing.T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.rows) == 0 {
		t.Errorf("no request reported its cost: the budget was not checked")
		return
	}
	var sb strings.Builder
	sb.WriteString("| case | CPU ms | peak RSS MiB | answered in ms |\n|---|---:|---:|---:|\n")
	var maxCPU, maxMem int64
	for _, name := range sortedKeys(b.rows) {
		st := b.rows[name]
		maxCPU, maxMem = max(maxCPU, st.cpuMS), max(maxMem, st.memKiB)
		fmt.Fprintf(&sb, "| %s | %d | %.1f | %d |\n", name, st.cpuMS, float64(st.memKiB)/1024, st.answeredMS)
	}
	t.Logf("frontend cost of %d refused requests (max %d ms CPU, %.1f MiB):\n%s", len(b.rows), maxCPU, float64(maxMem)/1024, sb.String())
}
