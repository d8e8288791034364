// Package translate is the stage that talks to the model: it packs an
// article's segments into batches under a token budget, translates the
// batches in parallel while the summary is written from the Dutch source,
// and checks every reply before it is accepted.
//
// # Wire contract
//
// A translation request's last user message is a JSON object whose
// "segments" array holds {"id", "text"} items; "story" (the article's
// headline and lead, in Dutch, when the batch does not hold them),
// "context" (the Dutch text around the batch), "glossary", "names" (the
// names memory's forms of the names the batch holds) and "style" (the
// house style's lines it may need) may sit beside it. The request asks
// for structured output (response_format json_schema, strict), and the
// reply's content is {"segments": [{"id", "text", "names": [{"nl",
// "en"}]}]}: each segment's English and the names it rendered. Every id
// sent must come back exactly once with non-empty English text; ids that
// do not are sent again in a repair request that names the problem.
//
// # One form per name
//
// Once an article is checked, the names its replies listed are held to
// one English form each (see holdNames and package names): the segments
// that give another are repaired in one request, or warned about.
//
// Article text reaches the model only inside that JSON, never in a system
// prompt or as template source, so an article that says "ignore all
// previous instructions" is translated like any other text.
//
// # Degrading gracefully
//
// Servers without json_schema are asked for json_object, then for plain
// JSON described in the prompt; the first that works is remembered for the
// rest of the run. A batch the model cannot take whole (context length,
// "Request too large", a reply cut off at the length limit, a refusal of
// part of it) is split in two and retried; a single over-long segment is
// split at sentence boundaries.
package translate
