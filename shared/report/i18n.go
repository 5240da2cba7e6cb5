package report

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/questionnaire"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/workday"
)

//go:embed messages.json
var messagesFS embed.FS

// catalogue holds the report's own texts (labels of sections, columns, statuses and
// the conclusion's sentences); code-list labels come from refdata, the
// questionnaire's from shared/questionnaire.
var catalogue = i18n.MustLoad(messagesFS, "messages.json")

// Langs are the report's languages.
var Langs = []string{"kk", "ru", "en"}

// ValidLang reports whether lang is one of Langs.
func ValidLang(lang string) bool { return lang == "kk" || lang == "ru" || lang == "en" }

// loc renders labels, numbers and dates in one language.
type loc struct {
	lang string
	ref  *refdata.Set
	// labels of each code list by code
	region, section, form, category, service, place map[string]string
}

func newLoc(lang string, ref *refdata.Set) *loc {
	l := &loc{lang: lang, ref: ref, region: map[string]string{}, section: map[string]string{}, form: map[string]string{},
		category: map[string]string{}, service: map[string]string{}, place: map[string]string{}}
	for _, x := range ref.Regions() {
		l.region[x.Code] = x.Label.In(lang)
	}
	for _, x := range ref.Sections() {
		l.section[x.Code] = x.Code + ". " + x.Label.In(lang)
	}
	for _, x := range ref.LegalForms() {
		l.form[x.Code] = x.Label.In(lang)
	}
	for _, x := range ref.Categories() {
		l.category[x.Code] = x.Label.In(lang)
	}
	for _, x := range ref.Services() {
		l.service[x.Code] = x.Label.In(lang)
	}
	for _, x := range ref.Places() {
		l.place[x.Code] = x.Label.In(lang)
	}
	return l
}

// t returns the catalogue text of key; a missing key shows as §key, which the
// tests look for.
func (l *loc) t(key string) string {
	if x, ok := catalogue.Lookup(key); ok {
		return x.In(l.lang)
	}
	return "§" + key
}

// question is the report's heading of a question of the questionnaire.
func (l *loc) question(key string) string {
	if q := questionnaire.Get(key); q != nil {
		return q.Report.In(l.lang)
	}
	return "§" + key
}

// option is the label of an option of a question (its code when the
// questionnaire has no such option).
func (l *loc) option(question, code string) string {
	if q := questionnaire.Get(question); q != nil {
		if o, ok := q.Option(code); ok {
			return o.Label.In(l.lang)
		}
	}
	return code
}

// f formats the catalogue text of key with args.
func (l *loc) f(key string, args ...any) string { return fmt.Sprintf(l.t(key), args...) }

func labelOr(m map[string]string, code string) string {
	if s, ok := m[code]; ok {
		return s
	}
	return code
}

func (l *loc) regionName(code string) string {
	if code == "total" {
		return l.t("col.total")
	}
	return labelOr(l.region, code)
}

func (l *loc) serviceName(code string) string {
	if code == "total" {
		return l.t("col.total")
	}
	return labelOr(l.service, code)
}

// column returns the header of a table column.
func (l *loc) column(t *Table, code string) string {
	switch t.ID {
	case "S1", "S10":
		return l.t("col.clients")
	case "S2":
		return labelOr(l.section, code)
	case "S3":
		return labelOr(l.form, code)
	case "S4":
		return l.t("col." + code)
	case "S5":
		return code
	case "S6":
		return labelOr(l.category, code)
	case "S7":
		return labelOr(l.service, code)
	case "S7d":
		svc, sub, ok := strings.Cut(code, " / ")
		if !ok {
			return labelOr(l.service, svc) + " (" + l.t("no_subtype") + ")"
		}
		return labelOr(l.service, svc) + ": " + sub
	case "S8":
		return labelOr(l.place, code)
	case "S9":
		return l.t("col.online")
	}
	return code
}

// num formats a whole number with the language's thousands separator.
func (l *loc) num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := nbsp
	if l.lang == "en" {
		sep = ","
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// pct formats a share as a percentage with one decimal.
func (l *loc) pct(x float64) string { return fmtFloat(x*100, 1, l.lang) + "%" }

// date formats a date: DD.MM.YYYY in Kazakh and Russian, YYYY-MM-DD in English.
func (l *loc) date(d civil.Date) string {
	if d == 0 {
		return ""
	}
	if l.lang == "en" {
		return d.String()
	}
	return d.DMY()
}

// nbsp is the no-break space between the groups of a number's digits and between
// a date and its time, so that neither wraps.
const nbsp = "\u00a0"

// time formats an instant in Almaty time.
func (l *loc) time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(workday.Almaty())
	if l.lang == "en" {
		return t.Format("2006-01-02" + nbsp + "15:04")
	}
	return t.Format("02.01.2006" + nbsp + "15:04")
}

// month names a month: "July 2026", "шілде 2026", "июль 2026".
func (l *loc) month(m civil.Month) string {
	return l.t("month."+strconv.Itoa(int(m.Month()))) + " " + strconv.Itoa(m.Year())
}

var roman = []string{"", "I", "II", "III", "IV"}

// period names a report period.
func (l *loc) period(p Period) string {
	switch {
	case p.Kind == KindQuarter && p.Quarter == 4:
		return l.f("period.quarter4", p.Year, roman[4])
	case p.Kind == KindQuarter:
		return l.f("period.quarter", p.Year, roman[p.Quarter], p.Quarter)
	case p.Kind == KindAnnual:
		return l.f("period.annual", p.Year)
	case p.From == p.To:
		return l.month(p.From)
	}
	return l.f("period.range", l.month(p.From), l.month(p.To))
}

// letterName names a notification letter by its register and version.
func (l *loc) letterName(period civil.Month, version int) string {
	return l.f("letter.name", l.month(period), version)
}

// media names the electronic media a report was submitted on (clause 13).
func (l *loc) media(code string) string {
	if code == "" {
		return ""
	}
	if s := l.t("media." + code); !strings.HasPrefix(s, "§") {
		return s
	}
	return strings.ToUpper(code)
}

// periodID names a report period by its ID where it is one of the agency's
// scheduled reports ("2026-Q3"), as lists of reports show it.
func (l *loc) periodID(id string) string {
	p, err := ParsePeriod(id)
	if err != nil {
		return id
	}
	return l.period(p)
}
