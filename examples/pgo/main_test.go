package main

import (
	"testing"

	"example.com/wordfreq/internal/corpus"
	"example.com/wordfreq/internal/wordcount"
)

// BenchmarkCount runs wordfreq's hot path; its CPU profile is default.pgo
// (see README.md).
func BenchmarkCount(b *testing.B) {
	text := corpus.Text(1<<20, 1)
	buf := make([]byte, len(text))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		copy(buf, text)
		counts := wordcount.Counts{}
		wordcount.Count(buf, wordcount.Letters{}, counts)
		wordcount.Top(counts, 10)
	}
}
