module example.com/udpserver

go 1.26.8
