module github.com/acme/apiserver/v2

go 1.25.0

toolchain go1.26.8
