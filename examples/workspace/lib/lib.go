// Package lib is the second module of the workspace example; its
// dependency (golang.org/x/sync) is downloaded because go.work uses it.
package lib

import "golang.org/x/sync/errgroup"

// Squares computes n squares concurrently.
func Squares(n int) []int {
	out := make([]int, n)
	var g errgroup.Group
	for i := range out {
		g.Go(func() error { out[i] = i * i; return nil })
	}
	_ = g.Wait()
	return out
}
