// Package corpus makes sample text: words of a small vocabulary with a
// Zipf-like frequency, as in natural language.
package corpus

import (
	"math/rand/v2"
	"strings"
)

var vocabulary = strings.Fields(`the of and to a in is it you that he was for on are
with as I his they be at one have this from or had by hot word but what some we can
out other were all there when up use your how said an each she which do their time if
will way about many then them write would like so these her long make thing see him
two has look more day could go come did number sound no most people my over know water
than call first who may down side been now find any new work part take get place made`)

// Text is about n bytes of words, the same for the same seed.
func Text(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	z := rand.NewZipf(r, 1.2, 1, uint64(len(vocabulary)-1))
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(vocabulary[z.Uint64()])
		if r.IntN(12) == 0 {
			b.WriteString(". ")
		} else {
			b.WriteByte(' ')
		}
	}
	return []byte(b.String())
}
