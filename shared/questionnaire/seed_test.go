package questionnaire

import (
	"fmt"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/goldenfile"
)

// The options of Annex 2 as the order (MNE No. 59 of 24.06.2019) words them, in its
// Kazakh and English texts, copied character for character. The Kazakh text has no
// options for the purpose of the request (ours to write).
var seedOptions = []struct{ key, kk, en string }{
	{"purpose.new_business", "", "To open a new line of business"},
	{"purpose.increase_production", "", "To increase production"},
	{"purpose.new_markets", "", "To develop new markets"},
	{"purpose.quality", "", "Improvement of the quality of goods and services"},
	{"fin_support.rate_subsidy", "Сыйақының пайыздық мөлшерлемесін субсидиялау", "Subsidizing interest rate of remuneration"},
	{"fin_support.loan_guarantee", "Кредит алу үшін кепілдіктер беру", "Providing guarantees for obtaining a loan"},
	{"fin_support.grant", "Гранттық қаржыландыру алу", "Receipt of grant financing"},
	{"fin_support.startup_guarantee", "Ісін жаңа бастаған кәсіпкерлерге кепілдіктер беру", "Providing guarantees for first-time entrepreneur"},
	{"nonfin_support.programs_advice", "Кәсіпкерлікті қолдау бағдарламаларына қатысу жөнінде консультация алу",
		"Getting advice on participating in entrepreneurship support programs"},
	{"nonfin_support.business_adviser", `"Бизнес-Кеңесші" жобасы бойынша кәсіпкерлік қызметті жүргізу негіздерін қысқа мерзімде оқыту`,
		`Short-term training on the basics of doing business under "Business – Consultant" project`},
	{"nonfin_support.business_growth", `"Бизнес-Өсу" жобасы бойынша кәсіпкерлік қызметті дамытудың функционалдық бағыттарын қысқа мерзімде оқыту`,
		`Short-term training on the functional directions of developing entrepreneurial activities under "Business-Growth" project.`},
	{"nonfin_support.young_entrepreneur_school", `"Жас кәсіпкер мектебі" жобасына қатысу`, `Participation in "School of young entrepreneur" project`},
	{"nonfin_support.staff_training", "Кәсіпорындар мамандарының, топ-менеджерлерінің біліктілігін арттыру",
		"Advanced training for specialists, top-managers of enterprises"},
	{"nonfin_support.foreign_partners", "Шетелдік әріптестермен іскерлік байланыстар орнату",
		"Establishment of business connections with foreign partners"},
	{"nonfin_support.senior_experts", `Жаңа басқару әдістерін, өндіріс, жабдықтар технологияларын және персоналды оқыту әдістерін енгізу мәселелері бойынша жоғары білікті шетелдік мамандарды тарту ("Аға сеньорлар")`,
		`Attracting highly qualified foreign experts on the implementation of new management methods, production technologies, equipment and staff training ("Supervising Seniors")`},
	{"nonfin_support.consulting_cofinancing", "Сырттан консультанттар тарту арқылы жетекші кәсіпорындардың консультациялық жобаларын қоса қаржыландыру",
		"Co-financing of consulting projects of leading enterprises by attracting external consultants"},
	{"q3_useful.no", "", "No, it was useless"},
	{"q3_useful.partly", "", "Yes, it was partially useful"},
	{"q3_useful.yes", "", "Yes, it was useful"},
}

// The evident errors of the order's English text that the labels fix, each as the
// order's text and ours.
var seedFixes = map[string][2]string{
	"fin_support.startup_guarantee":   {"first-time entrepreneur", "first-time entrepreneurs"},
	"nonfin_support.business_adviser": {`"Business – Consultant"`, `"Business-Consultant"`},
	"nonfin_support.business_growth":  {`project.`, `project`},
}

// TestSeedWording: every option label is the order's Kazakh text word for word and
// its English text, but for the listed evident errors; every option of Annex 2 and
// q3 is compared.
func TestSeedWording(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range seedOptions {
		key, code, _ := strings.Cut(s.key, ".")
		o, ok := Get(key).Option(code)
		if !ok {
			t.Errorf("%s: no such option", s.key)
			continue
		}
		seen[s.key] = true
		if s.kk != "" && o.Label.KK != s.kk {
			t.Errorf("%s: Kazakh label\n  %q\nis not the order's\n  %q", s.key, o.Label.KK, s.kk)
		}
		en := s.en
		if fix, ok := seedFixes[s.key]; ok {
			if !strings.Contains(en, fix[0]) {
				t.Fatalf("%s: the fix %q is not in the order's text", s.key, fix[0])
			}
			en = strings.Replace(en, fix[0], fix[1], 1)
		}
		if o.Label.EN != en {
			t.Errorf("%s: English label\n  %q\nis not the order's\n  %q", s.key, o.Label.EN, en)
		}
	}
	for _, q := range All() {
		if q.Annex == 2 || q.Key == "q3_useful" {
			for _, o := range q.Options {
				if !seen[q.Key+"."+o.Code] {
					t.Errorf("%s.%s is not compared with the order", q.Key, o.Code)
				}
			}
		}
	}
}

// TestLabelsGolden: the questions and options as every channel shows them, in the
// three languages (testdata/questionnaire.txt; go test -update rewrites it).
func TestLabelsGolden(t *testing.T) {
	var b strings.Builder
	for _, q := range All() {
		fmt.Fprintf(&b, "%s (Annex %d, %s)\n", q.Key, q.Annex, q.Kind)
		for _, l := range []string{"kk", "ru", "en"} {
			fmt.Fprintf(&b, "  %s: %s\n", l, q.Wording(l, "{date}", "{place}", false))
			if q.Online.EN != "" {
				fmt.Fprintf(&b, "  %s online: %s\n", l, q.Wording(l, "{date}", "{place}", true))
			}
		}
		for i, o := range q.Options {
			fmt.Fprintf(&b, "  %d. %s\n", i+1, o.Code)
			for _, l := range []string{"kk", "ru", "en"} {
				fmt.Fprintf(&b, "     %s: %s", l, o.Label.In(l))
				if btn := o.Button.In(l); btn != "" {
					fmt.Fprintf(&b, "  [%s]", btn)
				}
				b.WriteString("\n")
			}
		}
	}
	goldenfile.Check(t, "questionnaire.txt", []byte(b.String()))
}
