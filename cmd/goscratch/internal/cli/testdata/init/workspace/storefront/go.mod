module example.com/acme/shop/storefront

go 1.26
