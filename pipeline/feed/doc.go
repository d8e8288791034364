// Package feed reads news feeds, decides what of them a nightly run
// translates, remembers what it has seen, and writes the English feed.
// It decides and renders; it fetches nothing and writes no file (package
// fetch fetches, and the outputs package writes).
//
// # Reading
//
// [Parse] reads RSS 2.0 (and 0.9x, 1.0), Atom 1.0 with encoding/xml, and
// JSON Feed 1.x with encoding/json, told apart by content; anything else
// is [ErrNotFeed] ([Discover] finds the feeds a web page names). Feeds are
// read as Dutch and Belgian sites write them:
//
//   - elements are matched by local name, so namespace prefixes bound to
//     the wrong URIs (or never bound) still read; ISO-8859-1 and
//     Windows-1252 declarations are decoded (ISO-8859-1 as Windows-1252,
//     as browsers do), and so are UTF-16 and Windows-1252 bytes in a feed
//     that says UTF-8;
//   - descriptions are HTML whether in CDATA, entity-escaped, left raw, or
//     escaped twice ("&amp;eacute;" after one reading); 1×1 tracking
//     images, scripts and styles are dropped and links made absolute;
//     content:encoded that holds only an image's URL is an image, not
//     text; of an item's full content and its description, the longer is
//     its text ([Item.HTML], [Item.Text]);
//   - enclosures (length 0 or none), media:content, media:thumbnail and
//     media:group are [Media];
//   - dates in RFC 822 and 1123 with offsets (+0100, +0200, +01:00), zone
//     names (GMT, CET, CEST), one-digit days, two-digit years, a wrong or
//     Dutch weekday and Dutch month names, and RFC 3339;
//   - links are trimmed, resolved against xml:base or the feed's URL, and
//     rid of utm_ and other tracking parameters; a GUID is the link only
//     when it is an http(s) URL not marked isPermaLink="false" (a Drupal
//     GUID "123 at https://example.org" is an identity, not a link);
//   - the feed's language is kept as it says it ("nl-BE", or a wrong
//     "en-us"), tidied but not trusted: the text's language is decided
//     from the text.
//
// An item's identity ([Item.ID]) is its GUID, else its link, else a hash
// of its title and text; [Item.Hash] tells a changed item.
//
// # Deciding
//
// An item's feed text is its article when [IsWhole]: it has
// [MinArticleWords] words and does not end in a cut mark ([IsCut]: "...",
// "…", "[…]", "Lees verder", "Read more"). Otherwise its link is fetched,
// and [Choose] compares: the page's text is used when it holds more of
// the article than the feed's and is no cookie or subscription wall
// ([DetectWall], on Dutch and English wall wording); when the page holds
// less, is a wall, is disallowed by robots.txt or could not be read, the
// feed's text is used and the item is a teaser ([Choice.Teaser]).
//
// # Remembering
//
// A [State] is what nl2en keeps of a feed between runs, in the feed's
// folder ([StateFile], versioned by [StateVersion]): the ETag and
// Last-Modified for a conditional request, the items seen (ID, GUID,
// link, hash, output name), the URL a 301 moved the feed to, and the
// count of runs in a row that failed ([FailureAlarm]). [State.Plan]
// chooses a run's items: new and changed ones ([State.Status]), newest
// first by date ([Newest]: feeds are not always in date order; undated
// items keep their place), at most a cap; on a feed's first run the
// older items beyond the cap are the archive, recorded as seen and never
// translated; on later runs they wait. [State.Output] names an item's
// outputs, keeping a changed item's name. URLs are redacted in the state
// ([State.Marshal]), and items are matched by their redacted links.
//
// # Writing
//
// [Out] is the English feed: [WriteAtom] writes feed.xml (RFC 4287: feed
// and entry id, title, updated, author, rel="alternate" link) and
// [WriteJSON] feed.json (JSON Feed 1.1); [OutFormats] lists both. Entry
// ids are derived from the source feed and the item's ID ([EntryID]), so
// they are stable; an entry links to its review page and the original,
// carries the source language and the original publication time, and a
// teaser carries a "teaser" category (tag). [Merge] keeps the newest N
// entries across runs, reading the last run's feed.json back with
// [ReadJSON]. [ArticleHTML] renders a translated article as an entry's
// content. Links to the folder's files are relative unless [Out].Prefix
// makes them absolute.
package feed
