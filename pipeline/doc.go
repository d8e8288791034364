// Package pipeline holds the types that flow through nl2en: an [Article]
// split into [Segment]s, the English [Translation] of each, the article's
// [Summary], and the [Usage] of the API that produced them.
//
// The stages live in packages below this one, each taking a
// context.Context first and returning these types:
//
//   - split: bytes of a .txt, .md or .html file → [Article]
//   - translate: [Article] → [Result] through an OpenAI-compatible API
//   - render: [Result] → Markdown and JSON
//
// Packages under pipeline never print and never exit; the command in
// cmd/nl2en decides what reaches the user.
package pipeline
