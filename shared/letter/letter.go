// Package letter renders the agency's notification letter to the operator about
// errors found in a monthly register (methodology clauses 8 and 9, docs/rules.md,
// "Letters and corrections"): a .docx with the Kazakh text, a page
// break and the Russian text, and a plain-text rendering of one language for
// previews, e-mail bodies and golden tests.
//
// Every word of the letter comes from the embedded messages.json; the finding
// messages come from the findings themselves (Finding.Message). The letter goes to
// the operator, who owns the data, so the .docx lists the raw cell values of the
// findings; the plain text never does (it is what e-mails carry).
//
// Both renderings are deterministic: the same Data gives the same bytes.
package letter

import (
	"cmp"
	"embed"
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workday"
)

// DefaultMaxListed is how many findings a letter lists when Data.MaxListed is 0.
const DefaultMaxListed = 500

// DefaultCorrectionDays is the operator's correction time (clause 9) when
// Data.CorrectionDays is 0.
const DefaultCorrectionDays = 3

// maxValueRunes caps a cell value shown in the .docx findings table.
const maxValueRunes = 200

// Data is what a letter says. Texts that are settings (Agency, Operator, Signatory)
// are given in both languages; an empty language falls back to the other one.
type Data struct {
	Number string     // outgoing letter number; "" makes a draft ("ЖОБА / ПРОЕКТ" on top)
	Date   civil.Date // the letter's date (the day it is sent); 0 when not known yet

	Agency    qoldau.Text // sender, e.g. KK "«Даму» кәсіпкерлікті дамыту қоры» АҚ"
	Operator  qoldau.Text // addressee
	Signatory qoldau.Text // position and name of who signs; a blank signature line when empty
	Contact   string      // the agency's contact person and phone ("Орындаушы / Исполнитель"); optional

	Period   civil.Month // reporting month of the register
	Version  int
	FileName string
	SHA256   string
	Received time.Time // when the register arrived; shown in Asia/Almaty; zero: not shown
	Detected time.Time // when validation found the errors; shown in Asia/Almaty; zero: not shown

	SendDue        civil.Date // the agency's own deadline to send (clause 8); not printed in the letter
	CorrectionDays int        // working days the operator has to correct (clause 9); 0 means 3
	CorrectionDue  civil.Date // the correction deadline once the letter is sent; 0 in a draft

	Rows     qoldau.RowCounts
	Errors   map[string]int // error findings by code; nil: counted from Findings
	Warnings map[string]int // warning findings by code; nil: counted from Findings
	// Findings are the findings to list: all of them, or (with Errors and Warnings
	// given) at least the first MaxListed errors and warnings in report order.
	Findings   []qoldau.Finding
	MaxListed  int    // list at most this many findings (0: 500; negative: all)
	Attachment string // file name of the attached flagged workbook; optional
}

// Draft reports whether the letter is a draft (it has no outgoing number yet).
func (d *Data) Draft() bool { return strings.TrimSpace(d.Number) == "" }

//go:embed messages.json
var messagesFS embed.FS

// catalogue is the letter's vocabulary in Kazakh and Russian (messages.json).
type catalogue struct {
	Months    []qoldau.Text          // nominative, January first
	MonthsGen []qoldau.Text          // genitive (Russian dates)
	Numbers   []qoldau.Text          // 1 to 10 in words, genitive in Russian
	Texts     map[string]qoldau.Text // the letter's sentences and headings
}

var cat = readCatalogue(i18n.MustLoad(messagesFS, "messages.json"))

// readCatalogue reads the catalogue's lists and texts.
func readCatalogue(c *i18n.Catalogue) catalogue {
	texts := func(group string) []qoldau.Text {
		var out []qoldau.Text
		for _, e := range c.List(group) {
			out = append(out, e.Text)
		}
		return out
	}
	out := catalogue{Months: texts("months"), MonthsGen: texts("months_genitive"), Numbers: texts("numbers"),
		Texts: map[string]qoldau.Text{}}
	for _, k := range c.Keys() {
		if name, ok := strings.CutPrefix(k, "texts."); ok {
			out.Texts[name] = c.Text(k)
		}
	}
	if len(out.Months) != 12 || len(out.MonthsGen) != 12 {
		panic("letter: messages.json: months must list 12 names") // embedded data, covered by tests
	}
	return out
}

