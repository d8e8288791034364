package fetch

import (
	"errors"
	"fmt"
)

// Kind says why a fetch failed, in terms of what a caller does about it.
type Kind int

// The kinds of failure.
const (
	KindOther       Kind = iota
	KindRefused          // the address is on a loopback, private or link-local network
	KindScheme           // the URL is not http or https
	KindDisallowed       // robots.txt disallows the page
	KindTooLarge         // the body, decompressed, is over the limit
	KindRedirects        // more redirects than allowed, or one without a Location
	KindStatus           // the server answered with an error status
	KindTimeout          // no complete answer within the time limit
	KindUnreachable      // the host does not resolve, or refuses the connection
)

var kindNames = map[Kind]string{
	KindOther: "other", KindRefused: "refused", KindScheme: "scheme", KindDisallowed: "disallowed",
	KindTooLarge: "too large", KindRedirects: "redirects", KindStatus: "status", KindTimeout: "timeout",
	KindUnreachable: "unreachable",
}

func (k Kind) String() string { return kindNames[k] }

// Error is a failed fetch. Its URL has its credentials redacted, and so
// has its message: it can be logged and written as it is.
type Error struct {
	Kind   Kind
	URL    string // the URL that failed (after redirects), redacted
	Status int    // KindStatus: the HTTP status
	Addr   string // KindRefused: the refused address
	Limit  int64  // KindTooLarge: the limit in bytes
	Err    error
}

func (e *Error) Error() string {
	var what string
	switch e.Kind {
	case KindRefused:
		what = "refused: " + errString(e.Err) + " (only public addresses are fetched)"
	case KindScheme:
		what = errString(e.Err)
	case KindDisallowed:
		what = "robots.txt disallows it"
	case KindTooLarge:
		what = fmt.Sprintf("larger than %s", sizeString(e.Limit))
	case KindRedirects:
		what = errString(e.Err)
	case KindStatus:
		what = fmt.Sprintf("the server answered %d", e.Status)
	case KindTimeout:
		what = "no answer in time"
	case KindUnreachable:
		what = "cannot connect: " + errString(e.Err)
	default:
		what = errString(e.Err)
	}
	return fmt.Sprintf("fetch %s: %s", e.URL, what)
}

func (e *Error) Unwrap() error { return e.Err }

func errString(err error) string {
	if err == nil {
		return "failed"
	}
	return err.Error()
}

// IsKind reports whether err is an [*Error] of one of the given kinds.
func IsKind(err error, kinds ...Kind) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	for _, k := range kinds {
		if e.Kind == k {
			return true
		}
	}
	return false
}

func sizeString(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
