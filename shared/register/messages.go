package register

import (
	_ "embed"
	"fmt"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/table"
)

//go:embed messages.json
var messagesJSON []byte

var catalogue = func() *table.Catalogue {
	c, err := table.LoadCatalogue(messagesJSON)
	if err != nil {
		panic(fmt.Sprintf("register: messages.json: %v", err)) // embedded data, covered by tests
	}
	return c
}()

// FieldLabel returns the short label of a field in the three languages.
func FieldLabel(key string) qoldau.Text { return catalogue.Fields[key] }

// msgArgs fill a message template.
type msgArgs struct {
	cell   string
	row    int
	field  string // field key
	detail string
}

// message renders the catalogue entry key (falling back to the code before the dot).
func message(key string, a msgArgs) qoldau.Text {
	return catalogue.Message(key, table.Args{Cell: a.cell, Row: a.row, Field: a.field, Detail: a.detail})
}
