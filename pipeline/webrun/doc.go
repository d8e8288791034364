// Package webrun brings articles from the web into a run: the address of
// a page given to `nl2en translate`, and the new and changed items of the
// feeds given to `nl2en feed`. It fetches (package fetch), decides what to
// translate (package feed), extracts the article (package split) and
// hands the articles to the run of a job (package job), whose runner
// translates them as it translates files, under the same lock, budget,
// dry run, report and index. What it writes, it writes through the
// run's store (package outputs).
//
// # Pages
//
// [Translate] runs over a translate command's inputs: files go to the
// runner as they are; each address is fetched once as an article page
// (robots.txt honoured), its article extracted as any HTML input's, and
// its outputs named by [slug.Unique] (the last path segment of the final
// URL, else the title, with a short hash of the URL when another
// article's outputs hold the name), under the output folder or in the
// current folder. The source digest stamped into the outputs is that of
// the extracted text ([Digest]), so a page whose markup changes around an
// unchanged article stays up to date.
//
// # Feeds
//
// [Feeds] is one nightly run over feeds. Each feed has a folder under the
// output folder, found by the state file that answers to the feed's URL
// (so a feed that moved keeps its folder), else named from the URL
// ([slug.Folder]). The feed is fetched with its last validators: a 304
// costs nothing more. Its new and changed items, newest first and at most
// [Options].MaxItems, are each made an article: the feed's text when it
// is the whole article ([feed.IsWhole]), else the page behind the link
// unless that holds less, is a wall or is disallowed, when the feed's
// text is used and the item is a teaser ([feed.Choose]). On a feed's
// first run the older items beyond the cap are recorded, never
// translated. An item is recorded in the feed's state only once its
// outputs are written; the feed's validators are kept only when every
// item it offered was dealt with, so that an item left over (a failure,
// the cost cap, the item cap) is looked at again by the next run. The
// English feed (feed.xml, feed.json) is rebuilt from the items written
// and the entries of earlier runs, and written when it changed.
package webrun
