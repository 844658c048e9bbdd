package spec

import (
	"regexp"
	"strconv"
)

// source is where a parsed spec came from: its file name and the position of
// every field, keyed by field path.
type source struct {
	file   string
	keys   map[string]Pos  // where a field is declared: its key, or the list item
	values map[string]Pos  // where a field's value starts
	bad    map[string]bool // fields whose value could not be decoded
}

func newSource(file string) *source {
	return &source{
		file:   file,
		keys:   map[string]Pos{},
		values: map[string]Pos{},
		bad:    map[string]bool{},
	}
}

// File is the spec's file name as given to Parse ("" for a spec built in Go).
func (s *Spec) File() string {
	if s.src == nil {
		return ""
	}
	return s.src.file
}

// Pos is where the field at path is declared: the key's position for a
// mapping entry, the item's position for a list item. Paths are written as in
// error messages: "main", "expose[1]", "files[0].src", "targets.api.main",
// `labels["org.opencontainers.image.source"]` (see FieldPath). The zero Pos
// means the path is unknown.
func (s *Spec) Pos(path string) Pos {
	if s.src == nil {
		return Pos{}
	}
	return s.src.keys[path]
}

// valuePos is where the value of the field at path starts, else its key.
func (s *Spec) valuePos(path string) Pos {
	if s.src == nil {
		return Pos{}
	}
	if p, ok := s.src.values[path]; ok {
		return p
	}
	return s.src.keys[path]
}

// isBad reports whether the field at path had a value that could not be decoded,
// so validation does not pile a second error on the first.
func (s *Spec) isBad(path string) bool {
	return s.src != nil && s.src.bad[path]
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// FieldPath joins path elements the way error messages and Spec.Pos write
// them: strings are mapping keys (quoted in brackets when they hold other
// characters than letters, digits, _ and -), ints are list indexes.
// FieldPath("targets", "api", "expose", 1) is "targets.api.expose[1]".
func FieldPath(elems ...any) string {
	path := ""
	for _, e := range elems {
		switch e := e.(type) {
		case int:
			path = joinIndex(path, e)
		case string:
			path = joinKey(path, e)
		}
	}
	return path
}

func joinKey(path, key string) string {
	switch {
	case !plainKey.MatchString(key):
		return path + "[" + strconv.Quote(key) + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}
