package feed

import (
	"regexp"
	"strings"
	"time"
)

// zones are the time-zone names feeds write instead of an offset. Go's
// time.Parse would read an unknown one ("CEST") as UTC, an hour or two
// off; these are read by their offset.
var zones = map[string]string{
	"GMT": "+0000", "UT": "+0000", "UTC": "+0000", "Z": "+0000", "WET": "+0000",
	"BST": "+0100", "CET": "+0100", "MET": "+0100", "WEST": "+0100",
	"CEST": "+0200", "MEST": "+0200", "EET": "+0200", "EEST": "+0300",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
}

// dutchMonths are month names Dutch and Flemish CMSs put into dates
// that should be in English.
var dutchMonths = strings.NewReplacer(
	"januari", "Jan", "februari", "Feb", "maart", "Mar", "april", "Apr", "juni", "Jun",
	"juli", "Jul", "augustus", "Aug", "september", "Sep", "oktober", "Oct", "november", "Nov",
	"december", "Dec", "mrt", "Mar", "mei", "May", "okt", "Oct", "sept", "Sep",
)

var (
	weekday    = regexp.MustCompile(`(?i)^(mon|monday|tue|tues|tuesday|wed|wednesday|thu|thur|thurs|thursday|fri|friday|sat|saturday|sun|sunday|ma|maandag|di|dinsdag|wo|woensdag|do|donderdag|vr|vrijdag|za|zaterdag|zo|zondag)\.?,?\s+`)
	colonZone  = regexp.MustCompile(`([+-]\d\d):(\d\d)$`)
	trailingTZ = regexp.MustCompile(`\s*\(?([A-Za-z]{1,5})\)?$`)
)

var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

var mailLayouts = []string{
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 06 15:04 -0700",
	"2 January 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05.000 -0700",
	"Jan 2 2006 15:04:05 -0700",
	"Jan 2, 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006 15:04",
	"2 Jan 2006",
	"2-1-2006 15:04:05",
	"2-1-2006 15:04",
	"2-1-2006",
	"2/1/2006 15:04:05",
	"2/1/2006",
}

// parseDate reads the dates feeds write: RFC 822 and 1123 (with or
// without the weekday, one-digit days, two-digit years, offsets such as
// +0100 and +02:00, zone names such as GMT and CEST, Dutch month names),
// RFC 3339 and ISO 8601 in their common forms, and Dutch day-month-year.
// A date without a zone is taken as UTC. It returns the zero time when
// it cannot read the date.
func parseDate(s string) time.Time {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}
	}
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t
		}
	}
	m := weekday.ReplaceAllString(s, "")
	m = dutchMonths.Replace(strings.ToLower(m))
	m = colonZone.ReplaceAllString(m, "$1$2")
	if loc := trailingTZ.FindStringSubmatchIndex(m); loc != nil {
		name := strings.ToUpper(m[loc[2]:loc[3]])
		if off, ok := zones[name]; ok {
			m = m[:loc[0]] + " " + off
		}
	}
	for _, l := range mailLayouts {
		if t, err := time.Parse(l, m); err == nil {
			return t
		}
	}
	return time.Time{}
}
