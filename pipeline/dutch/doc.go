// Package dutch holds what nl2en knows of Dutch text, in one place, for
// the stages that read it: the splitter ([github.com/nl2en/nl2en/pipeline/split]),
// the language detector ([github.com/nl2en/nl2en/pipeline/lang]) and the
// checks ([github.com/nl2en/nl2en/pipeline/check]). A rule learnt once
// holds in all three.
//
//   - Sentences: where a Dutch sentence ends ([Sentences]): not after an
//     abbreviation ([IsAbbreviation]: "o.a.", "mr.", "ca.", "nov."),
//     an initial ("H.J. Verbeek") or inside a number ("3.000", "14.30 uur").
//   - Links: what a text copies and never translates, nor writes in a
//     language ([Links], [BlankLinks]): URLs, the targets of Markdown
//     links, @handles and #hashtags.
//   - Names: the particles inside them ([IsParticle], [IsConnector],
//     [IsCapitalParticle]: "van", "de", "of the"), the titles before them,
//     which are not part of them ([IsTitle]: "minister", "Kamerlid",
//     "MP"), and the portfolios after a minister's name, which English
//     translates ([IsPortfolio]: "van Financiën").
//   - Places: every country of ISO 3166-1 and the regions news names,
//     with their Dutch and English names, adjectives and peoples
//     ([PlacesOf], [EnglishPlacesOf]: "Zweedse" is Swedish, "Vlamingen"
//     are Flemings), from the table places.tsv.
//
// Everything here is read-only data and pure functions, safe for
// concurrent use; the table of places is parsed the first time it is
// asked for.
package dutch
