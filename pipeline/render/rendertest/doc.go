// Package rendertest checks outputs the way their readers would: a JSON
// output against the published JSON Schema ([ValidateJSON]), and a review
// page in a real browser, headless Chromium, at desktop and phone widths
// ([CheckPage]).
//
// It is for tests: its functions take a testing.TB and fail it. It
// imports package render only for the schema and the document type, so
// that a check cannot be bent to fit a renderer.
package rendertest
