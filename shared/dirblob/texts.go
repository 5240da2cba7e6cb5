package dirblob

import (
	"embed"

	"github.com/qoldau/qoldau/shared/i18n"
)

//go:embed messages.json
var messagesFS embed.FS

// texts are the package's texts for users in Kazakh, Russian and English
// (messages.json; shared/i18n).
var texts = i18n.MustLoad(messagesFS, "messages.json")
