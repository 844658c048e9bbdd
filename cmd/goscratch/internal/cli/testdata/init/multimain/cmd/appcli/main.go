// Command appcli talks to the server.
package main

func main() {}
