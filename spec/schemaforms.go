package spec

// Building blocks of the JSON schema: the value forms (form.go) describe
// themselves with these.

// scalar is a string field: numbers and booleans count as written.
var scalar = []any{"string", "number", "boolean"}

// str is a scalar, with a pattern for its string form.
func str(pattern string) schema {
	s := schema{"type": scalar}
	if pattern != "" {
		s["pattern"] = pattern
	}
	return s
}

// textSchema is a string field: one of its Enum, or matching its Pattern,
// or at least not empty.
func textSchema(f Field) schema {
	if f.Enum != nil {
		values := make([]any, len(f.Enum))
		for i, c := range f.Enum {
			values[i] = c.Value
		}
		return schema{"enum": values}
	}
	s := str(f.Pattern)
	if f.Pattern == "" {
		s["minLength"] = 1
	}
	return s
}

// list is a list of items that also takes one value (single, default item).
func list(item, single schema) schema {
	if single == nil {
		single = item
	}
	return schema{"anyOf": []any{schema{"type": "array", "items": item}, single}}
}

// mapping is a mapping of names to scalars; reserved names are refused.
func mapping(namePattern string, reserved []string) schema {
	s := schema{"type": "object", "additionalProperties": schema{"type": scalar}}
	names := schema{}
	if namePattern != "" {
		names["pattern"] = namePattern
	}
	if len(reserved) > 0 {
		enum := make([]any, len(reserved))
		for i, r := range reserved {
			enum[i] = r
		}
		names["not"] = schema{"enum": enum}
	}
	if len(names) > 0 {
		s["propertyNames"] = names
	}
	return s
}

// nullable also accepts null (an unset field).
func nullable(s schema) schema {
	if types, ok := s["type"].([]any); ok {
		s["type"] = append(append([]any{}, types...), "null")
		return s
	}
	if e, ok := s["enum"].([]any); ok {
		s["enum"] = append(e, nil)
		return s
	}
	return schema{"anyOf": []any{schema{"type": "null"}, s}}
}

// ref is a value of one of the spec's objects.
func ref(object string) schema {
	return schema{"$ref": "#/definitions/" + object}
}

// shorthandList is a list of objects where a plain string item stands for
// the object with only that field set (binaries: {main: item}).
func shorthandList(object, field string) schema {
	short := schema{"type": scalar, "minLength": 1, "description": "Short for {" + field + ": ...}."}
	return schema{"type": "array", "items": schema{"oneOf": []any{short, ref(object)}}}
}

func targetsSchema(Field) schema {
	return schema{
		"type":                 "object",
		"propertyNames":        schema{"pattern": targetNamePattern},
		"additionalProperties": nullable(ref(objTarget)),
	}
}

// portSchema is an expose item: 8080, "8080/tcp", "53/udp", "9/sctp".
func portSchema() schema {
	return schema{"oneOf": []any{
		schema{"type": "integer", "minimum": 1, "maximum": 65535},
		schema{"type": "string", "pattern": `^[0-9]+(/([tT][cC][pP]|[uU][dD][pP]|[sS][cC][tT][pP]))?$`},
	}}
}

// modeSchema is a file mode, octal however written: 0644, 644, 0o644, "0644".
func modeSchema() schema {
	return schema{"oneOf": []any{
		schema{"type": "integer", "minimum": 0, "maximum": 7777},
		schema{"type": "string", "pattern": `^(0[oO])?[0-7]{1,5}$`},
	}}
}

// countSchema is a whole number of at least 1, however written: 3, "3".
func countSchema() schema {
	return schema{"oneOf": []any{
		schema{"type": "integer", "minimum": 1},
		schema{"type": "string", "pattern": `^[1-9][0-9]*$`},
	}}
}
