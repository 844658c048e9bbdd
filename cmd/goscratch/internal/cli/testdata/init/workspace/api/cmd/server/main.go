// Command server serves the public API.
package main

func main() {}
