module example.com/acme/server/v3

go 1.26
