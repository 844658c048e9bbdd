package spec

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a 1-based line and column in the spec file. The zero Pos means unknown.
type Pos struct {
	Line   int
	Column int
}

func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Column) }

// Error is one problem in a spec, at a position, with a hint on what to do.
type Error struct {
	File string // spec file name as given with -f, e.g. goscratch.yaml
	Pos  Pos
	Path string // field path, e.g. expose[1], targets.api.main
	Msg  string
	Hint string // what to do; may be empty
	Err  error  // underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Pos.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Pos.Line, e.Pos.Column)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorList is every problem found in a spec, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find each *Error.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// problem is a broken rule without a position: what is wrong and what to do.
// Rule functions return it; the parser and validator place it in the file.
type problem struct {
	msg  string
	hint string
}

func (p *problem) Error() string {
	if p.hint == "" {
		return p.msg
	}
	return p.msg + " (" + p.hint + ")"
}

func newProblem(hint, format string, args ...any) *problem {
	return &problem{msg: fmt.Sprintf(format, args...), hint: hint}
}

// errSink collects errors for one spec file.
type errSink struct {
	file string
	list ErrorList
}

func (s *errSink) add(pos Pos, path, msg, hint string) {
	s.list = append(s.list, &Error{File: s.file, Pos: pos, Path: shorten(path), Msg: shorten(msg), Hint: hint})
}

// shorten keeps messages that quote a huge value readable.
func shorten(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// addErr places err at pos; a *problem keeps its hint separate.
func (s *errSink) addErr(pos Pos, path string, err error) {
	var p *problem
	if errors.As(err, &p) {
		s.add(pos, path, p.msg, p.hint)
		return
	}
	s.list = append(s.list, &Error{File: s.file, Pos: pos, Path: path, Msg: err.Error(), Err: err})
}

// maxErrors is how many errors are reported; the rest are counted.
const maxErrors = 50

// result returns the collected errors in file order, or nil.
func (s *errSink) result() error {
	if len(s.list) == 0 {
		return nil
	}
	sort.SliceStable(s.list, func(i, j int) bool { return s.list[i].Pos.before(s.list[j].Pos) })
	if n := len(s.list) - maxErrors; n > 0 {
		more := &Error{File: s.file, Pos: s.list[maxErrors].Pos, Msg: fmt.Sprintf("%d more errors not shown", n)}
		s.list = append(s.list[:maxErrors], more)
	}
	return s.list
}

// before orders positions by line then column; unknown positions sort last.
func (p Pos) before(q Pos) bool {
	switch {
	case p.Line == 0 || q.Line == 0:
		return p.Line != 0 && q.Line == 0
	case p.Line != q.Line:
		return p.Line < q.Line
	}
	return p.Column < q.Column
}
