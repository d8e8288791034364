// Package redact keeps credentials out of what nl2en logs and writes: it
// is the one place that knows what a secret in a URL looks like. A feed
// URL may carry them ("https://user:secret@example.org/rss",
// "https://example.org/feed?token=…"), and that URL appears in error
// messages, logs, the feed's state file and the JSON outputs: every such
// string goes through [URL] (or [Text], for a message that may hold
// URLs anywhere) first. An API's base URL goes through [BaseURL], which
// keeps only what names the server (package llm's RedactURL is it).
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mask replaces a secret.
const Mask = "REDACTED"

// URL returns rawURL with its credentials replaced by [Mask]: the
// password of user:password@ (the user name too, since for many feeds it
// is a token), and the values of query parameters named like a secret
// ([IsCredential]: token, key, api_key, password, sig, …). The rest is
// kept as given, so the URL still says which feed it is. A string that
// does not parse as a URL is redacted by pattern all the same.
func URL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme == "" && u.Host == "") {
		return byPattern(rawURL)
	}
	if u.User != nil {
		u.User = url.User(Mask)
	}
	if u.RawQuery != "" {
		u.RawQuery = query(u.RawQuery)
	}
	if u.Fragment != "" && strings.Contains(u.Fragment, "=") {
		// OAuth implicit flows put tokens in the fragment.
		u.RawFragment = ""
		u.Fragment = query(u.Fragment)
	}
	return u.String()
}

// BaseURL returns an API's base URL without user info, query or
// fragment: what names the server and nothing else, safe to log, to
// write into outputs and to key the segment cache with (an Azure key or
// a proxy's token in the query must not split the cache, nor reach a
// file). A string that does not parse gives "".
func BaseURL(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	u.RawFragment = ""
	return u.String()
}

// query redacts the values of credential parameters in a raw query,
// keeping the order and spelling of the others.
func query(raw string) string {
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if IsCredential(name) {
			parts[i] = k + "=" + Mask
		}
	}
	return strings.Join(parts, "&")
}

// IsCredential reports whether a query parameter's name is one that
// carries a secret.
func IsCredential(name string) bool {
	n := strings.ToLower(name)
	n = strings.NewReplacer("-", "_", ".", "_").Replace(n)
	switch n {
	case "token", "access_token", "refresh_token", "id_token", "auth", "auth_token", "authorization",
		"key", "api_key", "apikey", "app_key", "private_token", "feed_token", "rss_token",
		"password", "passwd", "pass", "pwd", "secret", "client_secret",
		"signature", "sig", "x_amz_signature", "x_amz_credential", "x_amz_security_token",
		"session", "sessionid", "session_id", "sid", "code", "hash", "hmac", "jwt", "bearer":
		return true
	}
	return strings.HasSuffix(n, "_token") || strings.HasSuffix(n, "_key") || strings.HasSuffix(n, "_secret") ||
		strings.HasSuffix(n, "password")
}

var (
	userinfoPattern = regexp.MustCompile(`(//)[^/\s@?#]+@`)
	paramPattern    = regexp.MustCompile(`([?&;#]([A-Za-z0-9_.\-]+)=)([^&;#\s"'<>]*)`)
	urlPattern      = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>]+`)
)

// byPattern redacts what looks like credentials in a string that is not
// a well-formed URL.
func byPattern(s string) string {
	s = userinfoPattern.ReplaceAllString(s, "${1}"+Mask+"@")
	return paramPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := paramPattern.FindStringSubmatch(m)
		if IsCredential(sub[2]) {
			return sub[1] + Mask
		}
		return m
	})
}

// Text redacts every URL inside a message, such as an error from a
// library that quotes the URL it was given.
func Text(s string) string {
	if !strings.Contains(s, "://") && !strings.Contains(s, "=") {
		return s
	}
	s = urlPattern.ReplaceAllStringFunc(s, URL)
	return byPattern(s)
}
