package fetch

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Robots is what a site's robots.txt allows nl2en to fetch, read as RFC
// 9309 says: the groups naming nl2en's product token, else those for
// "*"; in them, the longest matching Allow or Disallow rule decides, an
// Allow winning a tie; "*" matches any characters and "$" the end of
// the path. Crawl-delay, which RFC 9309 leaves out but sites still
// write, is read from the same groups. A nil *Robots allows everything.
type Robots struct {
	rules []robotsRule
	delay time.Duration
	// deny is set when robots.txt could not be fetched because the site
	// failed (5xx, no answer): RFC 9309 says to assume everything is
	// disallowed then.
	deny bool
}

type robotsRule struct {
	allow   bool
	pattern string // normalised, "$" kept at its end
	length  int    // the pattern's length as written, for precedence
}

// ParseRobots reads a robots.txt for the crawler whose product token is
// agent ("nl2en"). It never fails: lines it does not understand are
// skipped, as RFC 9309 asks.
func ParseRobots(data []byte, agent string) *Robots {
	agent = strings.ToLower(agent)
	type group struct {
		agents []string
		rules  []robotsRule
		delay  time.Duration
	}
	var groups []*group
	var cur *group
	lastWasAgent := false
	text := strings.TrimPrefix(string(data), "\ufeff")
	for len(text) > 0 {
		var line string
		if i := strings.IndexAny(text, "\r\n"); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent", "useragent", "user agent":
			if cur == nil || !lastWasAgent {
				cur = &group{}
				groups = append(groups, cur)
			}
			cur.agents = append(cur.agents, productToken(value))
			lastWasAgent = true
		case "allow", "disallow":
			lastWasAgent = false
			if cur == nil || value == "" {
				continue // an empty Disallow allows all: no rule
			}
			cur.rules = append(cur.rules, robotsRule{allow: key == "allow", pattern: normalisePath(value), length: len(value)})
		case "crawl-delay", "crawldelay":
			lastWasAgent = false
			if cur == nil {
				continue
			}
			if s, err := strconv.ParseFloat(value, 64); err == nil && s > 0 && !math.IsInf(s, 0) {
				d := time.Duration(math.Min(s, 86400) * float64(time.Second))
				cur.delay = max(cur.delay, d)
			}
		default:
			// Sitemap, Host, Clean-param and the like: not for us, and
			// they do not end a group.
		}
	}
	pick := func(name string) *Robots {
		var r *Robots
		for _, g := range groups {
			for _, a := range g.agents {
				if a == name {
					if r == nil {
						r = &Robots{}
					}
					r.rules = append(r.rules, g.rules...)
					r.delay = max(r.delay, g.delay)
					break
				}
			}
		}
		return r
	}
	if r := pick(agent); r != nil {
		return r
	}
	if r := pick("*"); r != nil {
		return r
	}
	return &Robots{}
}

// productToken is the name a User-agent line gives, lowercased, without
// a version ("nl2en/1.2 (+https://…)" names "nl2en").
func productToken(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if i := strings.IndexAny(v, "/ \t"); i >= 0 {
		v = v[:i]
	}
	return v
}

// Allowed reports whether the path (with its query, as it goes on the
// request line: "/nieuws/storm?page=2") may be fetched.
func (r *Robots) Allowed(path string) bool {
	if r == nil {
		return true
	}
	if path == "" {
		path = "/"
	}
	if path == "/robots.txt" {
		return true
	}
	if r.deny {
		return false
	}
	p := normalisePath(path)
	best, allowed := -1, true
	for _, rule := range r.rules {
		if rule.length < best || (rule.length == best && !rule.allow) {
			continue
		}
		if matchRobots(rule.pattern, p) {
			best, allowed = rule.length, rule.allow
		}
	}
	return allowed
}

// CrawlDelay is the delay between requests the site asks of nl2en, or 0.
func (r *Robots) CrawlDelay() time.Duration {
	if r == nil {
		return 0
	}
	return r.delay
}

// normalisePath percent-encodes what a path may hold unencoded (bytes
// outside ASCII, spaces) and upper-cases the hex of every escape, so that
// a rule and a path written differently compare equal.
func normalisePath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte('%')
			b.WriteString(strings.ToUpper(s[i+1 : i+3]))
			i += 2
		case c >= 0x80 || c <= ' ' || c == 0x7f:
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// matchRobots matches a path against a rule: a prefix match where "*"
// stands for any characters, and a final "$" anchors the end.
func matchRobots(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(path, parts[0]) {
		return false
	}
	pos := len(parts[0])
	if len(parts) == 1 {
		return !anchored || pos == len(path)
	}
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(path[pos:], part)
		if i < 0 {
			return false
		}
		pos += i + len(part)
	}
	last := parts[len(parts)-1]
	if anchored {
		return len(path)-pos >= len(last) && strings.HasSuffix(path, last)
	}
	return strings.Contains(path[pos:], last)
}
