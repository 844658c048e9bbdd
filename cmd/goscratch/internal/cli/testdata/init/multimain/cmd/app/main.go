// Command app is the server.
package main

func main() {}
