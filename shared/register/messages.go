package register

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
)

//go:embed messages.json
var messagesJSON []byte

var catalogue struct {
	Fields   map[string]qoldau.Text `json:"fields"`
	Messages map[string]qoldau.Text `json:"messages"`
}

func init() {
	if err := json.Unmarshal(messagesJSON, &catalogue); err != nil {
		panic(fmt.Sprintf("register: messages.json: %v", err)) // embedded data, covered by tests
	}
}

// FieldLabel returns the short label of a field in the three languages.
func FieldLabel(key string) qoldau.Text { return catalogue.Fields[key] }

// msgArgs fills a message template.
type msgArgs struct {
	cell   string
	row    int
	field  string // field key
	detail string
}

// message renders the catalogue entry key (falling back to the code before the dot).
func message(key string, a msgArgs) qoldau.Text {
	t, ok := catalogue.Messages[key]
	if !ok {
		if i := strings.IndexByte(key, '.'); i > 0 {
			t, ok = catalogue.Messages[key[:i]]
		}
		if !ok {
			t = qoldau.Text{KK: key, RU: key, EN: key}
		}
	}
	fl := catalogue.Fields[a.field]
	return qoldau.Text{KK: fill(t.KK, fl.KK, a), RU: fill(t.RU, fl.RU, a), EN: fill(t.EN, fl.EN, a)}
}

// fill replaces the placeholders {cell}, {row}, {field} and {detail} of s.
func fill(s, field string, a msgArgs) string {
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
			b.WriteString(a.cell)
		case "row":
			b.WriteString(strconv.Itoa(a.row))
		case "field":
			b.WriteString(field)
		case "detail":
			b.WriteString(a.detail)
		default:
			b.WriteString(s[:j+1])
		}
		s = s[j+1:]
	}
}
