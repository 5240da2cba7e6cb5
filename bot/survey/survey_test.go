package survey

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
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

// TestNext walks the questions: Annex 2 only for online services, and q1 "no" or
// "dont_remember" ending the service.
func TestNext(t *testing.T) {
	walk := func(a *qoldau.Answer) []string {
		var out []string
		for q := firstQuestion; q != ""; q = next(q, a) {
			out = append(out, q)
		}
		return out
	}
	tests := []struct {
		name     string
		received string
		online   bool
		want     []string
	}{
		{"offline", "yes", false, []string{"q1_received", "q2_rating", "q3_useful", "q4_fin_interest"}},
		{"online", "yes", true, order},
		{"denied", "no", true, []string{"q1_received"}},
		{"dont remember", "dont_remember", false, []string{"q1_received"}},
	}
	for _, tt := range tests {
		a := &qoldau.Answer{Received: tt.received, Service: qoldau.ServiceRef{Online: tt.online}}
		if diff := cmp.Diff(tt.want, walk(a)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestCatalogues: every language has every key, with the same placeholders, and
// the English button labels are those users and tests rely on.
func TestCatalogues(t *testing.T) {
	for key, en := range catalogue["en"] {
		for _, l := range Languages {
			s, ok := catalogue[l][key]
			if !ok {
				t.Errorf("%s.json lacks %q", l, key)
				continue
			}
			for _, ph := range []string{"{date}", "{place}", "{n}", "{i}", "{service}", "{phone}"} {
				if strings.Contains(en, ph) != strings.Contains(s, ph) {
					t.Errorf("%s.json %q: placeholder %s differs from English", l, key, ph)
				}
			}
		}
	}
	for _, l := range Languages {
		if len(catalogue[l]) != len(catalogue["en"]) {
			t.Errorf("%s.json has %d keys, en.json %d", l, len(catalogue[l]), len(catalogue["en"]))
		}
	}
	labels := map[string]string{
		"lang.en": "English", "opt.q1_received.yes": "Yes", "opt.q1_received.no": "No",
		"opt.q1_received.dont_remember": "I don't remember", "opt.q3_useful.no": "No, it was useless",
		"opt.q3_useful.partly": "Yes, partially useful", "opt.q3_useful.yes": "Yes, useful",
		"opt.q4_fin_interest.yes": "Yes", "opt.q4_fin_interest.no": "No", "btn.done": "Done",
		"btn.submit": "Submit", "btn.change": "Change", "contact.button": "Share my phone number",
	}
	for k, want := range labels {
		if got := text("en", k); got != want {
			t.Errorf("English %s = %q, want %q", k, got, want)
		}
	}
	for key, q := range questions {
		for _, o := range q.options {
			for _, l := range Languages {
				if _, ok := catalogue[l]["opt."+key+"."+o]; !ok {
					t.Errorf("%s.json lacks the option %s of %s", l, o, key)
				}
			}
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
