// Package callcentre is the agency's call centre and the clause 6 imports
// (docs/rules.md, "Call centre and imported questionnaires"): the call list (a
// stratified random sample by region of clients with counted services and no completed
// survey, one row per client for the client's most recent service, with the Annex 4
// questions as empty columns with drop-down lists), the import of the filled list
// (channel "phone"), and the import of the questionnaires the operator's system
// collected online (channel "import"). Both imports check every cell and report
// cell-addressed findings in Kazakh, Russian and English, like a register; findings
// hold cell values, which may be personal data: they go to the agency, never to logs.
package callcentre

import (
	"embed"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/table"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/xlsx"
)

//go:embed messages.json
var messagesFS embed.FS

var catalogue = table.CatalogueOf(i18n.MustLoad(messagesFS, "messages.json"))

// FieldLabel is the header of a column of the call list or the questionnaire
// register (an import knows a column by its key or any of these labels).
func FieldLabel(field string) qoldau.Text { return catalogue.Fields[field] }

func message(code, cell, field, detail string) qoldau.Text {
	t, ok := catalogue.Messages[code]
	if !ok {
		t = qoldau.Text{KK: code, RU: code, EN: code}
	}
	fl := catalogue.Fields[field]
	fill := func(s, label string) string {
		if label == "" {
			label = field
		}
		return strings.NewReplacer("{cell}", cell, "{field}", label, "{detail}", detail).Replace(s)
	}
	return qoldau.Text{KK: fill(t.KK, fl.KK), RU: fill(t.RU, fl.RU), EN: fill(t.EN, fl.EN)}
}

// Result is what an import gives: counts and findings. Rows with an error are not
// stored; the others are, each once (a stored, completed answer is final).
type Result struct {
	Name      string           `json:"file_name"`
	Kind      string           `json:"kind"`
	Read      int              `json:"read"`       // data rows
	Stored    int              `json:"stored"`     // answers stored now
	Already   int              `json:"already"`    // answers stored by an earlier import
	Skipped   int              `json:"skipped"`    // rows with nothing to store (not called yet)
	Rejected  int              `json:"rejected"`   // rows with an error
	FileError bool             `json:"file_error"` // the file as a whole cannot be used
	Counts    map[string]int   `json:"counts"`
	Findings  []qoldau.Finding `json:"findings"`
	answers   []qoldau.Answer
}

// ExitCode is the CLI's status: 2 for a file-level error, 1 for rows with errors,
// 0 otherwise.
func (r *Result) ExitCode() int {
	switch {
	case r.FileError:
		return 2
	case r.Rejected > 0:
		return 1
	}
	return 0
}

func newResult(name string) *Result {
	return &Result{Name: name, Counts: map[string]int{}, Findings: []qoldau.Finding{}}
}

func (r *Result) fileFinding(code, field string, msg qoldau.Text) {
	r.FileError = true
	r.Findings = append(r.Findings, qoldau.Finding{Code: code, Severity: qoldau.SevError, Field: field, Message: msg})
}

func (r *Result) finish() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := &r.Findings[i], &r.Findings[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return len(a.Column) < len(b.Column) || (len(a.Column) == len(b.Column) && a.Column < b.Column)
	})
	for _, f := range r.Findings {
		r.Counts[f.Code]++
	}
}

// sheet reads a table's header (by canonical key or a label of the field) and its
// data rows as cell values by field.
type sheet struct {
	res    *Result
	fields []string
	cols   map[string]int // field → column
	date19 bool
}

func norm(s string) string { return refdata.Norm(strings.ReplaceAll(s, "_", " ")) }

// schema returns the table schema of fields: each known by its key, its labels in
// the catalogue and any extra headers.
func schema(fields []string, extra map[string][]string, minFields int) *table.Schema {
	cols := make([]table.Column, len(fields))
	for i, f := range fields {
		l := catalogue.Fields[f]
		cols[i] = table.Column{Key: f, Headers: append([]string{l.KK, l.RU, l.EN}, extra[f]...)}
	}
	return table.NewSchema(cols, minFields)
}

