package spec

import (
	"slices"
	"strings"
)

// suggest returns the candidate nearest to word, or "" when none is near.
func suggest(word string, candidates []string, aliases map[string]string) string {
	w := strings.ToLower(word)
	if a, ok := aliases[w]; ok && slices.Contains(candidates, a) {
		return a
	}
	if len(w) > 64 {
		return ""
	}
	best, bestDist := "", 0
	for _, c := range candidates {
		d := distance(w, strings.ToLower(c))
		if d <= maxTypos(w, c) && (best == "" || d < bestDist) {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	for _, c := range candidates {
		if len(w) >= 4 && (strings.HasPrefix(c, w) || strings.HasPrefix(w, c)) {
			return c
		}
	}
	return ""
}

// maxTypos is how many edits still count as a typo for words this long.
func maxTypos(a, b string) int {
	switch n := max(len(a), len(b)); {
	case n <= 3:
		return 1
	case n <= 8:
		return 2
	}
	return 3
}

// distance is the optimal-string-alignment edit distance: insertions,
// deletions, substitutions and transpositions of adjacent runes.
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}
