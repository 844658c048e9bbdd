module example.com/acme/app

go 1.26
