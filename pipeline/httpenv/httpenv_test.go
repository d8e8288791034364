package httpenv

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

// TestProxyFromFile guards that proxies set in .env reach the API's
// transport, that the environment wins over the file, that NO_PROXY and
// loopback are honoured, and that nothing set changes nothing.
func TestProxyFromFile(t *testing.T) {
	file := map[string]string{"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "internal.corp"}
	for _, tt := range []struct {
		name string
		env  map[string]string
		url  string
		want string
	}{
		{"from the file", nil, "https://api.openai.com/v1/chat/completions", "http://proxy.corp:3128"},
		{"the environment wins", map[string]string{"HTTPS_PROXY": "http://env.corp:8080"}, "https://api.openai.com/v1", "http://env.corp:8080"},
		{"NO_PROXY", nil, "https://llm.internal.corp/v1", ""},
		{"loopback", nil, "https://127.0.0.1:8080/v1", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := From(file, lookup(tt.env))
			if err != nil || tr.Proxy == nil {
				t.Fatalf("From: %v, proxy set %v", err, tr.Proxy != nil)
			}
			req, _ := http.NewRequest("POST", tt.url, nil)
			u, err := tr.Proxy(req)
			got := ""
			if u != nil {
				got = u.String()
			}
			if err != nil || got != tt.want {
				t.Errorf("proxy of %s = %q (%v), want %q", tt.url, got, err, tt.want)
			}
		})
	}
	if tr, err := From(map[string]string{"NL2EN_MODEL": "x"}, lookup(nil)); err != nil || tr.Proxy != nil || tr.RootCAs != nil {
		t.Errorf("a file without these variables changed the transport: %+v, %v", tr, err)
	}
}

// TestCertFileFromFile guards SSL_CERT_FILE set in .env: its roots are
// trusted; a file without a certificate is an error naming it.
func TestCertFileFromFile(t *testing.T) {
	dir := t.TempDir()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Corp Root"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(dir, "corp.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	tr, err := From(map[string]string{"SSL_CERT_FILE": ca}, lookup(nil))
	if err != nil || tr.RootCAs == nil {
		t.Fatalf("From: %v, roots %v", err, tr.RootCAs)
	}
	cert, _ := x509.ParseCertificate(der)
	if _, err := cert.Verify(x509.VerifyOptions{Roots: tr.RootCAs}); err != nil {
		t.Errorf("the file's root is not trusted: %v", err)
	}
	bad := filepath.Join(dir, "empty.pem")
	os.WriteFile(bad, []byte("nothing"), 0o644)
	if _, err := From(map[string]string{"SSL_CERT_FILE": bad}, lookup(nil)); err == nil {
		t.Error("a file without a certificate was taken")
	}
	if tr, _ := From(map[string]string{"SSL_CERT_FILE": bad}, lookup(map[string]string{"SSL_CERT_FILE": ca})); tr.RootCAs != nil {
		t.Error("the environment's SSL_CERT_FILE should leave the roots to Go")
	}
}
