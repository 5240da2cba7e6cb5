// Package reconcile imports the operator's signed acts of services rendered and
// matches them against register rows (docs/rules.md, "Acts and reconciliation
// (clause 11)").
//
// ReadActs reads an acts file (a workbook: .xlsx, .ods, .xls; or UTF-8 CSV) and checks every line with
// cell-addressed findings in Kazakh, Russian and English, like a register. Match
// decides which register rows an act confirms and, for every other row, why not.
package reconcile

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/table"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// minHeaders is how many distinct act columns a row must name to be the header.
const minHeaders = 4

// headerRows is how many rows from the top may hold the header.
const headerRows = 20

// ActsResult is what importing an acts file gives. Findings hold cell values, which
// may be personal data: they go to the operator and the agency, never to logs.
type ActsResult struct {
	// Name is the uploaded file's name, as given to ReadActs.
	Name string `json:"file_name"`
	// SHA256 is the hex SHA-256 of the file; every act's Source.
	SHA256 string `json:"sha256"`
	// Kind is "xlsx", "ods", "xls" or "csv"; "" when the file could not be opened.
	Kind string `json:"kind"`
	// Sheet is the name of the workbook's sheet read.
	Sheet string `json:"sheet,omitempty"`
	// Acts are the valid lines, in file order; a line repeating an earlier one
	// (same Act.Key) is not repeated. Empty when FileError.
	Acts []qoldau.Act `json:"acts"`
	// Read counts the data lines (blank rows aside); Rejected those with an error
	// (all of them when FileError).
	Read     int `json:"read"`
	Rejected int `json:"rejected"`
	// Counts counts the findings by code.
	Counts map[string]int `json:"counts"`
	// Findings are ordered by row, then column; file-level ones (row 0) first.
	Findings []qoldau.Finding `json:"findings"`
	// FileError says a file-level error makes the whole file unusable.
	FileError bool `json:"file_error"`
}

// ExitCode is the CLI's status: 2 for a file-level error, 1 for lines with errors,
// 0 otherwise.
func (r *ActsResult) ExitCode() int {
	switch {
	case r.FileError:
		return 2
	case r.Rejected > 0:
		return 1
	}
	return 0
}

// ReadActs reads and checks the acts file of size bytes in r (a workbook's sheet
// named sheet, or else the first whose first rows hold the header; or a CSV); name
// is the uploaded file's name, recorded in the result; received is when the file
// was received (zero: now): an act or service date after its day in Almaty, or
// before the domain's first day (qoldau.Epoch), is an error of the line. A nil
// ref means refdata.Default(); zero limits mean xlsx.DefaultLimits(). Everything
// wrong with the file's content is a finding; the error is for a failure to read r
// (code internal).
func ReadActs(r io.ReaderAt, size int64, name, sheet string, received time.Time, ref *refdata.Set, lim xlsx.Limits) (*ActsResult, error) {
	if received.IsZero() {
		received = time.Now()
	}
	if ref == nil {
		ref = refdata.Default()
	}
	if lim == (xlsx.Limits{}) {
		lim = xlsx.DefaultLimits()
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(r, 0, size)); err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("errors.cannot-read-file"), err)
	}
	rd := &reader{ref: ref, lim: lim, received: workday.Today(received), res: &ActsResult{
		Name: name, SHA256: hex.EncodeToString(h.Sum(nil)),
		Acts: []qoldau.Act{}, Counts: map[string]int{}, Findings: []qoldau.Finding{},
	}}
	for i := range rd.cols {
		rd.cols[i] = -1
	}
	tb, prob := table.Open(r, size, table.Options{Sheet: sheet, Limits: lim, Schema: schema, Header: findHeader})
	if prob != nil {
		rd.fileProblem(prob)
		return rd.finish(), nil
	}
	defer tb.Close()
	rd.res.Kind, rd.res.Sheet = tb.Kind, tb.Sheet
	rd.date1904 = tb.Date1904
	rd.run(tb)
	return rd.finish(), nil
}

// findHeader finds the header in the first headerRows rows of the sheet.
func findHeader(rows []table.Row) (int, bool) {
	for len(rows) > 0 && rows[len(rows)-1].Num > headerRows {
		rows = rows[:len(rows)-1]
	}
	return schema.FindHeader(rows)
}

// reader holds the state of one import.
type reader struct {
	ref      *refdata.Set
	lim      xlsx.Limits
	res      *ActsResult
	date1904 bool
	received civil.Date // the day the file was received: no date after it

	cols     [nFields]int // field → 0-based column, -1 when absent
	colField []int        // column → field, -1 for an extra column
	seen     map[string]int
	repeats  int

	// the current line
	num   int
	vals  [nFields]string
	cells [nFields]*xlsx.Cell
	nErr  int
}

func (rd *reader) fileProblem(p *table.Problem) {
	rd.res.FileError = true
	rd.res.Findings = append(rd.res.Findings, qoldau.Finding{
		Code: "file-unreadable", Severity: qoldau.SevError, Message: p.Message()})
}

