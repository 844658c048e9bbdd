module example.com/acme/shop/api

go 1.26
