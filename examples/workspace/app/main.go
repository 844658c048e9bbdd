// Command app is the main module of the workspace example: it imports
// example.com/ws/lib, which only the go.work above it provides.
package main

import (
	"fmt"

	"example.com/ws/lib"
)

func main() {
	fmt.Println("workspace squares:", lib.Squares(4))
}
