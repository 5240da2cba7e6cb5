// Package register reads the operator's monthly register of services (Annex 1) from a
// workbook (.xlsx, .ods, .xls) or CSV and validates it cell by cell (docs/rules.md,
// "The register"): every finding names its cell and carries a message in Kazakh,
// Russian and English. Reading streams: memory holds the shared-strings table and a
// small fixed-size record per row (for duplicate detection and the period chosen after
// the last row); the findings go to disk as they are found (Findings), so a file with
// an error in every cell costs no more memory than a clean one. The flagged workbook
// marks the first MaxFlagged.
package register

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/maphash"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/table"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Options steer one validation.
type Options struct {
	// Period is the reporting month; when HasPeriod is false it is the month most
	// end dates fall in, chosen after the last row.
	Period    civil.Month
	HasPeriod bool
	// Sheet names the sheet to read; "" reads the first whose first 20 rows hold
	// the header.
	Sheet string
	// Received is when the register was received (dates after its Almaty day are
	// future-date errors); zero means now.
	Received time.Time
	// Ref is the reference data; nil means refdata.Default().
	Ref *refdata.Set
	// Limits bound what a file may hold; zero means xlsx.DefaultLimits().
	Limits xlsx.Limits
	// Progress, when set, is called now and then with bytes read, bytes expected
	// (0 if unknown) and rows read.
	Progress func(done, total int64, rows int)
}

// Result is what validation returns: the JSON report (docs/rules.md, "What validation
// returns").
type Result struct {
	Period string           `json:"period"` // YYYY-MM, "" when it could not be told
	SHA256 string           `json:"sha256"`
	Rows   qoldau.RowCounts `json:"rows"`
	Counts map[string]int   `json:"counts"`
	// Columns maps each field found to its column letter ("mobile_phone": "U"), so
	// that a stored row's cells can be named later; it comes before the findings, so
	// a reader can stop there.
	Columns  map[string]string `json:"columns,omitempty"`
	Findings *Findings         `json:"findings"` // in report order, most of them on disk: Close the Result
	// ByColumn counts findings by column letter ("(file)" for file-level ones).
	ByColumn map[string]int `json:"counts_by_column"`

	// PeriodGuessed says the period was chosen from the end dates.
	PeriodGuessed bool `json:"-"`
	// FileError says a file-level error makes the whole file unusable.
	FileError bool `json:"-"`
	// Kind is "xlsx", "ods", "xls" or "csv"; Date1904 tells the workbook's date
	// system.
	Kind     string `json:"-"`
	Date1904 bool   `json:"-"`
	// Header is the 1-based row of the header; Cols maps each field to its 0-based
	// column (-1 when absent).
	Header int            `json:"-"`
	Cols   [nFields]int   `json:"-"`
	Extra  map[int]string `json:"-"`
	Month  civil.Month    `json:"-"`
	// Sheet is the name of the sheet read (a workbook's).
	Sheet string `json:"sheet,omitempty"`
	// Merged are the merged ranges starting in data rows: a finding in a cell one
	// covers is marked on its first cell, where the sheet shows the value.
	Merged []xlsx.Range `json:"-"`
	// EndMonths counts the rows by the month their end date falls in.
	EndMonths map[civil.Month]int `json:"-"`
}

// WrongPeriod tells a register whose end dates mostly fall in another month than
// the period p: more than half of the end dates read are outside p. The message
// names the month most of them fall in.
func (r *Result) WrongPeriod(p civil.Month) (qoldau.Text, bool) {
	total, best, bestN := 0, civil.Month(0), 0
	for m, n := range r.EndMonths {
		total += n
		if m != p && (n > bestN || n == bestN && m > best) {
			best, bestN = m, n
		}
	}
	if total == 0 || 2*(total-r.EndMonths[p]) <= total {
		return qoldau.Text{}, false
	}
	t := catalogue.Messages["wrong-period"]
	rp := strings.NewReplacer("{month}", best.String(), "{period}", p.String(),
		"{n}", strconv.Itoa(bestN), "{total}", strconv.Itoa(total))
	return qoldau.Text{KK: rp.Replace(t.KK), RU: rp.Replace(t.RU), EN: rp.Replace(t.EN)}, true
}

