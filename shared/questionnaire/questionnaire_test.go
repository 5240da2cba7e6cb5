package questionnaire

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
)

func keys(qs []*Question) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Key)
	}
	return out
}

// TestNext walks the questions: Annex 2 only for online services, and q1 "no" or
// "dont_remember" ending the service.
func TestNext(t *testing.T) {
	walk := func(a *qoldau.Answer) []string {
		var out []string
		for q := First; q != ""; q = Next(q, a) {
			out = append(out, q)
		}
		return out
	}
	order := keys(All())
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
	want := []string{"q1_received", "q2_rating", "q3_useful", "q4_fin_interest", "a_usefulness", "a_organisation",
		"a_expectations", "a_satisfaction", "purpose", "fin_support", "nonfin_support"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"q2_rating", "q3_useful", "q4_fin_interest"}, FollowUps()); diff != "" {
		t.Errorf("FollowUps (-want +got):\n%s", diff)
	}
}

// TestTexts: every question and option has its texts in the three languages, with
// the same placeholders, the options of a choice are laid out once each, and the
// English labels are those users and tests rely on.
func TestTexts(t *testing.T) {
	full := func(what string, x qoldau.Text) {
		t.Helper()
		for lang, s := range map[string]string{"kk": x.KK, "ru": x.RU, "en": x.EN} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s has no %s text", what, lang)
			}
		}
	}
	for _, q := range All() {
		full(q.Key+" text", q.Text)
		full(q.Key+" summary", q.Summary)
		full(q.Key+" report", q.Report)
		for _, ph := range []string{"{date}", "{place}"} {
			en := strings.Contains(q.Text.EN, ph)
			if strings.Contains(q.Text.KK, ph) != en || strings.Contains(q.Text.RU, ph) != en {
				t.Errorf("%s: placeholder %s differs between languages", q.Key, ph)
			}
		}
		if (q.Kind == Scale) != (len(q.Options) == 0) || q.Annex != 2 && q.Annex != 4 {
			t.Errorf("%s: kind %s with %d options, annex %d", q.Key, q.Kind, len(q.Options), q.Annex)
		}
		for _, o := range q.Options {
			full(q.Key+"."+o.Code, o.Label)
			if o.Button != (qoldau.Text{}) {
				full(q.Key+"."+o.Code+" button", o.Button)
				for _, b := range []string{o.Button.KK, o.Button.RU, o.Button.EN} {
					if n := utf8.RuneCountInString(b); n > maxButton {
						t.Errorf("%s.%s: button %q has %d characters, more than %d", q.Key, o.Code, b, n, maxButton)
					}
				}
			}
			if !q.Numbered() {
				for _, l := range []string{o.Label.KK, o.Label.RU, o.Label.EN} {
					if n := utf8.RuneCountInString(l); n > maxButton {
						t.Errorf("%s.%s: label %q (%d characters) is too long for a button and has no short name", q.Key, o.Code, l, n)
					}
				}
			}
		}
		if q.Kind == Choice {
			var laid []string
			for _, r := range q.Rows {
				laid = append(laid, r...)
			}
			if diff := cmp.Diff(q.Codes(), laid, cmp.Transformer("sort", func(s []string) map[string]bool {
				m := map[string]bool{}
				for _, x := range s {
					m[x] = true
				}
				return m
			})); diff != "" || len(laid) != len(q.Options) {
				t.Errorf("%s: keyboard rows %v do not hold each option once", q.Key, q.Rows)
			}
		}
	}
	labels := map[string]string{
		"q1_received.yes": "Yes", "q1_received.no": "No", "q1_received.dont_remember": "I don't remember",
		"q3_useful.no": "No, it was useless", "q3_useful.partly": "Yes, it was partially useful", "q3_useful.yes": "Yes, it was useful",
		"q4_fin_interest.yes": "Yes", "q4_fin_interest.no": "No",
	}
	for k, want := range labels {
		q, code, _ := strings.Cut(k, ".")
		if o, ok := Get(q).Option(code); !ok || o.Label.EN != want {
			t.Errorf("English %s = %q, want %q", k, o.Label.EN, want)
		}
	}
}

// maxButton is the most characters a Telegram button shows on a phone in one row.
const maxButton = 32

// TestMatch: imports take codes and labels in any language, case and spacing.
func TestMatch(t *testing.T) {
	tests := []struct {
		q, in, want string
		ok          bool
	}{
		{"q1_received", "yes", "yes", true},
		{"q1_received", "  ДА ", "yes", true},
		{"q1_received", "Есімде жоқ", "dont_remember", true},
		{"q1_received", "dont remember", "dont_remember", true},
		{"q3_useful", "Yes, it was partially useful", "partly", true},
		{"nonfin_support", "Participation in \"School of young entrepreneur\" project", "young_entrepreneur_school", true},
		{"q3_useful", "maybe", "", false},
		{"q2_rating", "4", "4", true},
		{"q2_rating", "4,0", "4", true},
		{"q2_rating", "6", "", false},
		{"q2_rating", "4.5", "", false},
		{"purpose", "new markets", "new_markets", true},
	}
	for _, tt := range tests {
		got, ok := Get(tt.q).Match(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("%s Match(%q) = %q, %v; want %q, %v", tt.q, tt.in, got, ok, tt.want, tt.ok)
		}
	}
	for _, v := range []string{"1", "5"} {
		if !Get("q2_rating").Valid(v) {
			t.Errorf("q2 %s is not valid", v)
		}
	}
	for _, v := range []string{"0", "6", "4.0", ""} {
		if Get("q2_rating").Valid(v) {
			t.Errorf("q2 %q is valid", v)
		}
	}
	a := &qoldau.Answer{ID: "x", Client: "c"}
	for _, q := range All() {
		if q.Kind == Multi {
			*Chosen(a, q.Key) = q.Codes()[:1]
			continue
		}
		Set(a, q.Key, q.Values()[0])
		if got := Value(a, q.Key); got != q.Values()[0] {
			t.Errorf("Value(%s) = %q after Set %q", q.Key, got, q.Values()[0])
		}
	}
	Clear(a)
	if diff := cmp.Diff(&qoldau.Answer{ID: "x", Client: "c"}, a); diff != "" {
		t.Errorf("Clear (-want +got):\n%s", diff)
	}
}

// TestOutcomes: a call's outcome is read from its code or its label in any
// language (a call list in Kazakh or Russian offers the labels).
func TestOutcomes(t *testing.T) {
	for in, want := range map[string]string{"answered": "answered", "Жауап берді": "answered", " не ответил ": "no_answer",
		"Wrong number": "wrong_number", "Бас тартты": "refused", "wrong_number": "wrong_number"} {
		if got, ok := MatchOutcome(in); !ok || got != want {
			t.Errorf("MatchOutcome(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "maybe", "Да"} {
		if got, ok := MatchOutcome(in); ok {
			t.Errorf("MatchOutcome(%q) = %q", in, got)
		}
	}
	for _, o := range Outcomes {
		if l := OutcomeLabel(o); l.KK == "" || l.RU == "" || l.EN == "" {
			t.Errorf("outcome %s has no label in every language: %+v", o, l)
		}
	}
}
