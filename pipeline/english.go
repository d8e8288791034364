package pipeline

import "strings"

// English is the variety of English a translation is written in: its
// spelling, and the way it writes dates and times ("1 December 2022",
// "7.15am" in British English; "December 1, 2022", "7:15 a.m." in
// American English). The checks accept either variety's forms; the
// prompts ask for one, and a check that finds a figure missing asks for
// it in that one's form.
type English string

const (
	EnglishGB English = "gb" // British English, the default
	EnglishUS English = "us" // American English
)

// Englishes lists every variety, the default first.
var Englishes = []English{EnglishGB, EnglishUS}

// ParseEnglish reads a variety as a user names it: "gb" or "us", in any
// case, or the language tags "en-GB" and "en-US". ok is false for
// anything else.
func ParseEnglish(s string) (e English, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "gb", "en-gb", "uk":
		return EnglishGB, true
	case "us", "en-us":
		return EnglishUS, true
	}
	return "", false
}

// Or returns e, or EnglishGB when e is unset.
func (e English) Or() English {
	if e == "" {
		return EnglishGB
	}
	return e
}

// Tag is the variety's BCP 47 language tag: "en-GB" or "en-US".
func (e English) Tag() string {
	if e.Or() == EnglishUS {
		return "en-US"
	}
	return "en-GB"
}

// Name is the variety's name in English: "British English".
func (e English) Name() string {
	if e.Or() == EnglishUS {
		return "American English"
	}
	return "British English"
}
