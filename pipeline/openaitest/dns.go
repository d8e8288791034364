package openaitest

import (
	"context"
	"encoding/binary"
	"io"
	"net"
)

// DNSAnswer is how the resolver of [Resolver] answers every query.
type DNSAnswer int

// The answers [Resolver] gives.
const (
	// NoSuchHost is NXDOMAIN: the name does not exist.
	NoSuchHost DNSAnswer = 3
	// ServerFailure is SERVFAIL: the DNS server cannot tell for now.
	ServerFailure DNSAnswer = 2
)

// Resolver returns a resolver, for a net.Dialer, that never asks a real
// DNS server: each query Go's own resolver would send goes to an
// in-process responder that answers it with a. A test that wants an
// unknown host, or a DNS failure, gets the errors the net package really
// makes of them, without a query leaving the process.
func Resolver(a DNSAnswer) *net.Resolver {
	return &net.Resolver{
		PreferGo: true,
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			client, server := net.Pipe()
			go answerDNS(server, a)
			return client, nil
		},
	}
}

// answerDNS serves one query over a stream connection (as DNS over TCP:
// each message after its two-byte length): it echoes the query's id and
// question and sets the answer's code, with no records.
func answerDNS(c net.Conn, a DNSAnswer) {
	defer c.Close()
	var n [2]byte
	if _, err := io.ReadFull(c, n[:]); err != nil {
		return
	}
	q := make([]byte, binary.BigEndian.Uint16(n[:]))
	if _, err := io.ReadFull(c, q); err != nil || len(q) < 12 {
		return
	}
	// The question: the name's labels up to the root, then type and class.
	end := 12
	for end < len(q) && q[end] != 0 {
		end += int(q[end]) + 1
	}
	end += 1 + 4
	if end > len(q) {
		return
	}
	r := append([]byte(nil), q[:end]...)
	r[2] = 0x80 | q[2]&0x01              // a response, recursion desired as asked
	r[3] = 0x80 | byte(a)&0x0f           // recursion available, the answer's code
	binary.BigEndian.PutUint16(r[4:], 1) // one question
	clear(r[6:12])                       // no answers, authorities or additional records
	msg := binary.BigEndian.AppendUint16(nil, uint16(len(r)))
	c.Write(append(msg, r...))
}
