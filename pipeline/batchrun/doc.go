// Package batchrun translates articles through OpenAI's Batch API: it
// plans the articles a live run would translate, submits their requests as
// batches (package batchapi does the uploading and the bookkeeping), and
// later finishes every article whose replies are all back, exactly as the
// live path finishes them.
//
// # Custom ids
//
// Each request of a batch carries a custom id that names its article and
// what it asks for ([ID]):
//
//	<first 16 hex digits of the article's sha256>|<root>|<path under root>|<request>
//
// where the request is "summary", or "FIRST-LAST": the ids of the first
// and the last unit of a translation batch (such as "s3-s9", or "s2.1-s2.12"
// for the pieces of a long paragraph). Both ends are unit ids as
// translate.Translator.UnitIDs gives them, which depend only on the article's
// text and the token budget, so the range is resolved against the article
// when its replies are collected, whatever the cache held at either time.
// A range that no longer resolves (the source was edited, the budget
// changed) is not used: its units go live.
//
// Everything about the ids is in this package: [NewID] builds one from a
// translate.Planned request, [ParseID] reads one back, and [Session.Collect]
// resolves ranges and hands the replies to the runner, which requires its
// translator to take them.
//
// # Settings
//
// A submit records with each batch the settings that shaped its requests
// ([Recorded]); [Adopt] lays them over a collect's, which may change only
// the outputs asked for. A submit with other settings while batches are in
// flight is refused.
//
// # Bookkeeping
//
// Articles are written through the output folder's store (package
// outputs), as the live path writes them, and a batch is marked collected,
// its files deleted, only from what the store committed: once each of its
// articles is written, in this collect or in one cut short (its outputs
// are up to date and newer than the batch), or failed, or left for the
// next submit, or changed since it was submitted. The state is saved
// before the files are deleted. A dry run's session sends nothing that
// creates or costs anything and writes nothing.
package batchrun