func (rd *reader) sourceError(err error) {
	if p, ok := err.(*table.Problem); ok {
		rd.fileProblem(p)
		return
	}
	rd.fileProblem(table.AsProblem(err, rd.lim))
}

// addFile records a file-level finding.
func (rd *reader) addFile(code string, sev qoldau.Severity, fieldKey, detail string) {
	if sev == qoldau.SevError {
		rd.res.FileError = true
	}
	rd.res.Findings = append(rd.res.Findings, qoldau.Finding{
		Code: code, Severity: sev, Field: fieldKey, Message: message(code, "", fieldKey, detail)})
}

// run maps the header and reads every line.
func (rd *reader) run(tb *table.Table) {
	if tb.HeaderAt < 0 {
		rd.addFile("header-not-found", qoldau.SevError, "", "")
		if more := tb.HeaderNotFound(); more.EN != "" {
			m := &rd.res.Findings[len(rd.res.Findings)-1].Message
			m.KK, m.RU, m.EN = m.KK+" "+more.KK, m.RU+" "+more.RU, m.EN+" "+more.EN
		}
		return
	}
	if !rd.mapHeader(tb.Head[tb.HeaderAt]) {
		return
	}
	rd.seen = map[string]int{}
	for tb.Next() {
		rd.line(tb.RowNum(), tb.Cells())
	}
	if err := tb.Err(); err != nil {
		rd.sourceError(err)
		return
	}
	if n := tb.Repeats(); n > 0 {
		rd.addFile("header-repeat", qoldau.SevWarning, "", strconv.Itoa(n))
	}
	rd.res.Findings = append(rd.res.Findings, tb.Findings()...)
	if rd.res.Read == 0 {
		rd.addFile("no-data", qoldau.SevError, "", "")
	}
}

// mapHeader maps the header's columns to fields; false on a file-level error.
func (rd *reader) mapHeader(head table.Row) bool {
	l, findings, ok := schema.Map(head, catalogue)
	rd.colField = l.ColField
	copy(rd.cols[:], l.FieldCol)
	for _, f := range findings {
		if f.Severity == qoldau.SevError {
			rd.res.FileError = true
		}
	}
	rd.res.Findings = append(rd.res.Findings, findings...)
	return ok
}

// line checks one line; false when it is blank (not a data line).
func (rd *reader) line(num int, cells []xlsx.Cell) bool {
	rd.vals = [nFields]string{}
	rd.cells = [nFields]*xlsx.Cell{}
	any := false
	for i := range cells {
		c := &cells[i]
		v := table.Trim(c.Value)
		if v == "" {
			continue
		}
		any = true // data in an extra column still makes a line
		if c.Col >= len(rd.colField) || rd.colField[c.Col] < 0 {
			continue
		}
		f := rd.colField[c.Col]
		rd.vals[f], rd.cells[f] = v, c
	}
	if !any {
		return false
	}
	rd.num, rd.nErr = num, 0
	rd.res.Read++
	for f, c := range columns {
		if c.required && rd.vals[f] == "" {
			rd.errf("required-missing", field(f), "")
		}
	}
	a := qoldau.Act{Source: rd.res.SHA256, Line: num}
	if s := rd.vals[fNumber]; s != "" {
		a.Number = rd.numberText(fNumber)
	}
	if s := rd.vals[fBinIIN]; s != "" {
		a.BinIIN = rd.binIIN(s)
	}
	var svc refdata.Service
	okSvc := false
	if s := rd.vals[fService]; s != "" {
		if svc, okSvc = rd.ref.Service(s); okSvc {
			a.Service = svc.Code
		} else {
			rd.errf("unknown-value", fService, "unknown-value.service")
		}
	}
	if s := rd.vals[fSubtype]; s != "" {
		a.Subtype = s
		if okSvc && len(svc.Subtypes) > 0 {
			if st, ok := rd.ref.Subtype(svc.Code, s); ok {
				a.Subtype = st.Code
			} else {
				rd.errf("unknown-value", fSubtype, "unknown-value.subtype")
			}
		}
	}
	actDate, okAct := rd.date(fActDate)
	svcDate, okSvcDate := rd.date(fServiceDate)
	okAct = okAct && rd.inRange(fActDate, actDate)
	okSvcDate = okSvcDate && rd.inRange(fServiceDate, svcDate)
	a.Date, a.ServiceDate = actDate, svcDate
	if s := rd.vals[fConfirmation]; s != "" {
		if conf, ok := ParseConfirmation(s); ok {
			a.Confirmation = conf
		} else {
			rd.errf("unknown-value", fConfirmation, "unknown-value.confirmation")
		}
	}
	if okAct && okSvcDate && actDate < svcDate {
		rd.add("act-date-order", "act-date-order", qoldau.SevError, fActDate, svcDate.DMY())
	}
	if rd.nErr > 0 {
		rd.res.Rejected++
		return true
	}
	key := a.Key()
	if prev, dup := rd.seen[key]; dup {
		rd.add("duplicate-act", "duplicate-act", qoldau.SevWarning, fNumber, strconv.Itoa(prev))
		return true
	}
	rd.seen[key] = num
	rd.res.Acts = append(rd.res.Acts, a)
	return true
}

