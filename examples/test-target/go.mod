module example.com/testtarget

go 1.26.8
