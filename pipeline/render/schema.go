package render

import _ "embed"

// schemaJSON is the JSON Schema of [Document]; a string, so that nothing
// can change it.
//
//go:embed schema.json
var schemaJSON string

// Schema returns the JSON Schema (draft 2020-12) of the JSON output of
// this schema version: every field a [Document] has. The tests validate
// every JSON output against it; "nl2en schema" prints it.
func Schema() string { return schemaJSON }