// ExitCode is the CLI's status: 2 for a file-level error, 1 for errors in rows, 0
// otherwise.
func (r *Result) ExitCode() int {
	switch {
	case r.FileError:
		return 2
	case r.Rows.Rejected > 0:
		return 1
	}
	return 0
}

// Reason is a one-line English reason for a file-level error ("" when none).
func (r *Result) Reason() string { return r.reasonIn("en") }

// ReasonIn is the reason in lang (kk, ru or en).
func (r *Result) ReasonIn(lang string) string { return r.reasonIn(lang) }

// Close removes the findings' temporary files; the file-level findings (and so
// Reason) remain.
func (r *Result) Close() error {
	if r == nil {
		return nil
	}
	return r.Findings.Close()
}

// ValidateFile validates the register in the file at path. The error is for an
// unopenable path only; everything wrong with the file's content is a finding.
func ValidateFile(path string, opt Options, each func(*qoldau.Row)) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, qoldau.E(qoldau.Invalid, texts.Text("errors.cannot-open-file"), err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("errors.cannot-read-file"), err)
	}
	return Validate(f, st.Size(), opt, each)
}

// Validate validates a register of size bytes read from r. each, when not nil, is
// called for every non-blank data row after its checks (the *Row is reused: copy it
// to keep it); with Options.HasPeriod false, out-of-period errors are only known at
// the end and are not in the rows passed to each.
func Validate(r io.ReaderAt, size int64, opt Options, each func(*qoldau.Row)) (*Result, error) {
	if opt.Ref == nil {
		opt.Ref = refdata.Default()
	}
	if opt.Limits == (xlsx.Limits{}) {
		opt.Limits = xlsx.DefaultLimits()
	}
	if opt.Received.IsZero() {
		opt.Received = time.Now()
	}
	v := &validator{opt: opt, ref: opt.Ref, each: each, received: workday.Today(opt.Received)}
	v.res = &Result{Counts: map[string]int{}, ByColumn: map[string]int{}, Findings: newFindings()}
	for i := range v.res.Cols {
		v.res.Cols[i] = -1
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("errors.cannot-read-file"), err)
	}
	v.res.SHA256 = hex.EncodeToString(h.Sum(nil))
	if opt.HasPeriod {
		v.res.Period = opt.Period.String()
		v.res.Month = opt.Period
	}
	tb, prob := table.Open(r, size, table.Options{Sheet: opt.Sheet, Limits: opt.Limits, Schema: schema})
	if prob != nil {
		v.fileError(prob)
		return v.finish()
	}
	defer tb.Close()
	v.res.Sheet, v.res.Kind, v.res.Date1904 = tb.Sheet, tb.Kind, tb.Date1904
	v.date1904 = tb.Date1904
	v.run(tb)
	return v.finish()
}

// rowMark is the fixed-size record kept per data row.
type rowMark struct {
	num   int32
	end   civil.Date
	flags uint8
}

const (
	markErr  = 1
	markWarn = 2
	markEnd  = 4 // end date parsed
)

type validator struct {
	opt      Options
	ref      *refdata.Set
	each     func(*qoldau.Row)
	res      *Result
	date1904 bool
	received civil.Date

	colField  []int        // by column: field index, or -1
	rowMerges []xlsx.Range // ranges across columns starting in the current row
	marks     []rowMark
	dup       map[[2]uint64]int32
	seed1     maphash.Seed
	seed2     maphash.Seed

	// per row
	row     qoldau.Row
	num     int
	vals    [nFields]string
	cells   [nFields]*xlsx.Cell
	nErr    int
	nWarn   int
	nameKey string // ClientNameKey of the client name cell

	rowFindings []qoldau.Finding // the current row's, written at its end
}

func (v *validator) fileError(p *table.Problem) {
	v.res.FileError = true
	v.head(qoldau.Finding{Code: "file-unreadable", Severity: qoldau.SevError, Message: p.Message()})
}

