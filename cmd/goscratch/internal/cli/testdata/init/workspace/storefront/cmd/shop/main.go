// Command shop serves the storefront.
package main

func main() {}
