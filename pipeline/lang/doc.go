// Package lang tells what language a piece of text is in: Dutch,
// English, another language, or too little to tell. The split stage asks
// it about every segment, to find what is already English and can be
// passed through untranslated; the check stage asks it whether a
// translation is still Dutch, or not English at all.
//
// # Evidence
//
// [Detect] weighs two kinds of evidence. The first is words: the frequent
// words of Dutch ("het", "wordt", "volgens"), of English ("the", "which",
// "would") and of German, French, Spanish, Italian and Portuguese, and
// Dutch spelling (ij, aa, oe, uu, sch, "ge…d"). A word as frequent in
// Dutch as in English ("die", "met", "we", "been") tells neither, and
// neither does a word inside a hyphenated compound ("all-in"). The second
// is the text's character trigrams, ranked against small profiles of
// each language (github.com/abadojack/whatlanggo); they matter for short
// texts, and are not computed when the words alone leave no doubt. Both
// become log-odds, and the log-odds a probability for each language
// ([Result.Prob]); with no evidence at all, every language is as likely.
//
// Names, links, handles, numbers and a post's signature say nothing about
// the language and are set aside first: "What a finish at De Kuip!" is
// judged on "What a finish at". A name is a capitalised word that does
// not open a sentence or a quotation, a word in capitals, the particle
// before a name ("van" in "Mees van Leeuwen"), and English words inside
// or opening one ("Institute for the Study of War", "The Guardian"), so
// that English names do not make Dutch text look English.
//
// # Counts
//
// [Count] does the first half alone: [Counts] says what a text is made
// of (letters, words, names, numbers, links, words in a script other
// than Latin) and how many of its words are Dutch, English or another
// language's. [Counts.ReadsDutch] is the cheap test the check stage uses
// on translations.
//
// # Cost
//
// Nothing is loaded at start: the word lists and trigram profiles are
// under half a megabyte of the binary, and a paragraph takes tens of
// microseconds. Nothing keeps state; all functions are safe for
// concurrent use.
package lang
