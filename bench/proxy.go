package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os/exec"
	"strings"
	"sync/atomic"
)

// countingProxy is a loopback reverse proxy in front of the Go module
// proxy. Every build of the benchmark gets GOPROXY=its URL, so the number of
// requests it saw during a build is the number of module fetches that build
// made from the network (0 means everything came from caches).
type countingProxy struct {
	n   atomic.Int64
	url string
	srv *http.Server
}

// upstreamGoproxy is the first proxy URL of the host's `go env GOPROXY`.
func upstreamGoproxy() (string, error) {
	out, err := exec.Command("go", "env", "GOPROXY").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOPROXY: %w", err)
	}
	return firstProxy(strings.TrimSpace(string(out)))
}

// firstProxy picks the first real proxy URL of a GOPROXY list.
func firstProxy(list string) (string, error) {
	for _, p := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '|' }) {
		if p != "direct" && p != "off" && p != "" {
			return p, nil
		}
	}
	return "", fmt.Errorf("GOPROXY %q names no module proxy", list)
}

func startCountingProxy(addr, upstream string) (*countingProxy, error) {
	u, err := url.Parse(upstream)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("counting proxy: %w", err)
	}
	p := &countingProxy{url: "http://" + ln.Addr().String()}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		r.Out.Host = u.Host
	}}
	p.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.n.Add(1)
		rp.ServeHTTP(w, r)
	})}
	go func() {
		if err := p.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Printf("counting proxy: %v\n", err)
		}
	}()
	return p, nil
}

// reset returns the count so far and starts again from 0.
func (p *countingProxy) reset() int { return int(p.n.Swap(0)) }

func (p *countingProxy) close() { p.srv.Close() }
