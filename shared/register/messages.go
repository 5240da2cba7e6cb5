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
	fill := func(s, field string) string {
		if !strings.Contains(s, "{") {
			return s
		}
		return strings.NewReplacer("{cell}", a.cell, "{row}", strconv.Itoa(a.row),
			"{field}", field, "{detail}", a.detail).Replace(s)
	}
	return qoldau.Text{KK: fill(t.KK, fl.KK), RU: fill(t.RU, fl.RU), EN: fill(t.EN, fl.EN)}
}