// head records a file-level finding.
func (v *validator) head(f qoldau.Finding) {
	v.count(&f)
	v.res.Findings.addHead(f)
}

// count adds a finding to the counts by code and by column.
func (v *validator) count(f *qoldau.Finding) {
	v.res.Counts[f.Code]++
	col := f.Column
	if col == "" {
		col = "(file)"
	}
	v.res.ByColumn[col]++
}

// endRow writes the current row's findings, in column order.
func (v *validator) endRow() {
	if len(v.rowFindings) > 0 {
		sortRow(v.rowFindings)
		v.res.Findings.addRow(v.rowFindings)
		clear(v.rowFindings)
		v.rowFindings = v.rowFindings[:0]
	}
}

func (v *validator) addFile(code, key string, sev qoldau.Severity, field, detail string) {
	if sev == qoldau.SevError {
		v.res.FileError = true
	}
	v.head(qoldau.Finding{
		Code: code, Severity: sev, Field: field,
		Message: message(key, msgArgs{field: field, detail: detail}),
	})
}

// run maps the header and checks every row.
func (v *validator) run(tb *table.Table) {
	if tb.HeaderAt < 0 {
		v.res.FileError = true
		m := message("header-not-found", msgArgs{})
		if more := tb.HeaderNotFound(); more.EN != "" {
			m = qoldau.Text{KK: m.KK + " " + more.KK, RU: m.RU + " " + more.RU, EN: m.EN + " " + more.EN}
		}
		v.head(qoldau.Finding{Code: "header-not-found", Severity: qoldau.SevError, Message: m})
		return
	}
	if !v.mapHeader(tb.Head[tb.HeaderAt]) {
		return
	}
	v.dup = make(map[[2]uint64]int32)
	v.seed1, v.seed2 = maphash.MakeSeed(), maphash.MakeSeed()
	last := time.Now()
	for tb.Next() {
		v.rowMerges = tb.RowMerges()
		v.checkRow(tb.RowNum(), tb.Cells())
		v.endRow()
		if v.opt.Progress != nil && len(v.marks)%1024 == 0 && time.Since(last) > 200*time.Millisecond {
			last = time.Now()
			v.opt.Progress(tb.Read(), tb.Size(), len(v.marks))
		}
	}
	if err := tb.Err(); err != nil {
		v.sourceError(err)
		return
	}
	if v.opt.Progress != nil {
		v.opt.Progress(tb.Read(), tb.Size(), len(v.marks))
	}
	if n := tb.Repeats(); n > 0 {
		v.addFile("header-repeat", "header-repeat", qoldau.SevWarning, "", strconv.Itoa(n))
	}
	for _, f := range tb.Findings() {
		v.head(f)
	}
	v.res.Merged = tb.Merged()
	if len(v.marks) == 0 {
		v.addFile("no-data", "no-data", qoldau.SevError, "", "")
	}
}

func (v *validator) sourceError(err error) {
	if p, ok := err.(*table.Problem); ok {
		v.fileError(p)
		return
	}
	v.fileError(table.AsProblem(err, v.opt.Limits))
}

// mapHeader maps the header row's columns to fields; false on a file-level error.
func (v *validator) mapHeader(head table.Row) bool {
	l, findings, ok := schema.Map(head, catalogue)
	v.res.Header, v.res.Extra = l.Row, l.Extra
	v.colField = l.ColField
	for f, col := range l.FieldCol {
		v.res.Cols[f] = col
		if col >= 0 {
			if v.res.Columns == nil {
				v.res.Columns = map[string]string{}
			}
			v.res.Columns[Field(f).Key()] = xlsx.ColName(col)
		}
	}
	for _, f := range findings {
		if f.Severity == qoldau.SevError {
			v.res.FileError = true
		}
	}
	for _, f := range findings {
		v.head(f)
	}
	return ok
}

