package spec

import (
	"strconv"
	"strings"
)

// parsePort reads "8080", "8080/tcp", "53/udp" or "9/sctp". The range is
// checked by checkPort, so a spec built in Go gets the same check.
func parsePort(s string) (Port, *problem) {
	num, proto, hasProto := strings.Cut(s, "/")
	if strings.Contains(num, "-") {
		return Port{}, newProblem("list each port", "port ranges like %q are not supported", s)
	}
	n, err := strconv.Atoi(num)
	if err != nil || (hasProto && proto == "") {
		return Port{}, newProblem("e.g. 8080 or 53/udp", "%q is not a port", s)
	}
	if !hasProto {
		proto = "tcp"
	}
	return Port{Number: n, Protocol: strings.ToLower(proto)}, nil
}

func checkPort(p Port) *problem {
	if p.Number < 1 || p.Number > 65535 {
		return newProblem("use 1..65535", "port %d is out of range", p.Number)
	}
	switch p.Protocol {
	case "tcp", "udp", "sctp":
		return nil
	}
	return newProblem("use tcp, udp or sctp", "unknown protocol %q", p.Protocol)
}

// String is the port as written in an image config: "8080/tcp".
func (p Port) String() string {
	proto := p.Protocol
	if proto == "" {
		proto = "tcp"
	}
	return strconv.Itoa(p.Number) + "/" + proto
}
