package main

import (
	"encoding/binary"
	"errors"
	"net"
	"strings"
)

// The little of DNS (RFC 1035) the example speaks: one question, one A
// record answer.

const (
	typeA    = 1
	classIN  = 1
	headerSz = 12
)

// address is what every A query is answered with (TEST-NET-1, RFC 5737).
var address = net.IPv4(192, 0, 2, 53).To4()

// query is a DNS query with id for the A record of name.
func query(id uint16, name string) []byte {
	q := make([]byte, headerSz, 64)
	binary.BigEndian.PutUint16(q[0:], id)
	binary.BigEndian.PutUint16(q[2:], 0x0100) // recursion desired
	binary.BigEndian.PutUint16(q[4:], 1)      // one question
	for _, label := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		q = append(q, byte(len(label)))
		q = append(q, label...)
	}
	q = append(q, 0, 0, typeA, 0, classIN)
	return q
}

// answer is the response to a query: the A record for an A query, "not
// implemented" for any other; nil for what is not a query.
func answer(q []byte) []byte {
	end, ok := questionEnd(q)
	if !ok || q[2]&0x80 != 0 {
		return nil
	}
	resp := append([]byte(nil), q[:end]...)
	qtype := binary.BigEndian.Uint16(q[end-4:])
	flags := uint16(0x8400) // response, authoritative
	if qtype != typeA {
		binary.BigEndian.PutUint16(resp[2:], flags|4) // NOTIMP
		binary.BigEndian.PutUint16(resp[6:], 0)
		return resp
	}
	binary.BigEndian.PutUint16(resp[2:], flags)
	binary.BigEndian.PutUint16(resp[6:], 1) // one answer
	binary.BigEndian.PutUint16(resp[8:], 0)
	binary.BigEndian.PutUint16(resp[10:], 0)
	rr := []byte{0xc0, headerSz, 0, typeA, 0, classIN, 0, 0, 0, 60, 0, 4}
	return append(append(resp, rr...), address...)
}

// questionEnd is where the single question of q ends.
func questionEnd(q []byte) (int, bool) {
	if len(q) < headerSz || binary.BigEndian.Uint16(q[4:]) != 1 {
		return 0, false
	}
	i := headerSz
	for i < len(q) && q[i] != 0 {
		if q[i] >= 64 { // compression in a question is not supported
			return 0, false
		}
		i += int(q[i]) + 1
	}
	i += 5 // the root label, type, class
	return i, i <= len(q)
}

// answerIP is the address of the A record in resp, which answers query id.
func answerIP(resp []byte, id uint16) (net.IP, error) {
	end, ok := questionEnd(resp)
	switch {
	case !ok || binary.BigEndian.Uint16(resp[0:]) != id || resp[2]&0x80 == 0:
		return nil, errors.New("not an answer to the query")
	case resp[3]&0x0f != 0:
		return nil, errors.New("the server refused the query")
	case binary.BigEndian.Uint16(resp[6:]) != 1 || len(resp) < end+16:
		return nil, errors.New("no A record in the answer")
	}
	return net.IP(resp[end+12 : end+16]), nil
}
