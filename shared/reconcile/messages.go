package reconcile

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
)

//go:embed messages.json
var messagesJSON []byte

// catalogue holds the field labels and the finding messages in Kazakh, Russian and
// English. A message may hold the placeholders {cell}, {field} (the field's label)
// and {detail}.
var catalogue struct {
	Fields   map[string]qoldau.Text `json:"fields"`
	Messages map[string]qoldau.Text `json:"messages"`
}

func init() {
	if err := json.Unmarshal(messagesJSON, &catalogue); err != nil {
		panic(fmt.Sprintf("reconcile: messages.json: %v", err)) // embedded data, covered by tests
	}
}

// message renders the catalogue entry key (falling back to the code before the dot)
// for the cell and field key given.
func message(key, cell, fieldKey, detail string) qoldau.Text {
	t, ok := catalogue.Messages[key]
	if !ok {
		if i := strings.IndexByte(key, '.'); i > 0 {
			t, ok = catalogue.Messages[key[:i]]
		}
		if !ok {
			t = qoldau.Text{KK: key, RU: key, EN: key}
		}
	}
	fl := catalogue.Fields[fieldKey]
	fill := func(s, label string) string {
		return strings.NewReplacer("{cell}", cell, "{field}", label, "{detail}", detail).Replace(s)
	}
	return qoldau.Text{KK: fill(t.KK, fl.KK), RU: fill(t.RU, fl.RU), EN: fill(t.EN, fl.EN)}
}
