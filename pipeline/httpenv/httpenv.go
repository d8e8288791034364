// Package httpenv reads what shapes the HTTP connections to the API from
// the variables a user sets for it (HTTPS_PROXY, HTTP_PROXY, NO_PROXY,
// SSL_CERT_FILE, SSL_CERT_DIR), from the process environment first and
// from the settings file (.env) under it, without changing the process
// environment: the settings file is data, read into the settings, and a
// test or a second run in the same process is not changed by it.
//
// The fetcher of feeds and pages (package fetch) uses no proxy on
// purpose; this is for the API client only.
package httpenv

import (
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/net/http/httpproxy"
)

// Vars are the variables read, in the case Go reads them; the lower-case
// proxy variables are read too.
var Vars = []string{"HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR"}

// Transport is what the API's connections use. Its zero value is Go's
// own: the proxy and TLS roots of the process environment.
type Transport struct {
	// Proxy picks the proxy of a request; nil is
	// http.ProxyFromEnvironment.
	Proxy func(*http.Request) (*url.URL, error)
	// RootCAs are the TLS roots; nil are the system's.
	RootCAs *x509.CertPool
}

// From builds the transport from the settings file's variables (file)
// under the process environment (lookup, os.LookupEnv in the program).
// Only a variable the file sets and the environment does not changes
// anything: otherwise Go reads the environment itself.
func From(file map[string]string, lookup func(string) (string, bool)) (Transport, error) {
	var t Transport
	fromFile := false
	get := func(names ...string) string {
		for _, n := range names {
			if v, ok := lookup(n); ok {
				return v
			}
		}
		for _, n := range names {
			if v, ok := file[n]; ok {
				fromFile = true
				return v
			}
		}
		return ""
	}
	cfg := httpproxy.Config{
		HTTPProxy:  get("HTTP_PROXY", "http_proxy"),
		HTTPSProxy: get("HTTPS_PROXY", "https_proxy"),
		NoProxy:    get("NO_PROXY", "no_proxy"),
	}
	if fromFile {
		proxy := cfg.ProxyFunc()
		t.Proxy = func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
	}
	certFile, fileSet := fileOnly(file, lookup, "SSL_CERT_FILE")
	certDir, dirSet := fileOnly(file, lookup, "SSL_CERT_DIR")
	if !fileSet && !dirSet {
		return t, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if fileSet {
		if err := addPEM(pool, certFile); err != nil {
			return t, fmt.Errorf("SSL_CERT_FILE %s: %w", certFile, err)
		}
	}
	if dirSet {
		for _, dir := range filepath.SplitList(certDir) {
			entries, err := os.ReadDir(dir)
			if err != nil {
				return t, fmt.Errorf("SSL_CERT_DIR %s: %w", dir, err)
			}
			for _, e := range entries {
				if e.Type().IsRegular() {
					_ = addPEM(pool, filepath.Join(dir, e.Name())) // a folder holds other files too
				}
			}
		}
	}
	t.RootCAs = pool
	return t, nil
}

// fileOnly is the file's value of a variable the environment does not set.
func fileOnly(file map[string]string, lookup func(string) (string, bool), name string) (string, bool) {
	if _, ok := lookup(name); ok {
		return "", false
	}
	v, ok := file[name]
	return v, ok && strings.TrimSpace(v) != ""
}

func addPEM(pool *x509.CertPool, path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if !pool.AppendCertsFromPEM(b) {
		return fmt.Errorf("no PEM certificate in it")
	}
	return nil
}
