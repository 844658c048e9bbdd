// Command worker is the worker target of the multi-target example.
package main

import (
	"flag"
	"fmt"

	"example.com/multitarget/internal/shared"
)

func main() {
	once := flag.Bool("once", false, "run one job and exit")
	flag.Parse()
	fmt.Println(shared.Banner("worker"), "once="+fmt.Sprint(*once))
}
