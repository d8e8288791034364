package openaitest_test

import (
	"errors"
	"net"
	"testing"

	"github.com/nl2en/nl2en/pipeline/openaitest"
)

// TestResolver guards that the fake DNS answers give the errors the net
// package makes of real ones: an unknown host is not found and final, a
// server failure is temporary.
func TestResolver(t *testing.T) {
	tests := []struct {
		answer              openaitest.DNSAnswer
		notFound, temporary bool
	}{
		{openaitest.NoSuchHost, true, false},
		{openaitest.ServerFailure, false, true},
	}
	for _, tt := range tests {
		d := &net.Dialer{Resolver: openaitest.Resolver(tt.answer)}
		_, err := d.DialContext(t.Context(), "tcp", "api.nl2en.invalid:80")
		var de *net.DNSError
		if !errors.As(err, &de) {
			t.Fatalf("answer %d: got %v, want a DNS error", tt.answer, err)
		}
		if de.Name != "api.nl2en.invalid" || de.IsNotFound != tt.notFound || de.IsTemporary != tt.temporary {
			t.Errorf("answer %d: got %q not found %v temporary %v, want %v and %v", tt.answer, de.Name, de.IsNotFound, de.IsTemporary, tt.notFound, tt.temporary)
		}
	}
}
