package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"

	"github.com/nl2en/nl2en/pipeline/fetch"
)

func Example() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()

	// AllowPrivate: the test server is on loopback, which is refused
	// otherwise.
	f := fetch.New(fetch.Options{Version: "1.0.0", AllowPrivate: true})
	defer f.Close()
	res, err := f.Fetch(context.Background(), fetch.Request{URL: srv.URL + "/feed.xml"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(res.Body), res.ETag)
	again, _ := f.Fetch(context.Background(), fetch.Request{URL: srv.URL + "/feed.xml", ETag: res.ETag})
	fmt.Println("not modified:", again.NotModified)
	// Output:
	// <rss/> "v1"
	// not modified: true
}

type metadataResolver struct{}

func (metadataResolver) LookupIPAddr(context.Context, string) ([]net.IPAddr, error) {
	return []net.IPAddr{{IP: net.ParseIP("169.254.169.254")}}, nil
}

func Example_refused() {
	f := fetch.New(fetch.Options{
		Resolver: metadataResolver{},
		Dial: func(context.Context, string, string) (net.Conn, error) {
			return nil, errors.New("never dialled")
		},
	})
	defer f.Close()
	_, err := f.Fetch(context.Background(), fetch.Request{URL: "http://feeds.example.org/latest/meta-data?token=abc", Page: true})
	fmt.Println(fetch.IsKind(err, fetch.KindRefused))
	fmt.Println(err)
	// Output:
	// true
	// fetch http://feeds.example.org/latest/meta-data?token=REDACTED: refused: feeds.example.org resolves to 169.254.169.254, a link-local network address (only public addresses are fetched)
}
