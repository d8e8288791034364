// Package check judges translations of Dutch news without asking a
// model: whether a reply is a translation at all, what a translation
// lost or got wrong, and whether a summary is about its article and
// states only its facts. The translate stage runs it on every reply and
// every translated article, turns what it finds into a repair request,
// and keeps what remains as warnings.
//
// # Glossary
//
// A [Glossary] maps Dutch spellings to the English forms a translation
// must use: places in Ukraine and Russia as Dutch news writes them
// (Bachmoet → Bakhmut, Loehansk → Luhansk), Dutch institutions (Tweede
// Kamer → House of Representatives) and places with English names (Den
// Haag → The Hague). The built-in list is prompts/glossary.tsv, read with
// [Load]; a user's CSV or TSV is read with [LoadFile] and laid over it with
// [Merge]. [Checker.Terms] returns the entries a text uses, to send with
// it.
//
// # House style and variety of English
//
// A [Style] ([LoadStyle]) is a newsroom's English forms, "prefer<TAB>
// avoid": a translation that writes a form to avoid has a problem, as a
// glossary term without its English form has; [Checker.StyleLines] gives
// the lines a text may need, to send with it. [WithEnglish] makes a
// Checker ask for dates and times the way British or American English
// writes them; it accepts either variety's forms whatever it asks for.
//
// # A Checker
//
// A run makes one [Checker] with its glossary ([NewChecker]) and judges
// in three steps:
//
//   - [Checker.Reject], on every reply as it arrives (and on every
//     translation the cache serves): a reply that is not readable text,
//     the Dutch unchanged, far shorter or longer than a translation can
//     be, or Dutch or another language cannot count as a translation. The
//     [Rejection] carries a [pipeline.Cause], a reason for people and an
//     instruction for the model, kept apart: no output shows what was
//     asked of the model.
//   - [Checker.Article] gathers a translated article; [Article.Check]
//     compares each segment's English with its Dutch: each glossary term
//     and place has its English form; each number, amount, percentage,
//     date and time appears, read in any notation English news uses,
//     British or American ("14.30 uur" as 14:30, 2.30pm or 2:30 p.m.;
//     "1 december 2022" as 1 December 2022 or December 1, 2022), as often
//     as the source gives it; links and handles are kept as they are;
//     names survive (a person's in any transliteration, an institution's
//     or a party's also as its English name, or as the article gave it at
//     its first mention; titles and a minister's portfolio are not part of
//     a name); quotations, counted per segment, are still quotations; a
//     byline or dateline holds no Dutch word. Each [Problem] has a
//     message for people and an instruction for the model.
//   - [Article.ReviewSummary] checks the summary against the whole
//     article, its Dutch and its English: readable English, a headline's
//     length, distinct key points, about the article (its content words
//     the article's, see [MinOverlap]), and every figure and name the
//     article's, as either gives it.
//
// [Checker.Measure] gives cheap [Signals] of a translation: its length
// ratio, and whether it is still Dutch or not English.
//
// False alarms cost a repair request and teach people to ignore
// warnings, so every check leans towards leniency: it reads the
// translation in as many ways as English allows and reports only what
// none of them contains. Correct translations of the sample, of the
// corpus articles (testdata/*.en.json) and of an evaluation set of
// articles written and translated independently (the eval test of
// package translate) raise no problem.
//
// [Version] names the verdicts; the cache keeps it with every entry, so
// that nothing judged by other checks is served unjudged.
//
// Nothing here prints, blocks or keeps state but memos; all methods are
// safe for concurrent use.
package check
