// Command api is the api target of the multi-target example.
package main

import (
	"fmt"

	"example.com/multitarget/internal/shared"
)

func main() {
	fmt.Println(shared.Banner("api"))
}
