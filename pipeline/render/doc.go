// Package render writes a translated article ([pipeline.Result]) as
// Markdown for people and as versioned JSON for programs.
//
// # Markdown
//
// YAML front matter (title, source file, source sha256, model, date), the
// English headline, the summary and key points, a rule, then the full
// translation in document order: subheadings as "##" headings, captions in
// italics, embedded posts and quotes as block quotes, list items as a list
// (numbered items with the number they have in the source), bylines in
// italics, a dateline leading its paragraph, and page furniture kept as an
// HTML comment. A segment that could not be translated (with
// --allow-partial) keeps its Dutch text behind an "[untranslated]" mark.
//
// # JSON
//
// A [Document] with schema_version [SchemaVersion]: the source (file,
// format, sha256, and the fields of a Markdown article's front matter),
// model and base URL (never the key), the summary, every segment with its
// id, kind, language, status, Dutch source and English text (and a
// numbered list item's number), token usage per request kind, and timings
// in milliseconds. Fields
// are only ever added within a schema version; a change of meaning bumps it.
package render
