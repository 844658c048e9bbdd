// Command migrate runs the database migrations.
package main

func main() {}
