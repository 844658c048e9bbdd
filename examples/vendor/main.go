// Command vendored is the vendor example: its dependency is in vendor/, so
// goscratch builds with -mod=vendor and has no download step (the spec even
// turns the module proxy off).
package main

import (
	"fmt"

	"golang.org/x/sync/errgroup"
)

func main() {
	var g errgroup.Group
	results := make([]int, 3)
	for i := range results {
		g.Go(func() error { results[i] = (i + 1) * 10; return nil })
	}
	if err := g.Wait(); err != nil {
		panic(err)
	}
	fmt.Println("vendored errgroup:", results)
}
