// Package fetch reads feeds and article pages over HTTP for nl2en, the
// way a careful crawler should, and refuses to be turned against the
// machine it runs on.
//
// # Polite
//
// A [Fetcher] names itself ([UserAgent]: "nl2en/VERSION
// (+https://github.com/nl2en/nl2en)"), starts requests to one host at
// least a second apart (or the site's robots.txt Crawl-delay, up to a
// minute), has at most two requests to a host in flight, and honours
// robots.txt for article pages ([Request].Page): each site's robots.txt
// is fetched once per Fetcher, that is once per run, and read by
// [ParseRobots] as RFC 9309 says. Feeds are fetched without asking
// robots.txt: they are published for programs. Conditional requests
// (If-None-Match, If-Modified-Since from [Request].ETag and
// LastModified) let an unchanged feed cost one 304.
//
// # Bounded
//
// Each request has 30 seconds ([DefaultTimeout]) from its start to the
// last byte of its body; a body is counted after decompression (gzip and
// deflate are asked for and decoded here) and refused past its limit
// (20 MiB for feeds, [DefaultMaxBytes]; pages get the caller's); at most
// five redirects are followed, each hop checked as the first. Only http
// and https are fetched. [Response] gives the final URL, and MovedTo
// when a permanent redirect (301, 308) says where the resource now
// lives.
//
// # Safe
//
// A feed item's link is chosen by whoever writes the feed, so it must not
// make nl2en read a cloud metadata service (169.254.169.254), a router
// or an intranet page. Addresses on loopback, private, carrier-grade NAT,
// link-local, unique-local, multicast and reserved networks, IPv4 and
// IPv6 ([NonPublic]), are refused unless [Options].AllowPrivate is set.
// The check is made on the resolved address, at dial time, for every hop
// of a redirect: the fetcher resolves the host itself and connects to
// the checked address, so a name cannot resolve to one address for the
// check and another for the connection. Environment proxies are not
// used, since through a proxy the address connected to is the proxy's.
//
// # Errors
//
// Every failure is an [*Error] whose [Kind] says what a caller may do
// about it ([KindRefused], [KindDisallowed], [KindTooLarge], …); test
// with [IsKind]. URLs in errors and logs have their credentials
// replaced (package redact), so a feed's token never reaches a log file.
package fetch
