package main

import (
	"net"
	"testing"
)

func TestAnswerA(t *testing.T) {
	q := query(7, "health.goscratch.")
	ip, err := answerIP(answer(q), 7)
	if err != nil || !ip.Equal(net.IPv4(192, 0, 2, 53)) {
		t.Fatalf("answer %v, %v", ip, err)
	}
	if _, err := answerIP(answer(q), 8); err == nil {
		t.Error("an answer with another id is accepted")
	}
}

func TestAnswerOthers(t *testing.T) {
	q := query(1, "example.")
	q[len(q)-3] = 16 // TXT
	if _, err := answerIP(answer(q), 1); err == nil {
		t.Error("a TXT query got an A record")
	}
	for _, bad := range [][]byte{nil, {1, 2, 3}, answer(query(1, "a."))} {
		if answer(bad) != nil {
			t.Errorf("answered %x", bad)
		}
	}
}

func TestSelfTestOnLoopback(t *testing.T) {
	*listen, *data = "127.0.0.1:0", t.TempDir()
	if code := selfTest(); code != 0 {
		t.Fatalf("selftest exit %d", code)
	}
}
