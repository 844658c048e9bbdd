// Command svcctl is the small companion CLI of the big subject's server,
// built with it by one spec (the benchmark's two-binary variant): it asks
// the server's metrics endpoint whether it is up.
package main

import (
	"flag"
	"fmt"
	"net/http"
	"os"
	"time"
)

func main() {
	addr := flag.String("metrics", "http://localhost:9090/metrics", "the server's metrics URL")
	flag.Parse()
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "svcctl:", err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	fmt.Println("svcctl: server says", resp.Status)
}
