module example.com/private

go 1.26.8

require goscratch.test/private/greeting v1.0.0