// add records a finding on field f of the current line; key names its message.
func (rd *reader) add(code, key string, sev qoldau.Severity, f field, detail string) {
	if sev == qoldau.SevError {
		rd.nErr++
	}
	var column, cell string
	where := "№" + strconv.Itoa(rd.num)
	if col := rd.cols[f]; col >= 0 {
		column, cell = xlsx.ColName(col), xlsx.CellName(col, rd.num)
		where = cell
	}
	rd.res.Findings = append(rd.res.Findings, qoldau.Finding{
		Code: code, Severity: sev, Row: rd.num, Column: column, Cell: cell, Field: f.key(),
		Value: rd.display(f), Message: message(key, where, f.key(), detail),
	})
}

// errf records an error finding; key "" means the code's own message.
func (rd *reader) errf(code string, f field, key string) {
	if key == "" {
		key = code
	}
	rd.add(code, key, qoldau.SevError, f, "")
}

// display is the value a finding shows: the cell's text, with a date cell's serial
// number written as DD.MM.YYYY.
func (rd *reader) display(f field) string {
	s := rd.vals[f]
	if c := rd.cells[f]; c != nil && c.Type == xlsx.Number && (f == fActDate || f == fServiceDate) {
		if d, p := register.ParseDate(*c, rd.date1904); p == "" {
			return d.DMY()
		}
	}
	return s
}

// date parses a date field, recording a type-error when it does not parse.
func (rd *reader) date(f field) (civil.Date, bool) {
	if rd.vals[f] == "" {
		return 0, false
	}
	d, p := register.ParseDate(*rd.cells[f], rd.date1904)
	switch p {
	case "":
		return d, true
	case "excel-error":
		rd.add("type-error", "type-error.excel-error", qoldau.SevError, f, rd.vals[f])
	case "year2":
		rd.add("type-error", "type-error.year2", qoldau.SevError, f, "")
	default:
		rd.add("type-error", "type-error.date", qoldau.SevError, f, "")
	}
	return 0, false
}

// firstDay is the domain's first day (qoldau.Epoch): no act or service is older.
var firstDay = workday.Today(qoldau.Epoch)

// inRange checks a date against the domain's range, from its first day to the day
// the file was received, recording an error on field f when it is out.
func (rd *reader) inRange(f field, d civil.Date) bool {
	switch {
	case d < firstDay:
		rd.add("date-out-of-range", "date-out-of-range.early", qoldau.SevError, f, firstDay.DMY())
	case d > rd.received:
		rd.add("future-date", "future-date", qoldau.SevError, f, rd.received.DMY())
	default:
		return true
	}
	return false
}

// numberText is the text of a cell, with a number cell's whole value written out
// in digits ("1.2E+5" → "120000").
func (rd *reader) numberText(f field) string {
	v := rd.vals[f]
	if c := rd.cells[f]; c != nil && c.Type == xlsx.Number {
		return table.NumberDigits(v)
	}
	return v
}

// binIIN checks the IIN/BIN cell and returns the number ("" when it is wrong).
func (rd *reader) binIIN(s string) string {
	c := rd.cells[fBinIIN]
	if c.Type == xlsx.ErrorValue {
		rd.add("type-error", "type-error.excel-error", qoldau.SevError, fBinIIN, s)
		return ""
	}
	digits := table.StripSpaces(s)
	if c.Type == xlsx.Number {
		digits = table.NumberDigits(digits)
		if table.AllDigits(digits) && len(digits) >= 9 && len(digits) < 12 {
			rd.add("bin-iin-format", "bin-iin-format.lost-zeros", qoldau.SevError, fBinIIN, strconv.Itoa(len(digits)))
			return ""
		}
	}
	switch _, p := iin.Parse(digits); p {
	case iin.OK:
		return digits
	case iin.Format:
		rd.errf("bin-iin-format", fBinIIN, "")
	case iin.Impossible:
		rd.errf("bin-iin-format", fBinIIN, "bin-iin-format.impossible")
	default:
		rd.errf("bin-iin-checksum", fBinIIN, "")
	}
	return ""
}

// finish orders the findings and counts them.
func (rd *reader) finish() *ActsResult {
	res := rd.res
	if res.FileError {
		// The file as a whole cannot be used: no line is taken.
		res.Acts = []qoldau.Act{}
		res.Rejected = res.Read
	}
	sort.SliceStable(res.Findings, func(i, j int) bool {
		a, b := &res.Findings[i], &res.Findings[j]
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return table.ColIndex(a.Column) < table.ColIndex(b.Column)
	})
	for _, f := range res.Findings {
		res.Counts[f.Code]++
	}
	return res
}
