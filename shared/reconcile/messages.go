package reconcile

import (
	_ "embed"
	"fmt"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/table"
)

//go:embed messages.json
var messagesJSON []byte

// catalogue holds the field labels and the finding messages in Kazakh, Russian and
// English.
var catalogue = func() *table.Catalogue {
	c, err := table.LoadCatalogue(messagesJSON)
	if err != nil {
		panic(fmt.Sprintf("reconcile: messages.json: %v", err)) // embedded data, covered by tests
	}
	return c
}()

// message renders the catalogue entry key for the cell and field key given.
func message(key, cell, fieldKey, detail string) qoldau.Text {
	return catalogue.Message(key, table.Args{Cell: cell, Field: fieldKey, Detail: detail})
}
