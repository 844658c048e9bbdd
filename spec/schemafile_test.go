package spec_test

import (
	"testing"

	"github.com/goscratch/goscratch/internal/golden"
	"github.com/goscratch/goscratch/spec"
)

// TestSchemaFile: spec/schema.json, the published schema, is what the field
// table generates. `go generate ./spec` (or this test with -update) rewrites it.
func TestSchemaFile(t *testing.T) {
	golden.Check(t, "schema.json", string(spec.Schema()))
}
