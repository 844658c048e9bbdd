// Command gen writes the API stubs.
package main

func main() {}
