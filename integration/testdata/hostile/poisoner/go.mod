module example.com/poisoner

go 1.26.8

require golang.org/x/sync v0.19.0
