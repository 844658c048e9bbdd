module example.com/acme/shop/billing

go 1.26
