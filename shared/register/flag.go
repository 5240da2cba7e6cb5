package register

import (
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/scratch"
	"github.com/qoldau/qoldau/shared/table"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Fill colours of flagged cells.
const (
	ErrorFill   = "FF8080" // red: the row is rejected
	WarningFill = "FFFF66" // yellow: a remark
)

// ErrorsSheet names the sheet listing the findings in the languages langs
// ("Қателер — Ошибки" for Kazakh and Russian).
func ErrorsSheet(langs ...string) string { return inLangs(sheetLabel("errors"), langs, " — ") }

// csvSheet names the sheet a CSV register is written to, in the languages langs
// (an .ods or .xls register keeps its sheet's name).
func csvSheet(langs []string) string { return inLangs(sheetLabel("register"), langs, " — ") }

// inLangs joins t's texts in langs with sep.
func inLangs(t qoldau.Text, langs []string, sep string) string {
	parts := make([]string, len(langs))
	for i, l := range langs {
		parts[i] = t.In(l)
	}
	return strings.Join(parts, sep)
}

// errorsHeader is the Errors sheet's header row and column widths: row, cell,
// error, severity, field, value, then the explanation in each language.
func errorsHeader(langs []string) ([]string, []float64) {
	h := []string{}
	for _, k := range []string{"row", "cell", "error", "severity", "field", "value"} {
		h = append(h, inLangs(sheetLabel(k), langs, " — "))
	}
	w := []float64{8, 9, 30, 12, 20, 24}
	for _, l := range langs {
		h = append(h, sheetLabel("message").In(l))
		w = append(w, 60)
	}
	return h, w
}

// WriteFlagged writes the register back to the operator (docs/rules.md,
// "What validation returns"): the original workbook, unchanged but for every flagged cell
// filled (red for an error, yellow for a warning) with a comment holding the
// messages, and a first sheet listing the findings with links to the cells. Its
// texts (sheet names, headers, errors by description, severities, field names and
// messages) are in the languages langs, in that order (none: kk, ru and en). A
// CSV register is first written as a workbook with its cells as text. The
// workbook is streamed (xlsx.Flag): memory holds the findings, not the sheet.
func WriteFlagged(srcPath string, res *Result, out string, langs ...string) error {
	if len(langs) == 0 {
		langs = []string{"kk", "ru", "en"}
	}
	src, sheet, cleanup, err := flagSource(srcPath, res, langs)
	if err != nil {
		return err
	}
	defer cleanup()
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".flagged-*.xlsx")
	if err != nil {
		return flagError(err)
	}
	defer os.Remove(tmp.Name())
	marks, rows, widths, err := flagMarks(res, sheet, langs)
	if err != nil {
		return err
	}
	if err := xlsx.Flag(tmp, in, st.Size(), sheet, marks, ErrorsSheet(langs...), rows, widths); err != nil {
		tmp.Close()
		return flagError(err)
	}
	if err := tmp.Close(); err != nil {
		return flagError(err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return flagError(err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return flagError(err)
	}
	return nil
}

func flagError(err error) error {
	return qoldau.E(qoldau.Internal, texts.Text("errors.cannot-write-flagged-workbook"), err)
}

// flagSource returns the workbook to flag and the sheet: the upload itself, or a
// CSV, .ods or .xls register written as an .xlsx in a temporary file.
func flagSource(srcPath string, res *Result, langs []string) (path, sheet string, cleanup func(), err error) {
	if res.Kind == "xlsx" {
		return srcPath, res.Sheet, func() {}, nil
	}
	in, err := os.Open(srcPath)
	if err != nil {
		return "", "", nil, err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return "", "", nil, err
	}
	tmp, err := scratch.CreateTemp("book-*.xlsx")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.Remove(tmp.Name()) }
	sheet = res.Sheet
	if sheet == "" {
		sheet = csvSheet(langs)
	}
	if err := copyToBook(tmp, in, st.Size(), res, sheet); err != nil {
		tmp.Close()
		cleanup()
		return "", "", nil, err
	}
	if err := tmp.Close(); err != nil {
		cleanup()
		return "", "", nil, err
	}
	return tmp.Name(), sheet, cleanup, nil
}

// copyToBook writes the sheet the register was read from as a one-sheet .xlsx
// named sheet, each cell on its row: numbers as numbers, dates as dates, the rest
// (all of a CSV) as text.
func copyToBook(w io.Writer, r io.ReaderAt, size int64, res *Result, sheet string) error {
	src, p := table.OpenSheet(r, size, res.Sheet, xlsx.DefaultLimits())
	if p != nil {
		return p
	}
	defer src.Close()
	xw := xlsx.NewWriter(w, sheet)
	row := 0
	var vals []xlsx.Value
	for src.Next() {
		for row+1 < src.RowNum() { // keep row numbers: blank rows stay blank
			if err := xw.WriteRow(nil); err != nil {
				return err
			}
			row++
		}
		vals = vals[:0]
		for _, c := range src.Cells() {
			for len(vals) < c.Col {
				vals = append(vals, xlsx.Value{})
			}
			vals = append(vals, bookValue(c, res.Date1904))
		}
		if err := xw.WriteRow(vals); err != nil {
			return err
		}
		row++
	}
	if err := src.Err(); err != nil {
		return err
	}
	return xw.Close()
}

// MaxFlagged bounds the flagged workbook: the cells of the first MaxFlagged
// findings are marked and listed on the Errors sheet (Excel keeps at most 65,530
// hyperlinks on a sheet), and a last row says how many more there are; the JSON
// report lists every finding. It keeps the workbook one a person can open and the
// memory of writing it bounded, however many cells are wrong.
const MaxFlagged = 65530

var maxFlagged = MaxFlagged // tests lower it

// bookValue is the value to write for a cell read from an .ods, .xls or CSV file.
func bookValue(c xlsx.Cell, date1904 bool) xlsx.Value {
	switch c.Type {
	case xlsx.Number:
		if c.Date {
			if d, ok := xlsx.ExcelDate(c.Value, date1904); ok {
				return xlsx.DateOf(d)
			}
		}
		if f, err := strconv.ParseFloat(c.Value, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return xlsx.Num(f)
		}
	case xlsx.DateISO:
		if d, ok := isoDate(c.Value); ok {
			return xlsx.DateOf(d)
		}
	}
	return xlsx.Text(c.Value)
}

// flagMarks turns findings into cell marks and the Errors sheet's rows.
func flagMarks(res *Result, sheet string, langs []string) ([]xlsx.Mark, [][]xlsx.ErrCell, []float64, error) {
	type mark struct {
		col, row int
		sev      qoldau.Severity
		msgs     []string
	}
	byCell := map[string]*mark{}
	header, widths := errorsHeader(langs)
	head := make([]xlsx.ErrCell, len(header))
	for i, h := range header {
		head[i] = xlsx.ErrCell{Text: h}
	}
	rows := make([][]xlsx.ErrCell, 0, min(res.Findings.Len(), maxFlagged)+2)
	rows = append(rows, head)
	quoted := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	first := mergedFirst(res.Merged)
	n := 0
	err := res.Findings.Each(func(fd *qoldau.Finding) error {
		if n == maxFlagged {
			return ErrStop
		}
		n++
		if fd.Cell != "" {
			// A cell inside a merged range is hidden: the mark goes on its first cell.
			col, row := first(table.ColIndex(fd.Column), fd.Row)
			cell := xlsx.CellName(col, row)
			m := byCell[cell]
			if m == nil {
				m = &mark{col: col, row: row, sev: fd.Severity}
				byCell[cell] = m
			}
			if fd.Severity == qoldau.SevError {
				m.sev = qoldau.SevError
			}
			m.msgs = append(m.msgs, inLangs(fd.Message, langs, "\n"))
		}
		field := fd.Field
		if l := FieldLabel(fd.Field); l.EN != "" {
			field = inLangs(l, langs, " — ")
		}
		r := []xlsx.ErrCell{{}, {Text: fd.Cell}, {Text: inLangs(Title(fd.Code, fd.Severity), langs, " — ")},
			{Text: inLangs(SeverityLabel(fd.Severity), langs, " — ")}, {Text: field}, {Text: fd.Value}}
		for _, l := range langs {
			r = append(r, xlsx.ErrCell{Text: fd.Message.In(l)})
		}
		if fd.Row > 0 {
			r[0] = xlsx.ErrCell{Number: float64(fd.Row), IsNumber: true}
		}
		if fd.Cell != "" {
			r[1].Link = quoted + fd.Cell
		}
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	if more := res.Findings.Len() - n; more > 0 {
		m := message("flag-more", msgArgs{detail: strconv.Itoa(more)})
		last := []xlsx.ErrCell{{}, {}, {}, {}, {}, {}}
		for _, l := range langs {
			last = append(last, xlsx.ErrCell{Text: m.In(l)})
		}
		rows = append(rows, last)
	}
	marks := make([]xlsx.Mark, 0, len(byCell))
	for _, m := range byCell {
		fill := ErrorFill
		if m.sev == qoldau.SevWarning {
			fill = WarningFill
		}
		marks = append(marks, xlsx.Mark{Col: m.col, Row: m.row, Fill: fill, Comment: strings.Join(m.msgs, "\n\n")})
	}
	sort.Slice(marks, func(i, j int) bool {
		if marks[i].Row != marks[j].Row {
			return marks[i].Row < marks[j].Row
		}
		return marks[i].Col < marks[j].Col
	})
	return marks, rows, widths, nil
}

// mergedFirst returns a function giving, for a cell, the first cell of the merged
// range that covers it (the cell itself when none does).
func mergedFirst(merged []xlsx.Range) func(col, row int) (int, int) {
	if len(merged) == 0 {
		return func(col, row int) (int, int) { return col, row }
	}
	byCol := map[int][]xlsx.Range{} // ranges by each column they cover, in row order
	for _, r := range merged {
		for c := r.Col1; c <= r.Col2 && c < r.Col1+256; c++ {
			byCol[c] = append(byCol[c], r)
		}
	}
	for _, rs := range byCol {
		xlsx.SortRanges(rs)
	}
	return func(col, row int) (int, int) {
		rs := byCol[col]
		i := sort.Search(len(rs), func(i int) bool { return rs[i].Row1 > row }) - 1
		if i >= 0 && rs[i].Contains(col, row) {
			return rs[i].Col1, rs[i].Row1
		}
		return col, row
	}
}
