package cli

import (
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/i18n"
)

// The commands' human output and their one-line reasons on stderr are in the
// user's language: --lang, else QOLDAU_LANG, else English. Texts live in
// messages.json (shared/i18n), each in kk, ru and en, as fmt formats; JSON output
// keeps codes.

//go:embed messages.json
var messagesFS embed.FS

var texts = i18n.MustLoad(messagesFS, "messages.json")

// langOf is the language of a command line: its --lang (or -lang) when it names
// kk, ru or en, else QOLDAU_LANG's, else English.
func langOf(args []string) string {
	for i, a := range args {
		v, ok := "", false
		switch {
		case a == "--lang" || a == "-lang":
			if i+1 < len(args) {
				v, ok = args[i+1], true
			}
		case strings.HasPrefix(a, "--lang="), strings.HasPrefix(a, "-lang="):
			v, ok = a[strings.IndexByte(a, '=')+1:], true
		}
		if ok {
			if l := validLang(v); l != "" {
				return l
			}
		}
	}
	cfg, _ := app.Load(nil)
	if l := validLang(cfg.Lang); l != "" {
		return l
	}
	return "en"
}

func validLang(l string) string {
	switch l = strings.ToLower(strings.TrimSpace(l)); l {
	case "kk", "ru", "en":
		return l
	}
	return ""
}

// t returns the text of key in the command's language, formatted with args.
func (e *env) t(key string, args ...any) string {
	x, ok := texts.Lookup(key)
	if !ok {
		return "§" + key
	}
	s := x.In(e.lang)
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// say prints the text of key as a line on stdout.
func (e *env) say(key string, args ...any) { fmt.Fprintln(e.stdout, e.t(key, args...)) }

// when shows an instant in Almaty time: 2026-10-05 11:30 in English, 05.10.2026
// 11:30 in Kazakh and Russian.
func (e *env) when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.In(almaty())
	if e.lang == "en" {
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("02.01.2006 15:04")
}

// day shows a date: 2026-10-05 in English, 05.10.2026 in Kazakh and Russian.
func (e *env) day(d civil.Date) string {
	if d == 0 {
		return "—"
	}
	if e.lang == "en" {
		return d.String()
	}
	return d.DMY()
}

// month shows a reporting month: "July 2026", "шілде 2026", "июль 2026".
func (e *env) month(m civil.Month) string {
	return e.t(fmt.Sprintf("month.%d", int(m.Month()))) + " " + fmt.Sprint(m.Year())
}

// label returns the text of key when the catalogue has it, else code itself: the
// names of roles, channels and outcomes.
func (e *env) label(prefix, code string) string {
	if x, ok := texts.Lookup(prefix + code); ok {
		return x.In(e.lang)
	}
	return code
}
