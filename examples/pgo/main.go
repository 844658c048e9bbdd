// Command wordfreq prints the most frequent words of its standard input
// (or, when that is a terminal or empty, of a sample text): the example of
// profile-guided optimisation. default.pgo, next to this file, is a CPU
// profile of the hot path (see README.md), and go build uses it by itself.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"example.com/wordfreq/internal/corpus"
	"example.com/wordfreq/internal/wordcount"
)

const banner = "most frequent words"

func main() {
	text, err := input()
	if err != nil {
		fmt.Fprintln(os.Stderr, "wordfreq:", err)
		os.Exit(1)
	}
	counts := wordcount.Counts{}
	wordcount.Count(text, wordcount.Letters{}, counts)
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, banner)
	for _, e := range wordcount.Top(counts, 10) {
		fmt.Fprintf(w, "%8d %s\n", e.Count, e.Word)
	}
	_ = w.Flush()
}

// input is standard input, or a sample text when there is none.
func input() ([]byte, error) {
	if st, err := os.Stdin.Stat(); err == nil && st.Mode()&os.ModeCharDevice == 0 {
		text, err := io.ReadAll(os.Stdin)
		if err != nil || len(text) > 0 {
			return text, err
		}
	}
	return corpus.Text(1<<20, 1), nil
}
