module example.com/ws/app

go 1.26.8
