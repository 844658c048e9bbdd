package spec

import "maps"

// form is a shape a field's YAML value takes: how the decoder reads it
// into a V, what the JSON schema says of it, and how a target's value goes
// over the top level's. Every row of the field table names its form.
type form[V any] struct {
	typ        string // Field.Type
	decode     func(*decoder, *node, string) V
	schema     func(Field) schema // a present value; null is allowed unless needsValue
	needsValue bool
	inherit    func(top, over V) V // nil: not inherited one field at a time
}

// The forms. Scalars are strings however written (`go: 1.26` is "1.26"),
// every list also takes a single value, and null means unset except where
// a value is needed.
var (
	// text is a string; null is unset, "" is an error.
	text = form[string]{typ: "string", decode: (*decoder).optional, schema: textSchema, inherit: overString}
	// neededText is a string that needs a value: main, src, dst, id.
	neededText = form[string]{typ: "string", decode: (*decoder).required, schema: textSchema, needsValue: true, inherit: overString}
	// anyText is a string that may be "" (ldflags: none); null is unset.
	anyText = form[*string]{typ: "string", decode: (*decoder).stringPtr, inherit: overPtr[string],
		schema: func(Field) schema { return str("") }}
	boolean = form[*bool]{typ: "boolean", decode: (*decoder).boolPtr, inherit: overPtr[bool],
		schema: func(Field) schema { return schema{"type": []any{"boolean"}} }}
	stringList = form[[]string]{typ: "list of strings", decode: (*decoder).list, inherit: overSlice[string],
		schema: func(f Field) schema { return list(str(f.Pattern), nil) }}
	// argList is entrypoint and cmd: a single string is one argument, so it
	// holds no space (no shell splits it).
	argList = form[[]string]{typ: "list of arguments", decode: (*decoder).argv, inherit: overSlice[string],
		schema: func(Field) schema { return list(str(""), str(`^[^ \t]*$`)) }}
	stringMap = form[map[string]string]{typ: "mapping of strings", decode: (*decoder).stringMap, inherit: mergeMaps,
		schema: func(f Field) schema { return mapping(f.Pattern, f.Reserved) }}
	portList = form[[]Port]{typ: "list of ports", decode: (*decoder).ports, inherit: overSlice[Port],
		schema: func(Field) schema { return list(portSchema(), nil) }}
	octalMode     = form[*uint32]{typ: "octal file mode", decode: (*decoder).mode, schema: func(Field) schema { return modeSchema() }}
	versionNumber = form[int]{typ: "integer", decode: (*decoder).version,
		schema: func(Field) schema { return schema{"enum": []any{1, "1"}} }}
	targetMap  = form[map[string]*Target]{typ: "mapping of targets", decode: (*decoder).targets, schema: targetsSchema}
	binaryList = form[[]Binary]{typ: "list of binaries", decode: (*decoder).binaries,
		schema: func(Field) schema { return shorthandList(objBinary, "main") }}
	fileList = form[[]File]{typ: "list of files", decode: (*decoder).files, inherit: overSlice[File],
		schema: func(Field) schema { return schema{"type": "array", "items": ref(objFile)} }}
	dirList = form[[]Dir]{typ: "list of directories", decode: (*decoder).dirs, inherit: overSlice[Dir],
		schema: func(Field) schema { return shorthandList(objDir, "path") }}
	healthObject = form[*Healthcheck]{typ: "health check", decode: (*decoder).healthcheck, inherit: overPtr[Healthcheck],
		schema: func(Field) schema { return ref(objHealthcheck) }}
	// duration is a Go duration with its unit: 30s, not 30 (which YAML
	// reads as a number).
	duration = form[string]{typ: "duration", decode: (*decoder).optional, inherit: overString,
		schema: func(f Field) schema { return schema{"type": []any{"string"}, "pattern": f.Pattern} }}
	// count is a whole number of at least 1: 3 or "3".
	count = form[*int]{typ: "integer", decode: (*decoder).count,
		schema: func(Field) schema { return countSchema() }}
	testObject = form[*Test]{typ: "test", decode: (*decoder).test, schema: func(Field) schema { return ref(objTest) }}
	secretList = form[[]Secret]{typ: "list of secrets", decode: (*decoder).secrets,
		schema: func(Field) schema { return shorthandList(objSecret, "id") }}
)

// How a target's value goes over the top level's: a field the target sets
// replaces the top level's, except the mappings, merged key by key.

func overString(top, over string) string {
	if over != "" {
		return over
	}
	return top
}

func overPtr[E any](top, over *E) *E {
	if over != nil {
		return over
	}
	return top
}

func overSlice[E any](top, over []E) []E {
	if over != nil {
		return over
	}
	return top
}

func mergeMaps(base, over map[string]string) map[string]string {
	if over == nil {
		return base
	}
	out := cloneMap(base)
	maps.Copy(out, over)
	return out
}
