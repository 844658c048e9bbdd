// Command poisoner is a hostile project for goscratch's shared-builder
// tests: it depends on the same module as examples/hello, and its test and
// its -toolexec wrapper try to change other builds' results through every
// cache they can reach.
package main

import "golang.org/x/sync/errgroup"

func main() {
	var g errgroup.Group
	g.Go(func() error { return nil })
	_ = g.Wait()
}
