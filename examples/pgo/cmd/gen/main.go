// Command gen writes sample text for wordfreq: gen [BYTES] | wordfreq.
// It is built without a profile (its directory has no default.pgo).
package main

import (
	"fmt"
	"os"
	"strconv"

	"example.com/wordfreq/internal/corpus"
)

func main() {
	n := 1 << 20
	if len(os.Args) > 1 {
		v, err := strconv.Atoi(os.Args[1])
		if err != nil || v < 0 {
			fmt.Fprintf(os.Stderr, "usage: gen [BYTES]\n")
			os.Exit(2)
		}
		n = v
	}
	if _, err := os.Stdout.Write(corpus.Text(n, 1)); err != nil {
		os.Exit(1)
	}
}
