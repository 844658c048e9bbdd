// Command schemagen writes spec/schema.json, the JSON schema of the goscratch
// spec, from the spec types: field names and structure by reflection, field
// descriptions from the doc comments in spec/types.go. The value forms the
// decoder accepts beyond plain JSON types (ports, octal modes, single values
// for lists, null for unset) are written by hand in forms.go.
//
//	go generate ./spec    # runs: go run ./internal/schemagen -o schema.json
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	dir := flag.String("dir", ".", "directory of the spec package (holds types.go)")
	out := flag.String("o", "schema.json", "output file")
	flag.Parse()
	dt, err := generate(*dir)
	if err == nil {
		err = os.WriteFile(*out, dt, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}
