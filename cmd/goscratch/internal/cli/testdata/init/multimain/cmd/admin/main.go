// Command admin manages accounts.
package main

func main() {}
