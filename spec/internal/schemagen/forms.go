package main

import (
	"fmt"
	"reflect"

	"github.com/goscratch/goscratch/spec"
)

// The value forms the spec decoder accepts, written by hand where plain JSON
// types say too little. They follow spec/decode.go and spec/rules.go:
// scalars are strings however written (`go: 1.26` is "1.26"), every list
// also takes a single value, and null (or an empty value) means unset except
// for main, src and dst.

var (
	// scalar is a string field: numbers and booleans count as written.
	scalar = []any{"string", "number", "boolean"}

	envName    = `^[A-Za-z_][A-Za-z0-9_]*$`
	absolute   = `^/`
	relative   = `^[^/\\]`
	goVersion  = `^1\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?((rc|beta)[1-9][0-9]*)?$`
	targetName = `^[a-z0-9][a-z0-9_.-]*$`

	// platformGoenv are goenv names goscratch sets itself (spec/rules.go).
	platformGoenv = []any{"GOOS", "GOARCH", "GOARM", "GOARM64", "GOAMD64", "GO386", "GOMIPS", "GOMIPS64",
		"GOPPC64", "GORISCV64", "GOWASM", "GOCACHE", "GOMODCACHE"}
)

// needValue are the fields for which null is an error, not "unset".
var needValue = map[string]bool{"main": true, "src": true, "dst": true}

// formOf is the schema of the value of yaml field name of Go type t.
func formOf(name string, t reflect.Type) (schema, error) {
	s, err := baseForm(name, t)
	if err != nil || needValue[name] {
		return s, err
	}
	return nullable(s), nil
}

func baseForm(name string, t reflect.Type) (schema, error) {
	if s, ok := byName(name); ok {
		return s, nil
	}
	switch t {
	case reflect.TypeFor[string](), reflect.TypeFor[*string]():
		s := str("")
		if name != "ldflags" {
			s["minLength"] = 1
		}
		return s, nil
	case reflect.TypeFor[*bool]():
		return schema{"type": []any{"boolean"}}, nil
	case reflect.TypeFor[[]string]():
		return list(str(""), str("")), nil
	case reflect.TypeFor[map[string]string]():
		return stringMap(""), nil
	case reflect.TypeFor[[]spec.Binary]():
		return schema{"type": "array", "items": schema{"oneOf": []any{
			schema{"type": scalar, "minLength": 1, "description": "Short for {main: ...}."},
			schema{"$ref": "#/definitions/Binary"},
		}}}, nil
	case reflect.TypeFor[[]spec.File]():
		return schema{"type": "array", "items": schema{"$ref": "#/definitions/File"}}, nil
	case reflect.TypeFor[*spec.Test]():
		return schema{"$ref": "#/definitions/Test"}, nil
	case reflect.TypeFor[[]spec.Secret]():
		return schema{"type": "array", "items": schema{"oneOf": []any{
			schema{"type": scalar, "minLength": 1, "description": "Short for {id: ...}."},
			schema{"$ref": "#/definitions/Secret"},
		}}}, nil
	}
	return nil, fmt.Errorf("no schema form for %s: add one to forms.go", t)
}

// byName are the forms of fields whose values have rules of their own.
func byName(name string) (schema, bool) {
	switch name {
	case "version":
		return schema{"enum": []any{1, "1"}}, true
	case "go":
		return str(goVersion), true
	case "module", "src":
		return str(relative), true
	case "workdir", "dst":
		return str(absolute), true
	case "main":
		return str(relative), true
	case "name":
		return str(`^[^/]+$`), true
	case "platforms":
		return list(str(`^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9.]+)?$`), nil), true
	case "tags":
		return list(str(`^[A-Za-z0-9_.-]+$`), nil), true
	case "goflags":
		return list(str(`^-`), nil), true
	case "entrypoint", "cmd":
		// a single string is one argument: no shell splits it
		return list(str(""), str(`^[^ \t]*$`)), true
	case "goenv":
		return stringMap(envName, platformGoenv...), true
	case "env":
		return stringMap(envName), true
	case "user":
		return str(`^(root|nonroot|[0-9]+(:[0-9]+)?)$`), true
	case "owner":
		return str(`^[0-9]+:[0-9]+$`), true
	case "zoneinfo":
		return schema{"enum": []any{"copy", "embed", "off"}}, true
	case "expose":
		port := schema{"oneOf": []any{
			schema{"type": "integer", "minimum": 1, "maximum": 65535},
			schema{"type": "string", "pattern": `^[0-9]+(/([tT][cC][pP]|[uU][dD][pP]|[sS][cC][tT][pP]))?$`},
		}}
		return list(port, nil), true
	case "mode":
		// octal however written: 0644, 644, 0o644, "0644"
		return schema{"oneOf": []any{
			schema{"type": "integer", "minimum": 0, "maximum": 7777},
			schema{"type": "string", "pattern": `^(0[oO])?[0-7]{1,5}$`},
		}}, true
	case "targets":
		return schema{
			"type":                 "object",
			"propertyNames":        schema{"pattern": targetName},
			"additionalProperties": nullable(schema{"$ref": "#/definitions/Target"}),
		}, true
	}
	return nil, false
}

// str is a scalar field, with a pattern for its string form.
func str(pattern string) schema {
	s := schema{"type": scalar}
	if pattern != "" {
		s["pattern"] = pattern
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

// stringMap is a mapping of names to scalars; forbidden names are refused.
func stringMap(namePattern string, forbidden ...any) schema {
	s := schema{"type": "object", "additionalProperties": schema{"type": scalar}}
	names := schema{}
	if namePattern != "" {
		names["pattern"] = namePattern
	}
	if len(forbidden) > 0 {
		names["not"] = schema{"enum": forbidden}
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
