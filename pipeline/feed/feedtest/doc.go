// Package feedtest is a local news site for tests of feeds and fetched
// articles: an httptest server on loopback that serves Dutch feed
// fixtures of every shape nl2en must read (written for these tests, not
// copied from any site), article pages in a news site's template, a
// teaser page, a cookie wall and a paywall, robots.txt, conditional
// answers (ETag, Last-Modified, 304), 301 and 302 redirects, a moved
// feed, a slow and a huge answer, and feeds whose items change between
// runs ([Server.SetFeed]).
//
// Links inside the fixtures point at the server itself: the placeholder
// {{BASE}} in a fixture is replaced by the server's URL when served, and
// by the base given to [Fixture].
package feedtest
