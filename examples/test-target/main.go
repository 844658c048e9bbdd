// Command testtarget is the image of the test-target example.
package main

import (
	"fmt"

	"example.com/testtarget/calc"
)

func main() {
	fmt.Println("sum:", calc.Sum(1, 2, 3))
}
