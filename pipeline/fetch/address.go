package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"
)

// nonPublic are the networks nl2en refuses to fetch from unless told
// (Options.AllowPrivate): a feed item must not make it read a cloud
// metadata service (169.254.169.254), a router's admin page or an
// intranet. IPv4-mapped, NAT64 and 6to4 addresses are judged by the IPv4
// address they carry.
var nonPublic = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "\"this\" network"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT network"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local network"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private network"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved network"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation network"},
	{netip.MustParsePrefix("192.88.99.0/24"), "reserved network"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private network"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking network"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation network"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation network"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved network"},
	{netip.MustParsePrefix("::/128"), "unspecified address"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("::/96"), "reserved network"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "private NAT64 network"},
	{netip.MustParsePrefix("100::/64"), "discard network"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation network"},
	{netip.MustParsePrefix("3fff::/20"), "documentation network"},
	{netip.MustParsePrefix("fc00::/7"), "unique local network"},
	{netip.MustParsePrefix("fe80::/10"), "link-local network"},
	{netip.MustParsePrefix("fec0::/10"), "site-local network"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96")
	sixTo4 = netip.MustParsePrefix("2002::/16")
)

// NonPublic says why addr is not on the public internet ("loopback",
// "private network", "link-local network", …), or returns "" when it is.
func NonPublic(addr netip.Addr) string {
	if !addr.IsValid() {
		return "invalid address"
	}
	addr = addr.WithZone("") // a zone hides an address from Prefix.Contains
	if addr.Is4In6() {
		addr = addr.Unmap()
	}
	if nat64.Contains(addr) || sixTo4.Contains(addr) {
		b := addr.As16()
		var v4 [4]byte
		if nat64.Contains(addr) {
			copy(v4[:], b[12:16])
		} else {
			copy(v4[:], b[2:6])
		}
		if why := NonPublic(netip.AddrFrom4(v4)); why != "" {
			return why
		}
		return ""
	}
	for _, n := range nonPublic {
		if n.prefix.Contains(addr) {
			return n.what
		}
	}
	return ""
}

// refusal is the error a dial returns for an address nl2en will not
// connect to; Fetch turns it into an [*Error] of [KindRefused].
type refusal struct {
	host string
	addr netip.Addr
	why  string
}

func (r *refusal) Error() string {
	if r.host != "" && r.host != r.addr.String() {
		return fmt.Sprintf("%s resolves to %s, a %s address", r.host, r.addr, r.why)
	}
	return fmt.Sprintf("%s is a %s address", r.addr, r.why)
}

// dialContext resolves the host itself, checks every address it would
// connect to, and dials only the admitted ones by their address, so that
// nothing resolves the name a second time between the check and the
// connection.
func (f *Fetcher) dialContext(ctx context.Context, network, address string) (net.Conn, error) {
	host, portStr, err := net.SplitHostPort(address)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portStr, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("bad port in %q", address)
	}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		ips, err := f.resolver.LookupIPAddr(ctx, host)
		if err != nil {
			return nil, err
		}
		for _, ip := range ips {
			if a, ok := netip.AddrFromSlice(ip.IP); ok {
				addrs = append(addrs, a.WithZone(ip.Zone).Unmap())
			}
		}
		if len(addrs) == 0 {
			return nil, &net.DNSError{Err: "no address", Name: host, IsNotFound: true}
		}
	}
	var refused, dialErr error
	for _, a := range addrs {
		if !f.o.AllowPrivate {
			if why := NonPublic(a); why != "" {
				refused = &refusal{host: host, addr: a, why: why}
				continue
			}
		}
		conn, err := f.dial(ctx, network, netip.AddrPortFrom(a, uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		dialErr = err
	}
	if dialErr != nil {
		return nil, dialErr
	}
	return nil, refused
}

// controlAddress is the net.Dialer's last word before a socket connects:
// the default dialer checks the address here too, so that no path to a
// socket skips the check.
func controlAddress(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("cannot check address %q: %w", address, err)
	}
	if why := NonPublic(ap.Addr()); why != "" {
		return &refusal{addr: ap.Addr(), why: why}
	}
	return nil
}
