package reconcile

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

// message renders the catalogue entry key for the cell and field key given.
func message(key, cell, fieldKey, detail string) qoldau.Text {
	return catalogue.Message(key, table.Args{Cell: cell, Field: fieldKey, Detail: detail})
}
