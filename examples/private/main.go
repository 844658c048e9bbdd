// Command private is the private-modules example: it depends on a module
// that only a proxy behind basic auth serves (in the integration suite, a
// test server on 127.0.0.1).
package main

import (
	"fmt"

	"goscratch.test/private/greeting"
)

func main() {
	fmt.Println(greeting.Hello())
}
