package frontend

import (
	"context"
	"testing"
)

func TestVmHWM(t *testing.T) {
	if kib := vmHWM(); kib <= 0 {
		t.Fatalf("vmHWM() = %d, want > 0 on linux", kib)
	}
}

func TestMarkSolveWithoutStats(t *testing.T) {
	markSolve(context.Background()) // must not panic without a recorder
	var s *stats
	s.report(context.Background(), nil) // nil recorder: no-op
}
