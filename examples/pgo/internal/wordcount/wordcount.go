// Package wordcount counts the words of a text: wordfreq's hot path.
package wordcount

import (
	"cmp"
	"slices"
)

// Splitter cuts the next word off a text. The call in Count is the hottest
// of the program, and an interface call: with the profile, go build
// devirtualizes it (the profile says the Splitter is always Letters) and
// inlines Letters.Next into the loop.
type Splitter interface {
	Next(text []byte) (word, rest []byte)
}

// Letters splits on anything that is not an ASCII letter and folds case.
type Letters struct{}

// Next returns the next word of text, lower-cased in place, and what
// follows it.
func (Letters) Next(text []byte) (word, rest []byte) {
	i := 0
	for i < len(text) && !isLetter(text[i]) {
		i++
	}
	j := i
	for j < len(text) && isLetter(text[j]) {
		text[j] |= 0x20 // ASCII lower case
		j++
	}
	return text[i:j], text[j:]
}

func isLetter(c byte) bool {
	c |= 0x20
	return 'a' <= c && c <= 'z'
}

// Counts are words and how often each occurs.
type Counts map[string]*int

// Count adds the words of text, as sp splits them, to counts.
func Count(text []byte, sp Splitter, counts Counts) {
	for len(text) > 0 {
		var w []byte
		w, text = sp.Next(text)
		if len(w) == 0 {
			continue
		}
		if n, ok := counts[string(w)]; ok { // no allocation: only a new word makes a string
			*n++
		} else {
			counts[string(w)] = new(1)
		}
	}
}

// Entry is a word and how often it occurs.
type Entry struct {
	Word  string
	Count int
}

// Top returns the n most frequent words, the most frequent first (ties in
// alphabetical order).
func Top(counts Counts, n int) []Entry {
	out := make([]Entry, 0, len(counts))
	for w, c := range counts {
		out = append(out, Entry{w, *c})
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Word, b.Word))
	})
	return out[:min(n, len(out))]
}
