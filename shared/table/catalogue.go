package table

import (
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Catalogue holds the field labels and finding messages of a kind of table in
// Kazakh, Russian and English. A message may hold the placeholders {cell}, {row},
// {field} (the field's label in that language) and {detail}; a key "code.variant"
// falls back to "code".
type Catalogue struct {
	Fields   map[string]qoldau.Text `json:"fields"`
	Messages map[string]qoldau.Text `json:"messages"`
}

// CatalogueOf reads a table kind's catalogue from its package's messages.json
// (shared/i18n): the groups "fields" and "messages".
func CatalogueOf(c *i18n.Catalogue) *Catalogue {
	out := &Catalogue{Fields: map[string]qoldau.Text{}, Messages: map[string]qoldau.Text{}}
	for _, k := range c.Keys() {
		group, name, _ := strings.Cut(k, ".")
		switch group {
		case "fields":
			out.Fields[name] = c.Text(k)
		case "messages":
			out.Messages[name] = c.Text(k)
		}
	}
	return out
}

// Args fill a message's placeholders.
type Args struct {
	Cell   string
	Row    int
	Field  string // the field's key; {field} becomes its label
	Detail string
}

// Message renders the message key with args.
func (c *Catalogue) Message(key string, a Args) qoldau.Text {
	t, ok := c.Messages[key]
	if !ok {
		if i := strings.IndexByte(key, '.'); i > 0 {
			t, ok = c.Messages[key[:i]]
		}
		if !ok {
			t = qoldau.Text{KK: key, RU: key, EN: key}
		}
	}
	fl := c.Fields[a.Field]
	return qoldau.Text{KK: fill(t.KK, fl.KK, a), RU: fill(t.RU, fl.RU, a), EN: fill(t.EN, fl.EN, a)}
}

// fill replaces the placeholders of s.
func fill(s, field string, a Args) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 32)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexByte(s, '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		switch s[1:j] {
		case "cell":
			b.WriteString(a.Cell)
		case "row":
			b.WriteString(strconv.Itoa(a.Row))
		case "field":
			b.WriteString(field)
		case "detail":
			b.WriteString(a.Detail)
		default:
			b.WriteString(s[:j+1])
		}
		s = s[j+1:]
	}
}