// open opens the table in r and maps its header: the first row in the first 20
// of a sheet that names at least minFields of fields (a field named twice: the
// first column). required fields must all be present. When ok, the caller walks
// the rows with rest, which closes the table.
func (sh *sheet) open(r io.ReaderAt, size int64, fields, required []string, extra map[string][]string, minFields int) (tb *table.Table, ok bool) {
	sc := schema(fields, extra, minFields)
	tb, prob := table.Open(r, size, table.Options{Schema: sc})
	if prob != nil {
		sh.res.fileFinding("file-unreadable", "", prob.Message())
		return nil, false
	}
	sh.res.Kind, sh.date19 = tb.Kind, tb.Date1904
	if tb.HeaderAt < 0 {
		m := message("header-not-found", "", "", "")
		if more := tb.HeaderNotFound(); more.EN != "" {
			m = qoldau.Text{KK: m.KK + " " + more.KK, RU: m.RU + " " + more.RU, EN: m.EN + " " + more.EN}
		}
		sh.res.fileFinding("header-not-found", "", m)
		tb.Close()
		return nil, false
	}
	sh.cols = map[string]int{}
	for _, c := range tb.Head[tb.HeaderAt].Cells {
		if f, ok := sc.Lookup(c.Value); ok {
			if _, dup := sh.cols[fields[f]]; !dup {
				sh.cols[fields[f]] = c.Col
			}
		}
	}
	ok = true
	for _, f := range required {
		if _, has := sh.cols[f]; !has {
			sh.res.fileFinding("missing-column", f, message("missing-column", "", f, ""))
			ok = false
		}
	}
	if !ok {
		tb.Close()
		return nil, false
	}
	return tb, true
}

// rest checks the rows under the header and closes the table; a file-level
// problem is a finding, and no data row at all is no-data. An error from row stops
// the walk and is returned.
func (sh *sheet) rest(tb *table.Table, row func(num int, cells []xlsx.Cell) error) error {
	defer tb.Close()
	for tb.Next() {
		if err := row(tb.RowNum(), tb.Cells()); err != nil {
			return err
		}
	}
	if err := tb.Err(); err != nil {
		sh.problem(err)
	}
	sh.res.Findings = append(sh.res.Findings, tb.Findings()...)
	if sh.res.Read == 0 && !sh.res.FileError {
		sh.res.fileFinding("no-data", "", message("no-data", "", "", ""))
	}
	return nil
}

func (sh *sheet) problem(err error) {
	p, ok := err.(*table.Problem)
	if !ok {
		p = table.AsProblem(err, xlsx.DefaultLimits())
	}
	sh.res.fileFinding("file-unreadable", "", p.Message())
}

// values returns the trimmed cell texts of a row by field, and the cells.
func (sh *sheet) values(cells []xlsx.Cell) (map[string]string, map[string]xlsx.Cell) {
	vals, cs := map[string]string{}, map[string]xlsx.Cell{}
	byCol := map[int]string{}
	for f, c := range sh.cols {
		byCol[c] = f
	}
	for _, c := range cells {
		if f, ok := byCol[c.Col]; ok {
			if v := table.Trim(c.Value); v != "" {
				vals[f], cs[f] = v, c
			}
		}
	}
	return vals, cs
}

// rowCheck collects the findings of one row.
type rowCheck struct {
	sh   *sheet
	num  int
	vals map[string]string
	errs int
}

func (rc *rowCheck) cell(field string) (col, cell string) {
	c, ok := rc.sh.cols[field]
	if !ok {
		return "", "№" + strconv.Itoa(rc.num)
	}
	return xlsx.ColName(c), xlsx.CellName(c, rc.num)
}

func (rc *rowCheck) add(code, field, detail string) {
	col, cell := rc.cell(field)
	rc.errs++
	rc.sh.res.Findings = append(rc.sh.res.Findings, qoldau.Finding{
		Code: code, Severity: qoldau.SevError, Row: rc.num, Column: col, Cell: strings.TrimPrefix(cell, "№"),
		Field: field, Value: rc.vals[field], Message: message(code, cell, field, detail),
	})
}

// inRange reports whether a date from the file lies in the domain's range, from
// 2019 to today (at now), adding a finding when it does not.
func (rc *rowCheck) inRange(field string, d civil.Date, now time.Time) bool {
	if d < workday.Today(qoldau.Epoch) || d > workday.Today(now) {
		rc.add("date-out-of-range", field, d.DMY())
		return false
	}
	return true
}

// outcome reads the call's outcome: a code or its label in any language.
func (rc *rowCheck) outcome() string {
	v := rc.vals["outcome"]
	if v == "" {
		return ""
	}
	if c, ok := questionnaire.MatchOutcome(v); ok {
		return c
	}
	rc.add("unknown-value", "outcome", strings.Join(questionnaire.Outcomes, ", "))
	return ""
}

// answer reads the cell of a choice question: an option's code, or its label in
// any of the three languages (what the bot shows).
func (rc *rowCheck) answer(field string) string {
	v := rc.vals[field]
	if v == "" {
		return ""
	}
	q := questionnaire.Get(field)
	if c, ok := q.Match(v); ok {
		return c
	}
	rc.add("unknown-value", field, strings.Join(q.Codes(), ", "))
	return ""
}

// scale reads a 1-5 cell.
func (rc *rowCheck) scale(field string) int {
	v := rc.vals[field]
	if v == "" {
		return 0
	}
	n, ok := questionnaire.ParseScale(v)
	if !ok {
		rc.add("unknown-value", field, "1, 2, 3, 4, 5")
		return 0
	}
	return n
}
