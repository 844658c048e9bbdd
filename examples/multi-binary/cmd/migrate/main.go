// Command migrate is the second binary of the multi-binary example: it lists
// the migrations the spec copied into the image. Built with -tags verbose
// (its own tags) and its own ldflags.
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

var version = "dev"

const dir = "/usr/share/multibin/migrations"

func main() {
	files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
	if err != nil || len(files) == 0 {
		fmt.Println("migrate: FAIL no migrations in", dir, err)
		os.Exit(1)
	}
	fmt.Printf("migrate version=%s verbose=%v migrations=%d\n", version, verbose, len(files))
	if verbose {
		for _, f := range files {
			fmt.Println("  ", filepath.Base(f))
		}
	}
}
