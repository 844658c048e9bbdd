package spec

import (
	"fmt"
	"strings"
)

// decoder walks the node tree into the typed spec, recording every field's
// position and reporting type errors. Value rules live in validate.go.
type decoder struct {
	errs *errSink
	src  *source
}

// field is one known key of a mapping and how to decode its value.
type field struct {
	name   string
	decode func(n *node, path string)
}

// object decodes a mapping with known fields; unknown reports an unknown key.
func (d *decoder) object(n *node, path string, fields []field, unknown func(e entry, path string)) {
	if n.kind != mapKind {
		d.wrongType(n, path, "a mapping")
		return
	}
	for _, e := range n.entries {
		p := joinKey(path, e.key)
		f := findField(fields, e.key)
		if f == nil {
			unknown(e, p)
			continue
		}
		d.src.keys[p] = e.keyPos
		d.src.values[p] = e.value.pos
		f.decode(e.value, p)
	}
}

func findField(fields []field, name string) *field {
	for i := range fields {
		if fields[i].name == name {
			return &fields[i]
		}
	}
	return nil
}

func fieldNames(fields []field) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return names
}

// unknownField reports key e, suggesting a near name or listing valid ones.
func (d *decoder) unknownField(e entry, path string, valid []string) {
	hint := "valid fields: " + strings.Join(valid, ", ")
	if s := suggest(e.key, valid, fieldAliases); s != "" {
		hint = "did you mean " + s + "?"
	}
	d.errs.add(e.keyPos, path, fmt.Sprintf("unknown field %q", e.key), hint)
}

func (d *decoder) fail(n *node, path, msg, hint string) {
	d.errs.add(n.pos, path, msg, hint)
	d.src.bad[path] = true
}

func (d *decoder) wrongType(n *node, path, want string) {
	d.fail(n, path, fmt.Sprintf("expected %s, got %s", want, describe(n)), exampleOf(path))
}

// describe names a node's type for "expected X, got Y".
func describe(n *node) string {
	switch n.kind {
	case nullKind:
		return "null"
	case mapKind:
		return "a mapping"
	case seqKind:
		return "a list"
	case intKind:
		return "an integer (" + n.text + ")"
	}
	return fmt.Sprintf("a %s (%s)", kindName(n.kind), n.text)
}

// scalar returns a scalar's text. Numbers and booleans count as strings
// written as in the file: `go: 1.20` is "1.20". Null is absent, not an error.
func (d *decoder) scalar(n *node, path string) (string, bool) {
	switch {
	case n.kind == nullKind:
		return "", false
	case n.isScalar():
		if !d.oneLine(n, path) {
			return "", false
		}
		return n.text, true
	}
	d.wrongType(n, path, "a string")
	return "", false
}

// optional decodes a string field that is absent when null and must not be empty.
func (d *decoder) optional(n *node, path string) string {
	s, ok := d.scalar(n, path)
	if ok && s == "" {
		d.fail(n, path, "must not be empty", strings.TrimSuffix("remove the field to use the default, "+exampleOf(path), ", "))
	}
	return s
}

// required decodes a string field that must have a non-empty value.
func (d *decoder) required(n *node, path string) string {
	if n.kind == nullKind {
		d.fail(n, path, "needs a value", exampleOf(path))
		return ""
	}
	s, ok := d.scalar(n, path)
	if ok && s == "" {
		d.fail(n, path, "must not be empty", exampleOf(path))
	}
	return s
}

// stringPtr decodes a string field where "" is meaningful and null is absent.
func (d *decoder) stringPtr(n *node, path string) *string {
	if s, ok := d.scalar(n, path); ok {
		return &s
	}
	return nil
}

func (d *decoder) boolPtr(n *node, path string) *bool {
	switch n.kind {
	case nullKind:
		return nil
	case boolKind:
		b := n.boolVal
		return &b
	}
	d.wrongType(n, path, "true or false")
	return nil
}

// list decodes a list of strings; a single scalar is a one-element list.
// The result is nil when absent, non-nil (maybe empty) when set.
func (d *decoder) list(n *node, path string) []string {
	switch {
	case n.kind == nullKind:
		return nil
	case n.isScalar():
		if s, ok := d.scalar(n, path); ok {
			return []string{s}
		}
		return nil
	case n.kind != seqKind:
		d.wrongType(n, path, "a list")
		return nil
	}
	out := make([]string, 0, len(n.items))
	for i, item := range n.items {
		p := joinIndex(path, i)
		d.src.keys[p], d.src.values[p] = item.pos, item.pos
		if item.kind == nullKind {
			d.fail(item, p, "empty list item", "remove it or give it a value")
			continue
		}
		if s, ok := d.scalar(item, p); ok {
			out = append(out, s)
		}
	}
	return out
}

// items calls fn for each item of a list field (null is absent).
func (d *decoder) items(n *node, path string, fn func(item *node, path string)) bool {
	switch n.kind {
	case nullKind:
		return false
	case seqKind:
	default:
		d.wrongType(n, path, "a list")
		return false
	}
	for i, item := range n.items {
		p := joinIndex(path, i)
		d.src.keys[p], d.src.values[p] = item.pos, item.pos
		fn(item, p)
	}
	return true
}

// stringMap decodes a mapping of strings; scalar values count as strings.
func (d *decoder) stringMap(n *node, path string) map[string]string {
	switch n.kind {
	case nullKind:
		return nil
	case mapKind:
	default:
		d.wrongType(n, path, "a mapping")
		return nil
	}
	out := make(map[string]string, len(n.entries))
	for _, e := range n.entries {
		p := joinKey(path, e.key)
		d.src.keys[p], d.src.values[p] = e.keyPos, e.value.pos
		if !d.oneLineKey(e, p) {
			continue
		}
		if e.value.kind == nullKind {
			d.fail(e.value, p, "needs a value", `write "" for an empty value`)
			continue
		}
		if s, ok := d.scalar(e.value, p); ok {
			out[e.key] = s
		}
	}
	return out
}

// has reports whether mapping n sets key.
func has(n *node, key string) bool {
	_, ok := n.lookup(key)
	return ok
}
