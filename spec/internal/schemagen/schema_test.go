package main

import (
	"bytes"
	"os"
	"testing"
)

// TestSchemaUpToDate fails when spec/schema.json is not what the spec types
// generate: run `go generate ./spec`.
func TestSchemaUpToDate(t *testing.T) {
	got, err := generate("../..")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("spec/schema.json is stale: run `go generate ./spec` and commit it")
	}
}

func TestEveryFieldDescribed(t *testing.T) {
	docs, err := readDocs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for typ, td := range docs {
		if td.doc == "" {
			t.Errorf("type %s has no doc comment", typ)
		}
		for f, d := range td.fields {
			if d == "" {
				t.Errorf("%s.%s has no doc comment: the schema would have no description", typ, f)
			}
		}
	}
}