// in returns t in lang ("kk", else Russian), falling back to the other language.
func in(t qoldau.Text, lang string) string {
	a, b := t.RU, t.KK
	if lang == "kk" {
		a, b = b, a
	}
	if a != "" {
		return a
	}
	return b
}

// normLang normalises a language to "kk" or "ru".
func normLang(lang string) string {
	if lang == "kk" {
		return "kk"
	}
	return "ru"
}

// style is what a block is, for both renderings.
type style int

const (
	sDraft   style = iota // the draft mark
	sMeta                 // header lines: sender, addressee, number
	sSubject              // the subject line
	sBody                 // a paragraph of the letter
	sHeading              // a heading above facts or a table
	sFact                 // "label: value"
	sNote                 // a small paragraph under a table
	sSign                 // the signature line
	sContact              // the contact person under the signature
)

// follows reports whether s goes right under prev in the plain text, without a
// blank line: header lines, facts, and the contact under the signature.
func (s style) follows(prev style) bool {
	return (s == prev && (s == sMeta || s == sFact)) || (s == sContact && prev == sSign)
}

// block is one paragraph or table of a letter.
type block struct {
	style style
	label string // sFact: the label
	text  string
	table *table
}

// column is a table column.
type column struct {
	head    string
	width   int  // in the .docx, twentieths of a point
	right   bool // right-aligned (numbers)
	private bool // personal data: left out of the plain text
}

// table is a table with a header row.
type table struct {
	cols     []column
	rows     [][]string
	boldLast bool // the last row is a total
}

// doc builds the blocks of the letter in one language.
type doc struct {
	d    *Data
	lang string
	out  []block
}

// t returns the catalogue text key in the doc's language with {name} placeholders
// filled from kv (pairs of name, value). Values are not expanded again.
func (b *doc) t(key string, kv ...string) string {
	return text(key, b.lang, kv...)
}

func text(key, lang string, kv ...string) string {
	s := in(cat.Texts[key], lang)
	if s == "" {
		s = key
	}
	if len(kv) == 0 {
		return s
	}
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func (b *doc) add(s style, text string) { b.out = append(b.out, block{style: s, text: text}) }

func (b *doc) fact(key, value string) {
	if value != "" {
		b.out = append(b.out, block{style: sFact, label: b.t(key), text: value})
	}
}

func (b *doc) month() string {
	m := int(b.d.Period.Month())
	if m < 1 || m > 12 { // a negative Month; no register has one
		return b.d.Period.String()
	}
	return in(cat.Months[m-1], b.lang)
}

func (b *doc) year() string { return strconv.Itoa(b.d.Period.Year()) }

// longDate writes d as "3 ноября 2026 г." / "2026 жылғы 3 қараша".
func (b *doc) longDate(d civil.Date) string {
	y, m, day := d.Date()
	return b.t("date_long", "year", strconv.Itoa(y), "month", in(cat.MonthsGen[m-1], b.lang), "day", strconv.Itoa(day))
}

// stamp writes t as DD.MM.YYYY HH:MM in Almaty, "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(workday.Almaty()).Format("02.01.2006 15:04")
}

// days writes "3 (трёх) рабочих дней" / "3 (үш) жұмыс күні".
func (b *doc) days(n int) string {
	noun := b.t("days_many")
	if n%10 == 1 && n%100 != 11 {
		noun = b.t("days_one")
	}
	if n >= 1 && n <= len(cat.Numbers) {
		return b.t("days", "n", strconv.Itoa(n), "words", in(cat.Numbers[n-1], b.lang), "noun", noun)
	}
	return b.t("days_no_words", "n", strconv.Itoa(n), "noun", noun)
}

// codeCount is a count of findings of one code.
type codeCount struct {
	code, label string
	n           int
}

// counts orders the non-zero counts of m as the register lists the codes (each
// with its description), codes it does not know last, alphabetically, described
// by their code.
func counts(m map[string]int, labels []register.CodeTitle, lang string) []codeCount {
	var out []codeCount
	known := make(map[string]bool, len(labels))
	for _, l := range labels {
		known[l.Code] = true
		if n := m[l.Code]; n > 0 {
			out = append(out, codeCount{l.Code, in(l.Text, lang), n})
		}
	}
	var rest []string
	for c, n := range m {
		if !known[c] && n > 0 {
			rest = append(rest, c)
		}
	}
	slices.Sort(rest)
	for _, c := range rest {
		out = append(out, codeCount{c, c, m[c]})
	}
	return out
}

