package main

// verbose is set by verbose.go, which only the verbose build tag compiles.
var verbose = false
