package survey

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed messages/*.json
var messageFiles embed.FS

// Languages the bot speaks, in the order of the language keyboard.
var Languages = []string{"kk", "ru", "en"}

// catalogue holds every text the bot sends, per language (messages/<lang>.json).
var catalogue = map[string]map[string]string{}

func init() {
	for _, l := range Languages {
		b, err := messageFiles.ReadFile("messages/" + l + ".json")
		if err == nil {
			m := map[string]string{}
			if err = json.Unmarshal(b, &m); err == nil {
				catalogue[l] = m
				continue
			}
		}
		panic(fmt.Sprintf("survey: messages/%s.json: %v", l, err)) // embedded data, covered by tests
	}
}

// text returns the catalogue entry key in lang with {name} placeholders replaced
// from args (name, value pairs). A missing key gives the English entry, then the key.
func text(lang, key string, args ...string) string {
	s, ok := catalogue[lang][key]
	if !ok {
		if s, ok = catalogue["en"][key]; !ok {
			s = key
		}
	}
	if len(args) > 1 {
		s = strings.NewReplacer(args...).Replace(s)
	}
	return s
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
