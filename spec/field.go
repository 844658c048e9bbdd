package spec

import "slices"

// Field is one field of the spec as the field table (fields.go) declares
// it, the only place its name, type, default, allowed values and doc are
// written. The decoder, the defaults, the error hints, the JSON schema and
// the lint read them from there.
type Field struct {
	Name string // YAML key
	// Path is where the field is written, as in error messages but without
	// list indexes or target names: "zoneinfo", "files.owner", "test.packages".
	Path string
	Doc  string // what the field does: the schema's description, editors' hover text
	Type string // its YAML value: "string", "boolean", "list of strings", ...
	// Default is what the field means when it is not set: a string, a bool
	// or a []string; nil when there is none or it is derived (Doc says how).
	Default any
	// Enum lists the only values allowed; nil when any value that passes
	// the field's rules is.
	Enum []Choice
	// Pattern is a regular expression that the field's string values (list
	// items, mapping keys) match, for editors; validation applies the exact rules.
	Pattern string
	// Reserved are mapping keys the field refuses: goscratch sets them itself.
	Reserved []string
	Example  string   // the field written correctly; error hints quote it
	Aliases  []string // names people write for it; such an unknown field suggests this one
	Required bool     // its mapping must set it
	TopOnly  bool     // top level only, never per target

	schema     func(Field) schema // the JSON schema of a present value
	needsValue bool               // null is an error, not "unset"
}

// Choice is an allowed value of a field and what it does.
type Choice struct {
	Value string
	Doc   string // what the value does, as the rest of a sentence: "builds it into the binary"
}

// Fields lists every field of the table: the top level's own, then the
// fields of the top level and of every target, then those of binaries,
// files, test and secrets.
func Fields() []Field {
	var out []Field
	for _, o := range objects() {
		for _, f := range o.fields {
			f.Path = joinKey(o.holder, f.Name)
			f.TopOnly = o.name == objSpec
			f.Enum, f.Reserved, f.Aliases = slices.Clone(f.Enum), slices.Clone(f.Reserved), slices.Clone(f.Aliases)
			out = append(out, f)
		}
	}
	return out
}

// decl is a row of the field table: a field and how it is read into, and
// inherited by, the Go value T that holds it.
type decl[T any] struct {
	Field
	decode  func(d *decoder, n *node, path string, into *T)
	inherit func(out, over *T) // nil when the field is not inherited on its own
}

// declare is the row for a field of T whose value takes form f and is held
// at at(t).
func declare[T, V any](f form[V], fd Field, at func(*T) *V) decl[T] {
	fd.Type, fd.schema, fd.needsValue = f.typ, f.schema, f.needsValue
	row := decl[T]{Field: fd, decode: func(d *decoder, n *node, path string, into *T) {
		*at(into) = f.decode(d, n, path)
	}}
	if f.inherit != nil {
		row.inherit = func(out, over *T) { *at(out) = f.inherit(*at(out), *at(over)) }
	}
	return row
}

// together marks main, name and binaries: a target that sets one of them
// replaces all three (see inherit).
func together[T any](row decl[T]) decl[T] {
	row.inherit = nil
	return row
}

// bind gives the decoder the fields of table, decoding into obj.
func bind[T any](d *decoder, table []decl[T], obj *T) []field {
	out := make([]field, len(table))
	for i, row := range table {
		out[i] = field{row.Name, func(n *node, path string) { row.decode(d, n, path, obj) }}
	}
	return out
}

// fieldsOf are the fields of table.
func fieldsOf[T any](table []decl[T]) []Field {
	out := make([]Field, len(table))
	for i, row := range table {
		out[i] = row.Field
	}
	return out
}
