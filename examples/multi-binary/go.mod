module example.com/multibin

go 1.26.8
