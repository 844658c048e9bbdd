package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/goscratch/goscratch/spec"
)

// schema is one JSON schema object; encoding/json sorts its keys, so the
// output is deterministic.
type schema = map[string]any

// SchemaID is where the published schema lives, for the yaml-language-server
// modeline.
const SchemaID = "https://raw.githubusercontent.com/goscratch/goscratch/main/spec/schema.json"

// generate returns the schema of the spec types, described by the doc
// comments in dir/types.go.
func generate(dir string) ([]byte, error) {
	docs, err := readDocs(dir)
	if err != nil {
		return nil, err
	}
	g := &generator{docs: docs}
	top := g.object(reflect.TypeFor[spec.Spec]())
	top["$schema"] = "http://json-schema.org/draft-07/schema#"
	top["$id"] = SchemaID
	top["title"] = "goscratch spec"
	top["patternProperties"] = schema{"^x-": schema{"description": "Ignored: a place for YAML anchors that targets reuse."}}
	top["allOf"] = append(top["allOf"].([]any), exclusive("builder", "go"))
	top["definitions"] = schema{
		"Target": g.object(reflect.TypeFor[spec.Target]()),
		"Binary": g.object(reflect.TypeFor[spec.Binary]()),
		"File":   g.object(reflect.TypeFor[spec.File]()),
		"Test":   g.object(reflect.TypeFor[spec.Test]()),
		"Secret": secretObject(g.object(reflect.TypeFor[spec.Secret]())),
	}
	if g.err != nil {
		return nil, g.err
	}
	dt, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(dt, '\n'), nil
}

// secretObject fixes a secret's env, a variable name, which the name-keyed
// forms would take for the image's env map.
func secretObject(s schema) schema {
	if props, ok := s["properties"].(schema); ok {
		if env, ok := props["env"].(schema); ok {
			props["env"] = nullable(withDescription(str(envName), env["description"]))
		}
	}
	return s
}

func withDescription(s schema, d any) schema {
	if d != nil {
		s["description"] = d
	}
	return s
}

type generator struct {
	docs map[string]typeDocs
	err  error
}

// object is the schema of a struct type: one property per yaml field
// (inline structs contribute theirs), none other allowed.
func (g *generator) object(t reflect.Type) schema {
	props := schema{}
	var required []any
	g.fields(t, props, &required)
	s := schema{
		"type":                 "object",
		"description":          g.docs[t.Name()].doc,
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		s["required"] = required
	}
	if _, ok := props["binaries"]; ok {
		s["allOf"] = []any{exclusive("main", "binaries")}
		s["dependencies"] = schema{"name": []any{"main"}}
	}
	return s
}

func (g *generator) fields(t reflect.Type, props schema, required *[]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case !f.IsExported():
			continue
		case opts == "inline":
			g.fields(f.Type, props, required)
			continue
		}
		form, err := formOf(name, f.Type)
		if err != nil {
			g.err = fmt.Errorf("%s.%s: %w", t.Name(), f.Name, err)
			return
		}
		form["description"] = g.docs[t.Name()].fields[f.Name]
		props[name] = form
		if !strings.Contains(f.Tag.Get("json"), "omitempty") {
			*required = append(*required, name)
		}
	}
}

// exclusive says that an object sets at most one of a and b.
func exclusive(a, b string) schema {
	return schema{"not": schema{"required": []any{a, b}}}
}
