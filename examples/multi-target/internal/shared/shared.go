// Package shared is used by every binary of the multi-target example.
package shared

import "fmt"

// Version is set with -ldflags -X.
var Version = "dev"

// Banner names the program and the build.
func Banner(program string) string {
	return fmt.Sprintf("%s %s (multi-target example)", program, Version)
}
