package conversation

import (
	"strings"
	"testing"
)

func TestNormalisePhone(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"77011234567", "+77011234567", true},
		{"+77011234567", "+77011234567", true},
		{"87011234567", "+77011234567", true},
		{"7011234567", "+77011234567", true},
		{"+7 (701) 123-45-67", "+77011234567", true},
		{"+49 30 1234567", "", false},
		{"", "", false},
		{"7701123456x", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalisePhone(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalisePhone(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestLangOf(t *testing.T) {
	tests := map[string]string{"kk": "kk", "ru": "ru", "ru-RU": "ru", "uk": "ru", "en": "en", "de": "en", "": "en", "KK": "kk"}
	for in, want := range tests {
		if got := langOf(in); got != want {
			t.Errorf("langOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCatalogues: every language has every key, with the same placeholders, and
// the English button labels are those users and tests rely on.
func TestCatalogues(t *testing.T) {
	for _, key := range catalogue.Keys() {
		x, _ := catalogue.Lookup(key)
		en := x.EN
		for _, l := range Languages {
			s := x.In(l)
			if s == "" {
				t.Errorf("%s lacks %q", l, key)
				continue
			}
			for _, ph := range []string{"{date}", "{place}", "{n}", "{i}", "{service}", "{phone}", "{manager}"} {
				if strings.Contains(en, ph) != strings.Contains(s, ph) {
					t.Errorf("%s %q: placeholder %s differs from English", l, key, ph)
				}
			}
		}
	}
	// The option labels are the questionnaire's (shared/questionnaire's tests).
	labels := map[string]string{
		"lang.en": "English", "btn.done": "Done",
		"btn.submit": "Submit", "btn.change": "Change", "contact.button": "Share my phone number",
	}
	for k, want := range labels {
		if got := text("en", k); got != want {
			t.Errorf("English %s = %q, want %q", k, got, want)
		}
	}
}

func TestShort(t *testing.T) {
	tests := map[string]string{
		"Центр поддержки предпринимательства (ЦПП)": "ЦПП",
		"Entrepreneurs service center": "Entrepreneurs service center",
		"Онлайн":                       "Онлайн",
	}
	for in, want := range tests {
		if got := short(in); got != want {
			t.Errorf("short(%q) = %q, want %q", in, got, want)
		}
	}
}
