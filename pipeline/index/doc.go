// Package index renders the folder index of an output folder:
// index.jsonl, one line per article (its source, outputs, title, summary,
// status, warnings, tokens and cost), for programs, and index.html, a page
// listing every article newest first with links to its outputs, for
// people.
//
// [Render] makes both from a list of entries; package outputs, which owns
// the output folder, merges a run's entries into those already there and
// writes both files whole and atomically, at the end of every run with an
// output folder that wrote an output. An article skipped as up to date is
// read back from its JSON output ([FromDocument]), or from the stamp of
// another output ([FromStamp]). Their names ([Names]) are never taken for
// inputs.
package index
