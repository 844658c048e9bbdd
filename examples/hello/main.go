// Command hello is the goscratch example: a small HTTP server that also has a
// self-check mode proving what a FROM-scratch image needs at run time.
//
//	hello                 serve on :8080 (PORT overrides)
//	hello -selfcheck      print uid, a time zone and the CA pool size; exit 1 on failure
package main

import (
	"context"
	"crypto/x509"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
)

const greeting = "hello from goscratch"

// version is set at build time: the spec's ldflags inject -X main.version={{.Version}}.
var version = "dev"

func main() {
	selfcheck := flag.Bool("selfcheck", false, "check uid, zoneinfo and CA certificates, then exit")
	flag.Parse()
	if *selfcheck {
		os.Exit(check())
	}
	if err := serve(); err != nil {
		log.Fatal(err)
	}
}

func check() int {
	code := 0
	fmt.Printf("uid=%d gid=%d\n", os.Getuid(), os.Getgid())
	if loc, err := time.LoadLocation("Europe/Paris"); err != nil {
		fmt.Printf("zoneinfo: FAIL %v\n", err)
		code = 1
	} else {
		fmt.Printf("zoneinfo: ok %s %s\n", loc, time.Date(2026, 7, 1, 12, 0, 0, 0, loc).Format("MST -0700"))
	}
	pool, err := x509.SystemCertPool()
	n := 0
	if err == nil {
		n = len(pool.Subjects()) //nolint:staticcheck // on linux the pool is read from files and Subjects is complete
	}
	if n == 0 {
		fmt.Printf("certs: FAIL empty system pool (%v)\n", err)
		code = 1
	} else {
		fmt.Printf("certs: ok %d roots\n", n)
	}
	fmt.Println(greeting, version)
	return code
}

func serve() error {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	srv := &http.Server{Addr: ":" + port, ReadHeaderTimeout: 5 * time.Second}
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, greeting) })

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		log.Printf("listening on :%s", port)
		if err := srv.ListenAndServe(); err != http.ErrServerClosed {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdown)
	})
	return g.Wait()
}
