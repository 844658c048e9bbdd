//go:build verbose

package main

func init() { verbose = true }
