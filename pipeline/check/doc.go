// Package check finds what a translation of a Dutch news segment lost or
// got wrong, without asking a model: glossary terms, numbers, names and
// quotations, and cheap signals of output that is not a translation at
// all. The translate stage runs it on every segment, turns what it finds
// into a repair request, and keeps what remains as the segment's
// warnings.
//
// # Glossary
//
// A [Glossary] maps Dutch spellings to the English forms a translation
// must use: places in Ukraine and Russia as Dutch news writes them
// (Bachmoet → Bakhmut, Loehansk → Luhansk), Dutch institutions (Tweede
// Kamer → House of Representatives) and places with English names (Den
// Haag → The Hague). The built-in list is prompts/glossary.tsv, read with
// [Load]; a user's CSV or TSV is read with [LoadFile] and laid over it with
// [Merge]. [Glossary.Matching] returns the entries a text uses, to send
// with the segment; terms match in compounds ("Loehansk-regio") and with a
// genitive s ("Ruslands").
//
// # Checks
//
// [Check] compares a source segment with its translation:
//
//   - each glossary term in the source has its English form in the
//     translation ([Entry.RenderedIn]);
//   - each number, amount, percentage, date and time in the source
//     appears in the translation, compared by value, so that "80 duizend"
//     is met by 80,000, 80 000 or eighty thousand and "14.30 uur" by
//     14:30 or 2.30pm, while "80.000" (Dutch notation left in) is not;
//   - each capitalised name of two or more words in the source appears in
//     the translation, allowing for English transliteration (Kovaltsjoek,
//     Kovalchuk) and for Dutch words inside names that English translates
//     (Nationale Garde, National Guard);
//   - the source's quotations are still quotations.
//
// False alarms cost a repair request and teach users to ignore warnings,
// so every check leans towards leniency: it reads the translation in as
// many ways as English allows and reports only what none of them
// contains. Correct translations of the sample article and of the corpus
// articles (testdata/*.en.json) raise no problem.
//
// # Signals
//
// [Measure] returns [Signals]: the length ratio of translation to source,
// and whether the output is still Dutch or not English. Both come from
// the word counts of [github.com/nl2en/nl2en/pipeline/lang], the detector
// the split stage uses too: Dutch function words clearly outnumbering
// English ones, most words in another script, or German, French, Spanish,
// Italian or Portuguese function words outnumbering English ones.
// [LooksDutch] is the first, also used to spot segments the model
// returned untranslated.
//
// Nothing here prints, blocks or keeps state; all functions are safe for
// concurrent use.
package check
