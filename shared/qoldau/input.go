package qoldau

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The domain's range of times. Every time that enters from outside (the API, the
// CLI, an import) is checked where it enters: not before Epoch, the first day of
// 2019 in Almaty (the methodology dates from June 2019 and the working-day calendar
// ships from 2019), and not after the clock (Skew aside). Dates derived from such a
// time (a deadline a few working days on) are then four-digit years that every
// store and view reads back.
var (
	Epoch = time.Date(2019, time.January, 1, 0, 0, 0, 0, time.FixedZone("ALMT", 6*3600))
	// End bounds the clock itself (QOLDAU_NOW): far from the year 9999, where
	// YYYY-MM-DD ends.
	End = time.Date(9000, time.January, 1, 0, 0, 0, 0, time.UTC)
)

// Skew is how far a given time may run ahead of the clock (two machines' clocks a
// little apart).
const Skew = time.Minute

// CheckClock returns an Invalid error unless now is in the domain's range: the
// clock a deployment runs on (QOLDAU_NOW) must be one a given time could be.
func CheckClock(now time.Time) error {
	if now.Before(Epoch) || !now.Before(End) {
		return E(Invalid, texts.Text("clock-range", "{time}", stamp(now), "{year}", strconv.Itoa(End.Year())), nil)
	}
	return nil
}

// CheckTime returns an Invalid error naming field unless t is in the domain's
// range: from Epoch to now (plus Skew).
func CheckTime(field string, t, now time.Time) error {
	switch {
	case t.Before(Epoch):
		return E(Invalid, texts.Text("time-early", "{field}", field, "{time}", stamp(t)), nil)
	case t.After(now.Add(Skew)):
		return E(Invalid, texts.Text("time-future", "{field}", field, "{time}", stamp(t), "{now}", stamp(now)), nil)
	}
	return nil
}

// CheckAfter returns an Invalid error naming field unless t is not before
// earliest, which names what it may not precede (e.g. the letter's draft).
func CheckAfter(field string, t, earliest time.Time, what Text) error {
	if t.Before(earliest) {
		m := texts.Text("time-before", "{field}", field, "{time}", stamp(t), "{earliest}", stamp(earliest))
		// what is itself a text: each language gets its own.
		m.KK = strings.ReplaceAll(m.KK, "{what}", what.KK)
		m.RU = strings.ReplaceAll(m.RU, "{what}", what.RU)
		m.EN = strings.ReplaceAll(m.EN, "{what}", what.EN)
		return E(Invalid, m, nil)
	}
	return nil
}

func stamp(t time.Time) string {
	if y := t.Year(); y < 0 || y > 9999 {
		return fmt.Sprintf("year %d", y)
	}
	return t.UTC().Format(time.RFC3339)
}

// CheckText returns an Invalid error naming field unless s is a line of text a
// store may keep and a person may read: valid UTF-8, no control characters (NUL,
// line breaks, escapes) and at most max bytes. Names, numbers and e-mail addresses
// from requests, the command line and imports all pass through it.
func CheckText(field, s string, max int) error {
	bad := ""
	switch {
	case !utf8.ValidString(s):
		bad = "invalid UTF-8"
	case len(s) > max:
		return E(Invalid, texts.Text("text-long", "{field}", field, "{max}", strconv.Itoa(max)), nil)
	default:
		for _, r := range s {
			if unicode.IsControl(r) || r == utf8.RuneError || r == '\u2028' || r == '\u2029' || isBidiControl(r) {
				bad = fmt.Sprintf("U+%04X", r)
				break
			}
		}
	}
	if bad != "" {
		return E(Invalid, texts.Text("text-control", "{field}", field, "{bad}", bad), nil)
	}
	return nil
}

// isBidiControl reports the bidirectional overrides and isolates, which can make a
// name read as something else.
func isBidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// PrintableText returns s as a line CheckText would pass: invalid UTF-8 and
// control characters become U+FFFD, and it is cut to at most max bytes (on a
// character boundary). For names that come with a file (a file's name), which are
// kept rather than refused.
func PrintableText(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || isBidiControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	for len(s) > max {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}

// ReadOnly returns the error of a data folder the program cannot write to (a
// read-only file system, or no permission for the user it runs as), naming the
// folder when known: the stores answer it instead of a bare "database error".
func ReadOnly(folder string, cause error) *Error {
	where := folder
	if where == "" {
		where = "(data)"
	}
	return E(Internal, texts.Text("read-only-folder", "folder", where), cause)
}

// CleanText trims s and checks it with CheckText.
func CleanText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	return s, CheckText(field, s, max)
}

// CheckStorable returns an Invalid error unless every time and date of a letter's
// sending is one a store writes and reads back (years 1 to 9999, as text): the
// last guard before a write, so a store never keeps what its own views cannot read.
func CheckStorable(s *Sending) error {
	ok := func(t time.Time) bool { y := t.UTC().Year(); return t.IsZero() || y >= 1 && y <= 9999 }
	if y := s.CorrectionDue.Year(); !ok(s.At) || !ok(s.Received) || y < 1 || y > 9999 {
		return Errorf(Invalid, "a letter's sending holds a time out of the range a store keeps")
	}
	return nil
}
