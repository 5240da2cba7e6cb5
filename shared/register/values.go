package register

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/table"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Excel serials accepted in a date column: 1 (1900-01-01) to 73051 (2099-12-31).
const (
	minSerial = 1
	maxSerial = 73051
)

// dateProblem says why a date cell did not parse: "date", "year2" or "excel-error".
type dateProblem string

// parseDate reads a date cell: an Excel date or number serial, an ISO t="d" cell, or
// text in DD.MM.YYYY, D.M.YYYY, YYYY-MM-DD or DD/MM/YYYY (an optional time after it).
func parseDate(c *xlsx.Cell, v string, date1904 bool) (civil.Date, dateProblem) {
	switch c.Type {
	case xlsx.Number:
		return serialDate(v, date1904)
	case xlsx.ErrorValue:
		return 0, "excel-error"
	case xlsx.Bool:
		return 0, "date"
	case xlsx.DateISO:
		if d, ok := isoDate(v); ok {
			return d, ""
		}
		return 0, "date"
	}
	// Text. A bare number is a serial (1C exports dates without a date format; a CSV
	// has only text).
	if v != "" && table.AllDigits(v) && len(v) <= 5 {
		return serialDate(v, date1904)
	}
	// Cut a time part: "01.09.2026 0:00:00", "2026-09-01T00:00:00".
	if i := strings.IndexAny(v, " T"); i >= 8 {
		v = v[:i]
	}
	if d, ok := isoDate(v); ok {
		return d, ""
	}
	sep := byte(0)
	for i := 0; i < len(v); i++ {
		if v[i] == '.' || v[i] == '/' {
			sep = v[i]
			break
		}
	}
	if sep == 0 {
		return 0, "date"
	}
	parts := strings.Split(v, string(sep))
	if len(parts) != 3 || !table.AllDigits(parts[0]) || !table.AllDigits(parts[1]) || !table.AllDigits(parts[2]) ||
		len(parts[0]) > 2 || len(parts[1]) > 2 || parts[0] == "" || parts[1] == "" {
		return 0, "date"
	}
	if len(parts[2]) == 2 {
		return 0, "year2"
	}
	if len(parts[2]) != 4 {
		return 0, "date"
	}
	d, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	y, _ := strconv.Atoi(parts[2])
	if !civil.Valid(y, time.Month(m), d) {
		return 0, "date"
	}
	return civil.D(y, time.Month(m), d), ""
}

func isoDate(v string) (civil.Date, bool) {
	if len(v) > 10 && (v[10] == 'T' || v[10] == ' ') {
		v = v[:10]
	}
	if len(v) != 10 || v[4] != '-' || v[7] != '-' || !table.AllDigits(v[:4]) || !table.AllDigits(v[5:7]) || !table.AllDigits(v[8:]) {
		return 0, false
	}
	y, _ := strconv.Atoi(v[:4])
	m, _ := strconv.Atoi(v[5:7])
	d, _ := strconv.Atoi(v[8:])
	if !civil.Valid(y, time.Month(m), d) {
		return 0, false
	}
	return civil.D(y, time.Month(m), d), true
}

func serialDate(v string, date1904 bool) (civil.Date, dateProblem) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) {
		return 0, "date"
	}
	n := int(math.Floor(f))
	if n < minSerial || n > maxSerial {
		return 0, "date"
	}
	d, ok := civil.FromExcel(n, date1904)
	if !ok {
		return 0, "date"
	}
	return d, ""
}

// parseWhole reads a whole number: an Excel number without a fraction, or digits.
func parseWhole(c *xlsx.Cell, v string) (int, bool) {
	if c.Type == xlsx.Number {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
			return 0, false
		}
		return int(f), true
	}
	if c.Type != xlsx.String || !table.AllDigits(v) || len(v) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

var (
	yesWords = map[string]bool{"иә": true, "ия": true, "да": true, "yes": true, "1": true, "true": true, "истина": true, "бар": true, "есть": true}
	noWords  = map[string]bool{"жоқ": true, "жок": true, "нет": true, "no": true, "0": true, "false": true, "ложь": true}
	// Disability groups count as yes.
	groupWords = map[string]bool{"i": true, "ii": true, "iii": true, "1": true, "2": true, "3": true,
		"1 группа": true, "2 группа": true, "3 группа": true, "i группа": true, "ii группа": true, "iii группа": true,
		"группа 1": true, "группа 2": true, "группа 3": true, "группа i": true, "группа ii": true, "группа iii": true,
		"1 топ": true, "2 топ": true, "3 топ": true, "i топ": true, "ii топ": true, "iii топ": true,
		"1 топтағы": true, "2 топтағы": true, "3 топтағы": true,
		"group 1": true, "group 2": true, "group 3": true, "group i": true, "group ii": true, "group iii": true,
		"1 group": true, "2 group": true, "3 group": true}
	maleWords   = map[string]bool{"ер": true, "еркек": true, "е": true, "м": true, "муж": true, "мужской": true, "male": true, "m": true}
	femaleWords = map[string]bool{"әйел": true, "ә": true, "ж": true, "жен": true, "женский": true, "female": true, "f": true}
	onlineWords = map[string]bool{"online": true, "онлайн": true}
	offlineWord = map[string]bool{"offline": true, "офлайн": true, "оффлайн": true}
)

