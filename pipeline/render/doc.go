// Package render writes a translated article ([pipeline.Result]) in each
// output format, and reads back the stamps that say an output is up to
// date.
//
// # Formats
//
// [Formats] is the one list of output formats: each [Format] knows its
// name on the command line, the suffix of its file, how to render, and how
// to read its stamp back (the reader next to the writer). The runner
// renders through it, the output folder's store (package outputs) judges
// outputs by it and asks [IsOutput] so that no output is ever taken for an
// input, and the command checks the formats it is asked for against
// [FormatNames]. [TemplateFormat] adds a user's text/template in
// the Markdown's place.
//
// # Markdown (md, NAME.en.md)
//
// YAML front matter (title, source file, source sha256, model, date, the
// settings fingerprint: the stamp), the English headline, the summary and
// key points, a rule, then the full translation in document order:
// subheadings as "##" headings, captions in italics, embedded posts and
// quotes as block quotes, list items as a list (numbered items with the
// number they have in the source), bylines in italics, a dateline leading
// its paragraph, page furniture kept as an HTML comment, and an image
// (a media segment) as a Markdown image with the English alternative text
// and the source's link. A segment
// that could not be translated (when partial articles are allowed) keeps its Dutch
// text behind an "[untranslated]" mark.
//
// # JSON (json, NAME.en.json)
//
// A [Document] with schema_version [SchemaVersion]: the source (file,
// format, sha256, and the fields of a Markdown article's front matter),
// model and base URL (never the key), the summary, every segment with its
// id, kind, language, status, Dutch source and English text (and a
// numbered list item's number), token usage per request kind, and timings
// in milliseconds; a media segment's link, a kept or failed segment's
// cause, and whether the article was already in English. [Schema] is its
// JSON Schema. Fields are only ever added within a schema version; a
// change of meaning bumps it (version 2 added the media kind).
// [ReadDocument] reads versions [OldestSchemaVersion] to [SchemaVersion];
// a stamp of an older version is [Stamp.Stale], so that an upgrade keeps
// an archive rather than paying for it again.
//
// # Review page (html, NAME.en.html)
//
// [HTML]: one self-contained page (inline CSS, no scripts, nothing
// fetched) with the Dutch and English of each segment side by side, what
// needs a look highlighted; its stamp is in meta elements of its head.
//
// # Bilingual Markdown (bilingual, NAME.nl-en.md)
//
// [Bilingual]: each segment's Dutch as a block quote with its English
// under it, for review in any Markdown viewer or diff tool; its stamp is
// the Markdown's front matter.
package render
