package spec

import (
	"encoding/json"
	"slices"
)

//go:generate go test -run ^TestSchemaFile$ -update .

// SchemaURL is where the JSON schema is published (spec/schema.json on
// main): its $id, and what the yaml-language-server modeline names.
const SchemaURL = "https://raw.githubusercontent.com/goscratch/goscratch/main/spec/schema.json"

// Schema is the JSON schema (draft-07) of the spec, generated from the field
// table (fields.go); spec/schema.json is a copy, checked by a test. Editors
// use it through the yaml-language-server modeline:
//
//	# yaml-language-server: $schema=https://raw.githubusercontent.com/goscratch/goscratch/main/spec/schema.json
//
// Parse remains the authority: the schema cannot express every rule.
func Schema() []byte {
	objs := objects()
	top, target := objs[0], objs[1]
	top.fields = slices.Concat(top.fields, target.fields)
	top.exclusive = slices.Concat(target.exclusive, top.exclusive)
	top.needs = target.needs
	s := objectSchema(top)
	s["$schema"] = "http://json-schema.org/draft-07/schema#"
	s["$id"] = SchemaURL
	s["title"] = "goscratch spec"
	s["patternProperties"] = schema{"^" + extensionPrefix: schema{"description": "Ignored: a place for YAML anchors that targets reuse."}}
	defs := schema{}
	for _, o := range objs[1:] {
		defs[o.name] = objectSchema(o)
	}
	s["definitions"] = defs
	dt, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("spec: the schema does not marshal: " + err.Error()) // only maps, slices, strings, numbers and bools
	}
	return append(dt, '\n')
}

// schema is one JSON schema object; encoding/json sorts its keys, so the
// output is deterministic.
type schema = map[string]any

// objectSchema is a mapping with the fields of o and no others.
func objectSchema(o object) schema {
	props := schema{}
	var required []any
	for _, f := range o.fields {
		props[f.Name] = fieldSchema(f)
		if f.Required {
			required = append(required, f.Name)
		}
	}
	s := schema{
		"type":                 "object",
		"description":          o.doc,
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		s["required"] = required
	}
	var allOf []any
	for _, pair := range o.exclusive {
		allOf = append(allOf, schema{"not": schema{"required": []any{pair[0], pair[1]}}})
	}
	if len(allOf) > 0 {
		s["allOf"] = allOf
	}
	if len(o.needs) > 0 {
		deps := schema{}
		for f, needed := range o.needs {
			deps[f] = []any{needed}
		}
		s["dependencies"] = deps
	}
	return s
}

// fieldSchema is the schema of f's value with its doc and default.
func fieldSchema(f Field) schema {
	s := f.schema(f)
	if !f.needsValue {
		s = nullable(s)
	}
	s["description"] = f.Doc
	if f.Default != nil {
		s["default"] = f.Default
	}
	return s
}
