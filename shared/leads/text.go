package leads

import (
	"embed"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
)

//go:embed messages.json
var messagesFS embed.FS

// catalogue holds the leads' texts in Kazakh, Russian and English.
var catalogue = i18n.MustLoad(messagesFS, "messages.json")

// Text returns the catalogue text of key ("kind.spike", "col.row", …), the key
// itself when the catalogue has none.
func Text(key string) qoldau.Text {
	if t, ok := catalogue.Lookup(key); ok {
		return t
	}
	return qoldau.Text{KK: key, RU: key, EN: key}
}

// loc renders names, numbers and dates in one language.
type loc struct {
	lang                    string
	region, place, service  map[string]string
	decimalComma, percentSp bool
}

func newLoc(lang string, ref *refdata.Set) *loc {
	l := &loc{lang: lang, region: map[string]string{}, place: map[string]string{}, service: map[string]string{},
		decimalComma: lang != "en", percentSp: lang != "en"}
	for _, x := range ref.Regions() {
		l.region[x.Code] = x.Label.In(lang)
	}
	for _, x := range ref.Places() {
		l.place[x.Code] = x.Label.In(lang)
	}
	for _, x := range ref.Services() {
		l.service[x.Code] = x.Label.In(lang)
	}
	return l
}

// fill renders the catalogue text key with the {name} placeholders of args.
func (l *loc) fill(key string, args map[string]string) string {
	s := Text(key).In(l.lang)
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		if v, ok := args[s[i+1:i+j]]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

func labelOr(m map[string]string, code string) string {
	if v, ok := m[code]; ok && v != "" {
		return v
	}
	return code
}

// centre names a centre: its place type, its name (or settlement), its region.
func (l *loc) centre(s Subject) string {
	out := labelOr(l.place, s.Place)
	if s.Centre != "" {
		out += " " + s.Centre
	}
	if s.Region != "" {
		out += ", " + labelOr(l.region, s.Region)
	}
	return out
}

func (l *loc) date(d civil.Date) string { return d.DMY() }

func (l *loc) num(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if x != float64(int64(x)) {
		s = strconv.FormatFloat(x, 'f', 1, 64)
	}
	if l.decimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func (l *loc) share(x float64) string {
	s := strconv.FormatFloat(100*x, 'f', 1, 64)
	if l.decimalComma {
		s = strings.Replace(s, ".", ",", 1)
	}
	if l.percentSp {
		return s + " %"
	}
	return s + "%"
}

// maskName reduces a name to its initials: "Ахметов Ержан" → "А. Е.".
func maskName(name string) string {
	var parts []string
	for _, w := range strings.Fields(name) {
		r := []rune(w)
		parts = append(parts, string(r[:1])+".")
	}
	return strings.Join(parts, " ")
}

// maskIIN keeps an IIN's or BIN's last four digits.
func maskIIN(s string) string {
	if len(s) <= 4 {
		return strings.Repeat("*", len(s))
	}
	return strings.Repeat("*", len(s)-4) + s[len(s)-4:]
}

// binString writes the twelve digits of a BIN/IIN kept as a number.
func binString(n uint64) string {
	s := strconv.FormatUint(n, 10)
	return strings.Repeat("0", 12-len(s)) + s
}

// phoneString writes a mobile kept as ten digits as +7XXXXXXXXXX.
func phoneString(n uint64) string {
	s := strconv.FormatUint(n, 10)
	return "+7" + strings.Repeat("0", 10-len(s)) + s
}
