// Command goscratch is the goscratch CLI: validate a spec, print its LLB,
// eject it to a Dockerfile, print the JSON schema, or write a starter spec.
// It uses the same packages as the frontend, so it reports the same errors.
// Run `goscratch help` for the commands and exit codes.
package main

import (
	"os"

	"github.com/goscratch/goscratch/cmd/goscratch/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
