package spec

import _ "embed"

//go:generate go run ./internal/schemagen -o schema.json

//go:embed schema.json
var schema []byte

// Schema is the JSON schema (draft-07) of the spec, generated from the
// commented types in types.go by internal/schemagen. Editors use it through
// the yaml-language-server modeline:
//
//	# yaml-language-server: $schema=https://raw.githubusercontent.com/goscratch/goscratch/main/spec/schema.json
//
// Parse remains the authority: the schema cannot express every rule.
func Schema() []byte {
	return append([]byte(nil), schema...)
}
