package conversation

import (
	"embed"
	"strings"

	"github.com/qoldau/qoldau/shared/i18n"
)

//go:embed messages.json
var messagesFS embed.FS

// Languages the bot speaks, in the order of the language keyboard.
var Languages = i18n.Langs

// catalogue holds every text the bot sends (messages.json; the questionnaire's
// are shared/questionnaire's).
var catalogue = i18n.MustLoad(messagesFS, "messages.json")

// text returns the catalogue entry key in lang with {name} placeholders replaced
// from args (name, value pairs). A missing key gives the key.
func text(lang, key string, args ...string) string {
	t, ok := catalogue.Lookup(key)
	if !ok {
		return key
	}
	return t.Fill(args...).In(lang)
}

// langOf maps Telegram's language_code to a language of the bot: Kazakh, Russian
// (also for Belarusian and Ukrainian users), else English.
func langOf(code string) string {
	code = strings.ToLower(code)
	if i := strings.IndexAny(code, "-_"); i > 0 {
		code = code[:i]
	}
	switch code {
	case "kk":
		return "kk"
	case "ru", "be", "uk", "ky", "uz", "tg":
		return "ru"
	}
	return "en"
}

func validLang(l string) bool {
	for _, x := range Languages {
		if x == l {
			return true
		}
	}
	return false
}
