package spec

import (
	"fmt"
	"strconv"
	"strings"
)

func (d *decoder) spec(root *node, s *Spec) {
	if root.kind != mapKind {
		d.fail(root, "", fmt.Sprintf("the spec must be a mapping of fields, got %s", describe(root)), "e.g. main: ./cmd/server")
		return
	}
	d.src.values[""] = root.pos
	fields := append(bind(d, specTable, s), bind(d, targetTable, &s.Target)...)
	valid := fieldNames(fields)
	d.object(root, "", fields, func(e entry, p string) {
		if !strings.HasPrefix(e.key, extensionPrefix) {
			d.unknownField(e, p, valid)
		}
	})
}

func (d *decoder) version(n *node, path string) int {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || v == 0 {
		d.fail(n, path, fmt.Sprintf("unsupported spec version %q", s), "the only version is 1")
		return 0
	}
	return v
}

// targets decodes the named targets; a null target is an empty one.
func (d *decoder) targets(n *node, path string) map[string]*Target {
	switch n.kind {
	case nullKind:
		return nil
	case mapKind:
	default:
		d.wrongType(n, path, "a mapping of target names to targets")
		return nil
	}
	out := make(map[string]*Target, len(n.entries))
	for _, e := range n.entries {
		p := joinKey(path, e.key)
		d.src.keys[p], d.src.values[p] = e.keyPos, e.value.pos
		t := &Target{}
		out[e.key] = t
		if e.value.kind != nullKind {
			d.target(e.value, p, t)
		}
	}
	return out
}

func (d *decoder) target(n *node, path string, t *Target) {
	fields := bind(d, targetTable, t)
	valid := fieldNames(fields)
	d.object(n, path, fields, func(e entry, p string) {
		for _, top := range topOnly {
			if e.key == top {
				d.errs.add(e.keyPos, p, fmt.Sprintf("%s cannot be set per target", e.key), "move it to the top level")
				return
			}
		}
		d.unknownField(e, p, valid)
	})
}

// binaries decodes the binaries list; a string item is short for {main: item}.
func (d *decoder) binaries(n *node, path string) []Binary {
	out := []Binary{}
	if !d.items(n, path, func(item *node, p string) {
		out = append(out, d.binary(item, p))
	}) {
		return nil
	}
	return out
}

func (d *decoder) binary(n *node, path string) Binary {
	var b Binary
	if n.kind != mapKind {
		main := joinKey(path, "main")
		d.src.keys[main], d.src.values[main] = n.pos, n.pos
		b.Main = d.required(n, main)
		return b
	}
	nested(d, n, path, binaryTable, &b)
	return b
}

// nested decodes mapping n into obj with the fields of table: an unknown
// key or a missing required field is an error.
func nested[T any](d *decoder, n *node, path string, table []decl[T], obj *T) {
	fields := bind(d, table, obj)
	valid := fieldNames(fields)
	d.object(n, path, fields, func(e entry, p string) { d.unknownField(e, p, valid) })
	if n.kind != mapKind {
		return
	}
	for _, row := range table {
		if row.Required && !has(n, row.Name) {
			d.fail(n, path, row.Name+" is missing", exampleOf(joinKey(path, row.Name)))
		}
	}
}

func (d *decoder) files(n *node, path string) []File {
	out := []File{}
	if !d.items(n, path, func(item *node, p string) {
		out = append(out, d.file(item, p))
	}) {
		return nil
	}
	return out
}

func (d *decoder) file(n *node, path string) File {
	var f File
	nested(d, n, path, fileTable, &f)
	return f
}

// argv decodes entrypoint and cmd. A single string is one argument, so one
// with spaces is refused: scratch images have no shell to split it.
func (d *decoder) argv(n *node, path string) []string {
	if n.isScalar() && strings.ContainsAny(n.text, " \t") {
		d.fail(n, path, "a single string is one argument and there is no shell to split it",
			"write a list: "+strings.Join([]string{"[", strings.Join(strings.Fields(n.text), ", "), "]"}, ""))
		return nil
	}
	return d.list(n, path)
}

// ports decodes expose: integers or "N", "N/tcp", "N/udp", "N/sctp".
func (d *decoder) ports(n *node, path string) []Port {
	if n.isScalar() {
		n = &node{kind: seqKind, pos: n.pos, items: []*node{n}}
	}
	out := []Port{}
	if !d.items(n, path, func(item *node, p string) {
		if item.kind != intKind && item.kind != stringKind {
			d.wrongType(item, p, "a port like 8080 or 53/udp")
			return
		}
		port, prob := parsePort(item.text)
		if prob != nil {
			d.fail(item, p, prob.msg, prob.hint)
			return
		}
		out = append(out, port)
	}) {
		return nil
	}
	return out
}

// mode decodes a file mode, always read as octal: 0644, 644, 0o644, "0644".
func (d *decoder) mode(n *node, path string) *uint32 {
	if n.kind == nullKind {
		return nil
	}
	if n.kind != intKind && n.kind != stringKind {
		d.wrongType(n, path, "an octal file mode")
		return nil
	}
	m, p := parseMode(n.text)
	if p != nil {
		d.fail(n, path, p.msg, p.hint)
		return nil
	}
	return &m
}

func parseMode(s string) (uint32, *problem) {
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "0o"), "0O")
	if digits == "" || strings.Trim(digits, "01234567") != "" {
		return 0, newProblem("write it in octal, e.g. 0644 or 0755", "mode %q is not an octal number", s)
	}
	m, err := strconv.ParseUint(digits, 8, 32)
	if err != nil {
		return 0, newProblem("", "mode %s is more than 07777", s)
	}
	return uint32(m), nil
}
