// Command udpserver is goscratch's example of a real server in a FROM
// scratch image: a tiny DNS-like server on UDP port 53 that runs as a
// non-root user, keeps a count of the queries it answered in its data
// directory, and checks its own health.
//
//	udpserver                 answer on :53 until SIGINT or SIGTERM
//	udpserver -health         ask the server on 127.0.0.1 for health.goscratch.; exit 0 when it answers
//	udpserver -selftest       bind, answer one query from -health, write to the data directory, exit
//
// It answers every A query with 192.0.2.53 (a documentation address) and
// every other query with "not implemented".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	listen = flag.String("listen", ":53", "UDP address to answer on")
	data   = flag.String("data", "/var/lib/udpserver", "directory for the query count")
)

func main() {
	health := flag.Bool("health", false, "ask the running server for health.goscratch. and exit 0 when it answers")
	selftest := flag.Bool("selftest", false, "bind -listen, answer one -health query, write to -data, then exit")
	flag.Parse()
	switch {
	case *health:
		os.Exit(probe(*listen))
	case *selftest:
		os.Exit(selfTest())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "udpserver:", err)
		os.Exit(1)
	}
}

// server answers queries on one socket and counts them.
type server struct {
	conn    net.PacketConn
	answers atomic.Int64
}

func bind(addr string) (*server, error) {
	conn, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, err
	}
	return &server{conn: conn}, nil
}

func serve(ctx context.Context) error {
	s, err := bind(*listen)
	if err != nil {
		return err
	}
	fmt.Printf("udpserver: answering on udp %s as uid=%d\n", s.conn.LocalAddr(), os.Getuid())
	go func() {
		<-ctx.Done()
		s.conn.Close()
	}()
	err = s.loop()
	if ctx.Err() != nil { // stopped by the stop signal: a clean exit
		fmt.Printf("udpserver: stopped after %d answers\n", s.answers.Load())
		return s.saveCount()
	}
	return err
}

// loop answers until the socket is closed.
func (s *server) loop() error {
	buf := make([]byte, 512)
	for {
		n, from, err := s.conn.ReadFrom(buf)
		if err != nil {
			return err
		}
		if resp := answer(buf[:n]); resp != nil {
			if _, err := s.conn.WriteTo(resp, from); err == nil {
				s.answers.Add(1)
			}
		}
	}
}

// saveCount writes the number of answers to the data directory.
func (s *server) saveCount() error {
	return os.WriteFile(filepath.Join(*data, "answers"), []byte(strconv.FormatInt(s.answers.Load(), 10)+"\n"), 0o644)
}

func selfTest() int {
	s, err := bind(*listen)
	if err != nil {
		fmt.Printf("selftest: bind udp %s as uid=%d: FAIL %v\n", *listen, os.Getuid(), err)
		return 1
	}
	fmt.Printf("selftest: bound udp %s as uid=%d\n", s.conn.LocalAddr(), os.Getuid())
	done := make(chan error, 1)
	go func() { done <- s.loop() }()
	code := probe(s.conn.LocalAddr().String())
	s.conn.Close()
	<-done
	if err := s.saveCount(); err != nil {
		fmt.Printf("selftest: data directory: FAIL %v\n", err)
		return 1
	}
	fmt.Printf("selftest: wrote %s\n", filepath.Join(*data, "answers"))
	return code
}

// probe asks the server at addr (any host: 127.0.0.1 is asked) for
// health.goscratch. and reports whether the answer came back.
func probe(addr string) int {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		fmt.Println("health: FAIL", err)
		return 1
	}
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	conn, err := net.Dial("udp", net.JoinHostPort(host, port))
	if err != nil {
		fmt.Println("health: FAIL", err)
		return 1
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	q := query(0x2a2a, "health.goscratch.")
	if _, err := conn.Write(q); err != nil {
		fmt.Println("health: FAIL", err)
		return 1
	}
	buf := make([]byte, 512)
	n, err := conn.Read(buf)
	if err == nil {
		var ip net.IP
		if ip, err = answerIP(buf[:n], 0x2a2a); err == nil {
			fmt.Printf("health: ok, health.goscratch. is %s\n", ip)
			return 0
		}
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = errors.New("no answer within 2s")
	}
	fmt.Println("health: FAIL", err)
	return 1
}
