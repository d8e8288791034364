// Package index writes the folder index of a run with an output folder:
// index.jsonl, one line per article (its source, outputs, title, summary,
// status, warnings, tokens and cost), for programs, and index.html, a page
// listing every article newest first with links to its outputs, for
// people.
//
// Both are rewritten whole, atomically, at the end of every run that
// walked a folder, so that they describe the outputs as they are: an
// article skipped as up to date is read back from its JSON output
// ([FromDocument]), or from the stamp of another output ([FromStamp]).
// Their names ([Names]) are never taken for inputs by the walk.
package index
