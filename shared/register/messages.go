package register

import (
	"embed"

	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/table"
)

//go:embed messages.json
var messagesFS embed.FS

// catalogue holds the field labels and the finding messages in Kazakh, Russian and
// English.
var catalogue = table.CatalogueOf(texts)

// texts are all the package's texts (messages.json; shared/i18n): the field labels
// and finding messages above, and the errors.
var texts = i18n.MustLoad(messagesFS, "messages.json")

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
