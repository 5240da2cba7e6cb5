package refdata

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Norm returns s normalised for matching (docs/rules.md, "Columns"): lower case, `ё`
// read as `е`, every run of spaces, punctuation, symbols and line breaks folded to one
// space, and the result trimmed. Invisible format characters (soft hyphen, zero-width
// space, byte order mark) are dropped; text in decomposed Unicode form is composed
// (NFC) first. Letters, digits and combining marks are kept, so Kazakh letters stay as
// they are (`қ` does not match `к`).
//
// Norm runs several times for every row of large registers: ASCII text takes a fast
// path, and text that is already normal is returned without allocating.
func Norm(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return normUnicode(s)
		}
	}
	return normASCII(s)
}

// isNormASCII reports whether the ASCII string s is already normal: lower-case
// letters and digits, words separated by single spaces, no space at either end.
func isNormASCII(s string) bool {
	space := true // a space here would be leading or doubled
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
			space = false
		case c == ' ' && !space:
			space = true
		default:
			return false
		}
	}
	return !space || s == ""
}

func normASCII(s string) string {
	if isNormASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			if gap && b.Len() > 0 {
				b.WriteByte(' ')
			}
			gap = false
			b.WriteByte(c)
			continue
		}
		gap = true
	}
	return b.String()
}

func normUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	gap, composed := false, false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		i += size
		switch {
		case r < utf8.RuneSelf:
			c := byte(r)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
				if gap && b.Len() > 0 {
					b.WriteByte(' ')
				}
				gap = false
				b.WriteByte(c)
				continue
			}
			gap = true
			continue
		case 0x0400 <= r && r <= 0x04ff && (r < 0x0482 || r > 0x0489):
			// Cyrillic letters (Russian and Kazakh), the common case.
			switch {
			case r < 0x0410:
				r += 0x50
			case r < 0x0430:
				r += 0x20
			case r >= 0x0460:
				r = unicode.ToLower(r)
			}
			if r == 'ё' {
				r = 'е'
			}
		case unicode.IsMark(r):
			if !composed {
				// Decomposed text (a letter followed by combining marks): compose
				// it and start over.
				composed = true
				if c := norm.NFC.String(s); c != s {
					s, i, gap = c, 0, false
					b.Reset()
					b.Grow(len(s))
					continue
				}
			}
		case unicode.IsLetter(r) || unicode.IsNumber(r):
			r = unicode.ToLower(r)
			if r == 'ё' {
				r = 'е'
			}
		case unicode.Is(unicode.Cf, r):
			// Invisible: neither part of a word nor a separator.
			continue
		default:
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
	}
	return b.String()
}

// isWord reports whether r is kept by Norm: a letter, a number or a combining mark.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// isInvisible reports whether Norm drops r without a trace.
func isInvisible(r rune) bool {
	return r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r)
}

// afterWords returns what follows the first n words of s, as Norm counts words
// (runs of letters, numbers and marks; invisible characters ignored). It returns ""
// when s has no more than n words.
func afterWords(s string, n int) string {
	words, in := 0, false
	for i, r := range s {
		switch {
		case isInvisible(r):
		case isWord(r):
			if !in {
				if words == n {
					return s[i:]
				}
				words++
				in = true
			}
		default:
			if in && words == n {
				return s[i:]
			}
			in = false
		}
	}
	return ""
}
