package feed

import (
	"net/url"
	"strings"
)

// trackingParam reports a query parameter that only tells a site where a
// visitor came from: the same article with or without it is one article.
func trackingParam(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "utm_") {
		return true
	}
	switch n {
	case "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "xtor", "at_medium", "at_campaign", "_ga", "ocid", "cmpid":
		return true
	}
	return false
}

// cleanLink makes an item's link usable as an identity and an address:
// trimmed (feeds write " https://…" and links over several lines),
// resolved against xml:base or the feed's URL, without tracking
// parameters or a "#xtor=" fragment.
func cleanLink(base *url.URL, raw string) string {
	raw = strings.Join(strings.Fields(raw), "")
	if raw == "" {
		return ""
	}
	u, err := resolve(base, raw)
	if err != nil {
		return raw
	}
	if u.RawQuery != "" {
		parts := strings.Split(u.RawQuery, "&")
		kept := parts[:0]
		for _, p := range parts {
			k, _, _ := strings.Cut(p, "=")
			if name, err := url.QueryUnescape(k); err == nil && trackingParam(name) {
				continue
			}
			if p != "" {
				kept = append(kept, p)
			}
		}
		u.RawQuery = strings.Join(kept, "&")
	}
	if f := strings.ToLower(u.Fragment); strings.HasPrefix(f, "xtor=") || strings.HasPrefix(f, "utm_") {
		u.Fragment, u.RawFragment = "", ""
	}
	return u.String()
}

// isWebURL reports whether s is an absolute http or https URL, as a GUID
// must be to serve as a link.
func isWebURL(s string) bool {
	if strings.ContainsAny(s, " \t\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
