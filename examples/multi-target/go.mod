module example.com/multitarget

go 1.26.8
