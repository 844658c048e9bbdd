package spec_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/goscratch/goscratch/spec"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(spec.Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// yamlValue reads a spec the way an editor's YAML language server does, into
// JSON values.
func yamlValue(t *testing.T, dt []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(dt, &v); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSchemaAcceptsValidSpecs: every example spec and every valid golden
// case validates against the schema.
func TestSchemaAcceptsValidSpecs(t *testing.T) {
	s := compileSchema(t)
	examples, _ := filepath.Glob("../examples/*/goscratch.yaml")
	nested, _ := filepath.Glob("../examples/*/*/goscratch.yaml")
	cases, _ := filepath.Glob("testdata/*/spec.yaml")
	if len(examples) == 0 || len(cases) == 0 {
		t.Fatal("no examples or golden cases found")
	}
	self, _ := filepath.Glob("../goscratch.yaml") // goscratch builds itself
	for _, f := range slices.Concat(examples, nested, cases, self) {
		if strings.HasPrefix(filepath.Base(filepath.Dir(f)), "err-") {
			continue
		}
		dt, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := spec.Parse(f, dt); err != nil {
			t.Fatalf("%s: not a valid spec: %v", f, err)
		}
		if err := s.Validate(yamlValue(t, dt)); err != nil {
			t.Errorf("%s: valid spec rejected by the schema: %v", f, err)
		}
	}
}

// TestSchemaRejects: the schema catches the mistakes an editor should mark.
func TestSchemaRejects(t *testing.T) {
	s := compileSchema(t)
	for _, bad := range []string{
		"main: .\nusr: root\n",
		"main: .\nzoneinfo: yes\n",
		"main: .\nexpose: [http]\n",
		"main: .\nworkdir: srv\n",
		"main: .\nbinaries: [./cmd/a]\n",
		"go: 1.26\nbuilder: golang:1.26\nmain: .\n",
		"main: .\ngoenv: {GOARCH: arm64}\n",
		"main: .\nentrypoint: /app serve\n",
		"main: .\nfiles: [{src: a}]\n",
		"main: .\nfiles: [{src: a, dst: /a, mode: 0999}]\n",
		"main: .\ntargets: {Debug: {user: root}}\n",
		"main: .\ntargets: {debug: {platforms: [linux/amd64]}}\n",
		"main:\n",
		"version: 2\nmain: .\n",
		"main: .\nvolumes: [data]\n",
		"main: .\ndirs: [{mode: 0700}]\n",
		"main: .\ndirs: [{path: /data, mode: 0999}]\n",
		"main: .\nhealthcheck: {interval: 30s}\n",
		"main: .\nhealthcheck: {test: [app], interval: 30}\n",
		"main: .\nhealthcheck: {test: [app], retries: 0}\n",
		"main: .\nhealthcheck: {test: /app -health}\n",
		"main: .\nstopsignal: \"\"\n",
		"main: .\ncapabilities: [\"NET BIND\"]\n",
	} {
		if err := s.Validate(yamlValue(t, []byte(bad))); err == nil {
			t.Errorf("schema accepts %q", bad)
		}
		if _, err := spec.Parse("bad.yaml", []byte(bad)); err == nil {
			t.Errorf("spec.Parse accepts %q: the case is not bad", bad)
		}
	}
}