// parseYesNo reads a yes/no cell; groups (disability) count as yes when allowGroup.
func parseYesNo(v string, allowGroup bool) (yes, ok bool) {
	n := refdata.Norm(v)
	switch {
	case n == "1" || yesWords[n]:
		return true, true
	case noWords[n]:
		return false, true
	case allowGroup && groupWords[n]:
		return true, true
	}
	return false, false
}

// parseGender reads a gender cell.
func parseGender(v string) (string, bool) {
	n := refdata.Norm(v)
	switch {
	case maleWords[n]:
		return "male", true
	case femaleWords[n]:
		return "female", true
	}
	return "", false
}

// parseChannel reads the optional channel cell.
func parseChannel(v string) (online, ok bool) {
	n := refdata.Norm(v)
	switch {
	case onlineWords[n]:
		return true, true
	case offlineWord[n]:
		return false, true
	}
	return false, false
}

// normPhone keeps the digits of a phone and gives +7XXXXXXXXXX, or ok=false.
func normPhone(v string) (string, bool) {
	var buf [24]byte
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(buf) {
				return "", false
			}
			buf[n] = c
			n++
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '+' || c == '.' || c == '\t':
		case c == 0xc2 && i+1 < len(v) && v[i+1] == 0xa0: // a no-break space
			i++
		default:
			return "", false
		}
	}
	d := buf[:n]
	switch {
	case n == 11 && (d[0] == '8' || d[0] == '7'):
		d = d[1:]
	case n == 10:
	default:
		return "", false
	}
	return "+7" + string(d), true
}

// mobileOK reports whether a normalised +7XXXXXXXXXX number has a Kazakh mobile code.
func mobileOK(ref *refdata.Set, p string) bool { return ref.MobileCode(p[2:5]) }

// emailOK checks the rule (docs/rules.md, "Value formats"): one @, a dot in the domain,
// no spaces, at most 254 characters.
func emailOK(v string) bool {
	if len(v) > 254 || strings.ContainsAny(v, " \t\r\n\u00a0") {
		return false
	}
	at := strings.IndexByte(v, '@')
	if at <= 0 || strings.Count(v, "@") != 1 {
		return false
	}
	dom := v[at+1:]
	dot := strings.IndexByte(dom, '.')
	return dot > 0 && dot < len(dom)-1 && !strings.HasSuffix(dom, ".") && !strings.Contains(dom, "..")
}

// nameOK checks a person name: Cyrillic or Latin letters, spaces, hyphens and
// apostrophes; at least two words.
func nameOK(v string) bool {
	words, inWord, letters := 0, false, 0
	for _, r := range v {
		switch {
		case r == ' ' || r == '\u00a0' || r == '\t':
			inWord = false
		case r == '-' || r == '\'' || r == '’' || r == 'ʼ' || r == '`' || r == '‘':
			if !inWord {
				inWord = true
				words++
			}
		case unicode.IsLetter(r) && (unicode.Is(unicode.Cyrillic, r) || unicode.Is(unicode.Latin, r)):
			letters++
			if !inWord {
				inWord = true
				words++
			}
		default:
			return false
		}
	}
	return words >= 2 && letters >= 2
}

// okedCode checks an OKED code (2 to 5 digits, dots after the 2nd and 4th digits
// allowed) and returns its division.
func okedCode(v string) (div int, ok bool) {
	digits := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && (digits == 2 || digits == 4) && i+1 < len(v) && v[i-1] != '.':
		default:
			return 0, false
		}
	}
	if digits < 2 || digits > 5 {
		return 0, false
	}
	return int(v[0]-'0')*10 + int(v[1]-'0'), true
}

// ClientNameKey normalises a person's name for the client key (docs/rules.md, "Client
// identity"): NFC, upper case, Ё→Е, Latin look-alikes → Cyrillic where the name has any
// Cyrillic letter, only letters and single spaces kept.
func ClientNameKey(name string) string {
	name = nfc(name)
	hasCyr := false
	for _, r := range name {
		if unicode.Is(unicode.Cyrillic, r) {
			hasCyr = true
			break
		}
	}
	var b strings.Builder
	b.Grow(len(name))
	space := false
	for _, r := range name {
		switch {
		case unicode.IsLetter(r):
			r = unicode.ToUpper(r)
			if r == 'Ё' {
				r = 'Е'
			}
			if hasCyr {
				r = latinToCyr(r)
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '\u00a0':
			space = true
		}
	}
	return b.String()
}

func latinToCyr(r rune) rune {
	switch r {
	case 'A':
		return 'А'
	case 'B':
		return 'В'
	case 'C':
		return 'С'
	case 'E':
		return 'Е'
	case 'H':
		return 'Н'
	case 'I':
		return 'І'
	case 'K':
		return 'К'
	case 'M':
		return 'М'
	case 'O':
		return 'О'
	case 'P':
		return 'Р'
	case 'T':
		return 'Т'
	case 'X':
		return 'Х'
	case 'Y':
		return 'У'
	}
	return r
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
