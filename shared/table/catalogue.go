package table

import (
	"encoding/json"
	"strconv"
	"strings"

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

// LoadCatalogue parses a catalogue (JSON with "fields" and "messages").
func LoadCatalogue(b []byte) (*Catalogue, error) {
	var c Catalogue
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	return &c, nil
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