// finish sorts findings, applies the period chosen from end dates and counts.
func (v *validator) finish() (*Result, error) {
	res := v.res
	if !res.FileError && len(v.marks) > 0 {
		if !v.opt.HasPeriod {
			v.guessPeriod()
		}
	}
	res.EndMonths = map[civil.Month]int{}
	for _, m := range v.marks {
		if m.flags&markEnd != 0 {
			res.EndMonths[m.end.Month()]++
		}
		res.Rows.Read++
		switch {
		case m.flags&markErr != 0:
			res.Rows.Rejected++
		default:
			res.Rows.Accepted++
			if m.flags&markWarn != 0 {
				res.Rows.Warned++
			}
		}
	}
	if res.FileError {
		// The file as a whole cannot be used: no row counts as accepted.
		res.Rows = qoldau.RowCounts{Read: res.Rows.Read, Rejected: res.Rows.Read}
	}
	if err := res.Findings.seal(); err != nil {
		res.Close()
		return nil, qoldau.E(qoldau.Internal, texts.Text("errors.cannot-keep-findings"), err)
	}
	return res, nil
}

// guessPeriod picks the month most end dates fall in and adds out-of-period errors.
func (v *validator) guessPeriod() {
	count := map[civil.Month]int{}
	for _, m := range v.marks {
		if m.flags&markEnd != 0 {
			count[m.end.Month()]++
		}
	}
	best, bestN := civil.Month(0), 0
	for mo, n := range count {
		if n > bestN || (n == bestN && mo > best) {
			best, bestN = mo, n
		}
	}
	if bestN == 0 {
		return
	}
	v.res.Period, v.res.Month, v.res.PeriodGuessed = best.String(), best, true
	col := v.res.Cols[FEndDate]
	for i := range v.marks {
		m := &v.marks[i]
		if m.flags&markEnd != 0 && m.end.Month() != best {
			m.flags |= markErr
			cell := xlsx.CellName(col, int(m.num))
			f := qoldau.Finding{
				Code: "out-of-period", Severity: qoldau.SevError, Row: int(m.num),
				Column: xlsx.ColName(col), Cell: cell, Field: "end_date", Value: m.end.DMY(),
				Message: message("out-of-period", msgArgs{cell: cell, field: "end_date", detail: best.String()}),
			}
			v.count(&f)
			v.res.Findings.addLate(f)
		}
	}
}

// add records a finding for field f of the current row.
func (v *validator) add(code, key string, sev qoldau.Severity, f Field, detail string) {
	col := v.res.Cols[f]
	var column, cell string
	if col >= 0 {
		column = xlsx.ColName(col)
		cell = xlsx.CellName(col, v.num)
	}
	where := cell
	if where == "" {
		where = strconv.Itoa(v.num)
	}
	if sev == qoldau.SevError {
		v.nErr++
		v.row.Codes = append(v.row.Codes, "")
		copy(v.row.Codes[v.nErr:], v.row.Codes[v.nErr-1:])
		v.row.Codes[v.nErr-1] = code
	} else {
		v.nWarn++
		v.row.Codes = append(v.row.Codes, code)
	}
	fd := qoldau.Finding{
		Code: code, Severity: sev, Row: v.num, Column: column, Cell: cell, Field: f.Key(),
		Value: v.display(f), Message: message(key, msgArgs{cell: where, row: v.num, field: f.Key(), detail: detail}),
	}
	v.count(&fd)
	v.rowFindings = append(v.rowFindings, fd)
}

func (v *validator) errf(code string, f Field) { v.add(code, code, qoldau.SevError, f, "") }

// display is the value a finding shows: the cell's text, with a date cell (an
// Excel serial number, an OpenDocument ISO date) written as DD.MM.YYYY.
func (v *validator) display(f Field) string {
	s := v.vals[f]
	if c := v.cells[f]; c != nil && (f == FBirthDate || f == FStartDate || f == FEndDate) {
		switch c.Type {
		case xlsx.Number:
			if d, p := serialDate(s, v.date1904); p == "" {
				return d.DMY()
			}
		case xlsx.DateISO:
			if d, ok := isoDate(s); ok {
				return d.DMY()
			}
		}
	}
	return s
}
