package table

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Trim removes spaces, including no-break spaces and a stray BOM, around s.
func Trim(s string) string {
	if s == "" {
		return s
	}
	if s[0] > ' ' && s[len(s)-1] > ' ' && s[0] < 0x80 && s[len(s)-1] < 0x80 {
		return s
	}
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\ufeff' })
}

// AllDigits reports whether s is a non-empty run of ASCII digits.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NumberDigits returns the digits of a whole number cell's text ("1.2E+11" →
// "120000000000"), or the text unchanged when it is not one.
func NumberDigits(v string) string {
	if AllDigits(v) {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != math.Trunc(f) || f > 1e15 {
		return v
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}

// StripSpaces removes every space (and no-break space) from s.
func StripSpaces(s string) string {
	if !strings.ContainsAny(s, " \t\u00a0") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}

// OneLine folds s to one line of at most 60 characters.
func OneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return s
}

// ColIndex returns the 0-based index of a column letter ("A" → 0), -1 for "".
func ColIndex(s string) int {
	if s == "" {
		return -1
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*26 + int(s[i]-'A'+1)
	}
	return n - 1
}
