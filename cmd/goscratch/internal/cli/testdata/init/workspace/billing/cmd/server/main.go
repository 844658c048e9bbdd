// Command server serves billing.
package main

func main() {}
