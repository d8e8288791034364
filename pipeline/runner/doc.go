// Package runner translates many articles in one run: it walks the inputs
// as a stream, skips articles whose outputs are up to date, translates the
// rest with a bounded number of articles in flight (the requests of all of
// them share one scheduler, set up by the caller in the Translator), and
// adds up a [Report]. Where outputs go, whether they are up to date, and
// writing them are the output folder's store's (package outputs): an
// article is done only once the store has committed every one of its
// outputs, and a run with an output folder that wrote one merges its
// articles into the folder index through the store.
//
// Articles need not be files: a run takes articles prepared before it
// ([Prepared]: pages and feed items fetched from the web, split, with
// the digest of their text) beside its inputs, and a feed run adds how
// each feed went to the report ([FeedReport]).
//
// A run never stops for one bad article: it is reported and the rest go
// on. It does stop, early, for errors every further article would hit too
// (a rejected key, an unreachable server, an unknown model, no quota), and
// when its context ends.
package runner