func countTable(b *doc, cs []codeCount) *table {
	tb := &table{cols: []column{
		{head: b.t("col_label"), width: 7955},
		{head: b.t("col_count"), width: 1400, right: true},
	}, boldLast: true}
	total := 0
	for _, c := range cs {
		tb.rows = append(tb.rows, []string{c.label, strconv.Itoa(c.n)})
		total += c.n
	}
	tb.rows = append(tb.rows, []string{b.t("total"), strconv.Itoa(total)})
	return tb
}

// message returns the finding's message in lang without the leading "E17: " that
// repeats the cell column, starting with a capital letter.
func message(f *qoldau.Finding, lang string) string {
	s := in(f.Message, lang)
	if f.Cell != "" {
		s = strings.TrimPrefix(s, f.Cell+": ")
	}
	r, n := utf8.DecodeRuneInString(s)
	if n > 0 && unicode.IsLower(r) {
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	return s
}

// clip folds line breaks and tabs to spaces and cuts s to limit runes.
func clip(s string, limit int) string {
	s = oneLine(s)
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	n := 0
	for i := range s {
		if n == limit {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

func (b *doc) findingTable(fs []qoldau.Finding) *table {
	tb := &table{cols: []column{
		{head: b.t("col_no"), width: 567, right: true},
		{head: b.t("col_row"), width: 850, right: true},
		{head: b.t("col_cell"), width: 850},
		{head: b.t("col_code"), width: 1900},
		{head: b.t("col_value"), width: 1700, private: true},
		{head: b.t("col_message"), width: 3488},
	}}
	for i := range fs {
		f := &fs[i]
		row := b.t("file_level")
		if f.Row > 0 {
			row = strconv.Itoa(f.Row)
		}
		tb.rows = append(tb.rows, []string{
			strconv.Itoa(i + 1), row, f.Cell, in(register.Title(f.Code, f.Severity), b.lang), clip(f.Value, maxValueRunes),
			clip(message(f, b.lang), 2000),
		})
	}
	return tb
}

// sorted returns the findings errors first, then warnings, each by row (file-level
// findings first) and column (A, B, …, Z, AA, …), keeping the given order otherwise.
func sorted(fs []qoldau.Finding) []qoldau.Finding {
	out := slices.Clone(fs)
	rank := func(f *qoldau.Finding) int {
		if f.Severity == qoldau.SevWarning {
			return 1
		}
		return 0
	}
	slices.SortStableFunc(out, func(a, b qoldau.Finding) int {
		return cmp.Or(cmp.Compare(rank(&a), rank(&b)), cmp.Compare(a.Row, b.Row),
			cmp.Compare(len(a.Column), len(b.Column)), cmp.Compare(a.Column, b.Column))
	})
	return out
}

// build lays out the letter in lang.
func build(d *Data, lang string) []block {
	b := &doc{d: d, lang: normLang(lang)}
	month, year := b.month(), b.year()

	// Header.
	if d.Draft() {
		b.add(sDraft, b.t("draft"))
	}
	b.add(sMeta, b.t("from", "agency", in(d.Agency, b.lang)))
	b.add(sMeta, b.t("to", "operator", in(d.Operator, b.lang)))
	if d.Draft() {
		b.add(sMeta, b.t("number_draft"))
	} else {
		date := b.t("blank")
		if d.Date != 0 {
			date = b.longDate(d.Date)
		}
		b.add(sMeta, b.t("number", "number", strings.TrimSpace(d.Number), "date", date))
	}
	b.add(sSubject, b.t("subject", "month", month, "year", year))

	// Findings by severity.
	all := sorted(d.Findings)
	nErr := 0
	fileError := false
	warnCounts := map[string]int{}
	errCounts := d.Errors
	if errCounts == nil {
		errCounts = map[string]int{}
	}
	if d.Warnings != nil {
		warnCounts = d.Warnings
	}
	for i := range all {
		f := &all[i]
		if f.Severity == qoldau.SevWarning {
			if d.Warnings == nil {
				warnCounts[f.Code]++
			}
			continue
		}
		nErr++
		if f.Row == 0 {
			fileError = true
		}
		if d.Errors == nil {
			errCounts[f.Code]++
		}
	}
	total := len(all)
	if d.Errors != nil && d.Warnings != nil {
		// Counts given: the findings may be only the first of them.
		nErr, total = 0, 0
		for _, n := range d.Errors {
			nErr += n
		}
		total = nErr
		for _, n := range d.Warnings {
			total += n
		}
	}
	errs := counts(errCounts, register.ErrorTitles(), b.lang)
	warns := counts(warnCounts, register.WarningTitles(), b.lang)
	hasErrors := len(errs) > 0 || nErr > 0

	// Body.
	if hasErrors {
		b.add(sBody, b.t("intro", "month", month, "year", year))
	} else {
		b.add(sBody, b.t("intro_clean", "month", month, "year", year))
	}
	b.add(sHeading, b.t("register_heading"))
	b.fact("fact_file", d.FileName)
	b.fact("fact_period", b.t("period_value", "month", month, "year", year))
	if d.Version > 0 {
		b.fact("fact_version", strconv.Itoa(d.Version))
	}
	b.fact("fact_received", stamp(d.Received))
	b.fact("fact_detected", stamp(d.Detected))
	b.fact("fact_sha256", d.SHA256)
	b.fact("fact_read", strconv.Itoa(d.Rows.Read))
	b.fact("fact_accepted", strconv.Itoa(d.Rows.Accepted))
	b.fact("fact_rejected", strconv.Itoa(d.Rows.Rejected))
	b.fact("fact_warned", strconv.Itoa(d.Rows.Warned))
	if fileError {
		b.add(sBody, b.t("file_unusable"))
	}
	if len(errs) > 0 {
		b.add(sHeading, b.t("errors_by_code"))
		b.out = append(b.out, block{table: countTable(b, errs)})
	}
	if len(warns) > 0 {
		b.add(sHeading, b.t("warnings_by_code"))
		b.out = append(b.out, block{table: countTable(b, warns)})
	}
	if hasErrors {
		days := d.CorrectionDays
		if days <= 0 {
			days = DefaultCorrectionDays
		}
		b.add(sBody, b.t("request", "days", b.days(days), "month", month, "year", year))
		if d.CorrectionDue != 0 {
			b.add(sBody, b.t("due", "due", d.CorrectionDue.DMY()))
		}
		b.add(sBody, b.t("consequence"))
	}
	if len(warns) > 0 {
		b.add(sBody, b.t("remarks_note"))
	}

	// The findings, at most max of them.
	limit := d.MaxListed
	switch {
	case limit == 0:
		limit = DefaultMaxListed
	case limit < 0:
		limit = len(all)
	}
	listed := all[:min(limit, len(all))]
	lErr := 0
	for lErr < len(listed) && listed[lErr].Severity != qoldau.SevWarning {
		lErr++
	}
	if lErr > 0 {
		b.add(sHeading, b.t("list_errors"))
		b.out = append(b.out, block{table: b.findingTable(listed[:lErr])})
	}
	if lErr < len(listed) {
		b.add(sHeading, b.t("list_warnings"))
		b.out = append(b.out, block{table: b.findingTable(listed[lErr:])})
	}
	if more := total - len(listed); more > 0 {
		moreErr := nErr - lErr
		b.add(sNote, b.t("more", "more", strconv.Itoa(more), "errors", strconv.Itoa(moreErr),
			"warnings", strconv.Itoa(more-moreErr)))
	}
	if d.Attachment != "" {
		b.add(sBody, b.t("full_list_named", "attachment", d.Attachment))
	} else {
		b.add(sBody, b.t("full_list"))
	}

	// Signature.
	if s := in(d.Signatory, b.lang); s != "" {
		b.add(sSign, b.t("sign", "signatory", s))
	} else {
		b.add(sSign, b.t("sign_blank"))
	}
	if d.Contact != "" {
		b.add(sContact, b.t("contact", "contact", d.Contact))
	}
	return b.out
}
