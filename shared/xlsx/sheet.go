package xlsx

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// CellType is the kind of value a cell holds.
type CellType uint8

// Cell types.
const (
	// String: a shared string, an inline string (rich text included), or the cached
	// text result of a formula (t="str").
	String CellType = iota + 1
	// Number: the number's text as stored ("45123", "4.5E+3"); see Cell.Date.
	Number
	// Bool: Value is "1" or "0".
	Bool
	// ErrorValue: an error cell; Value is the error text such as "#N/A".
	ErrorValue
	// DateISO: a t="d" cell; Value is its ISO 8601 text.
	DateISO
)

// String returns the type's name ("number").
func (t CellType) String() string {
	switch t {
	case String:
		return "string"
	case Number:
		return "number"
	case Bool:
		return "bool"
	case ErrorValue:
		return "error"
	case DateISO:
		return "date-iso"
	}
	return "celltype(" + strconv.Itoa(int(t)) + ")"
}

// Cell is one cell with a value.
type Cell struct {
	// Col is the 0-based column index (A = 0).
	Col int
	// Type is the kind of value.
	Type CellType
	// Value is the resolved text: the shared or inline string (entities and
	// _xHHHH_ escapes decoded, rich-text runs concatenated, phonetic runs left
	// out), the number text as stored, "1"/"0" for booleans, the error text, or
	// the ISO text of a t="d" cell. It is never empty. Strings stay valid after
	// Next; the Cells slice holding them does not.
	Value string
	// Date reports a Number cell whose style shows it as a date or time (built-in
	// formats 14-22, 27-36, 45-47, 50-58, or a custom format with date or time
	// tokens). Convert with civil.FromExcel and Workbook.Date1904.
	Date bool
}

// maxRowText bounds the decoded text of one row's non-shared values.
const maxRowText = 64 << 20

// Sheet reads one worksheet row by row:
//
//	for sh.Next() {
//		for _, c := range sh.Cells() { … }
//	}
//	if err := sh.Err(); err != nil { … }
//
// A Sheet is not safe for concurrent use.
type Sheet struct {
	name   string
	wb     *Workbook
	pr     *partReader
	sst    *sharedStrings
	dateXF []bool
	lim    Limits

	sc scanner
	tg tag

	state    int // 0 before <sheetData>, 1 inside it, 2 done
	rowNum   int
	prevRow  int
	implicit bool // the current row had no r attribute
	rows     int  // rows with data so far

	cells    []Cell
	spans    []span
	buf      []byte // decoded text of the row's non-shared values
	unsorted bool

	cols  [excelMaxCols / 64]uint64 // columns seen holding data
	ncols int

	err    error
	closed bool
}

// span locates a cell's text in Sheet.buf; a < 0 when the Value is set already.
type span struct{ a, b int32 }

// Cell kinds by the t attribute.
const (
	kNumber    = 'n'
	kShared    = 's'
	kInline    = 'i'
	kFormula   = 'f' // t="str" and unknown types: text
	kBool      = 'b'
	kError     = 'e'
	kDate      = 'd'
	rowEndSeen = 1
)

func newSheet(w *Workbook, name string, pr *partReader, sst *sharedStrings) *Sheet {
	s := &Sheet{name: name, wb: w, pr: pr, sst: sst, dateXF: w.dateXF, lim: w.lim}
	s.sc.reset(pr)
	return s
}

// Next advances to the next row that has at least one cell with a value. It returns
// false at the end of the sheet or on an error; check Err.
func (s *Sheet) Next() bool {
	for s.err == nil && s.state != 2 {
		if !s.readRow() {
			return false
		}
		if len(s.cells) > 0 {
			s.rows++
			if s.rows > s.lim.MaxRows {
				s.setErr(&Error{Problem: TooManyRows, Limit: int64(s.lim.MaxRows),
					Detail: fmt.Sprintf("more than %d rows with data (row %d)", s.lim.MaxRows, s.rowNum)})
				return false
			}
			return true
		}
	}
	return false
}

// Name returns the sheet's name.
func (s *Sheet) Name() string { return s.name }

// RowNum returns the current row's 1-based number, as Excel shows it.
func (s *Sheet) RowNum() int { return s.rowNum }

// Cells returns the current row's cells that hold a value, sorted by column. The
// slice is reused: it is valid until the next call of Next.
func (s *Sheet) Cells() []Cell { return s.cells }

// Err returns the error that stopped Next: an *Error for a limit or a damaged file,
// a wrapped I/O error if reading the underlying file failed, or nil at a clean end.
func (s *Sheet) Err() error { return s.err }

// Close releases the sheet's inflater. It does not report read errors (see Err).
func (s *Sheet) Close() error {
	s.state = 2
	if s.closed {
		return nil
	}
	s.closed = true
	return s.pr.Close()
}

// Read returns how many bytes of sheet XML have been inflated so far, for progress.
func (s *Sheet) Read() int64 { return s.pr.n }

// Size returns the declared uncompressed size of the sheet part (0 if unknown).
func (s *Sheet) Size() int64 { return s.pr.declared }

func (s *Sheet) setErr(err error) {
	if e, ok := err.(*Error); ok && e.Sheet == "" {
		e.Sheet = s.name
	}
	if s.err == nil {
		s.err = err
	}
	s.state = 2
}

func (s *Sheet) corrupt(format string, args ...any) {
	s.setErr(errorf(Corrupt, format, args...))
}

// stopped handles the scanner's end: an error, or the end of the part.
func (s *Sheet) stopped() bool {
	if s.sc.err != nil {
		s.setErr(s.wb.classify(s.sc.err, s.pr.name, s.pr))
		return false
	}
	if s.state == 1 {
		s.corrupt("%s ends inside <sheetData>", s.pr.name)
		return false
	}
	s.state = 2
	return false
}

// finish reads the rest of the part after </sheetData>, so that its checksum is
// verified, and ends the sheet.
func (s *Sheet) finish() bool {
	s.state = 2
	for {
		_, err := s.pr.Read(s.sc.buf)
		if err != nil {
			if err != io.EOF {
				s.setErr(s.wb.classify(err, s.pr.name, s.pr))
			}
			return false
		}
	}
}

// readRow reads up to and through the next <row> element. It returns false at the
// end or on an error.
func (s *Sheet) readRow() bool {
	t := &s.tg
	for {
		if !s.sc.nextTag(t) {
			return s.stopped()
		}
		if s.state == 0 {
			if t.is("sheetData") && !t.end {
				if t.empty {
					return s.finish()
				}
				s.state = 1
			}
			continue
		}
		if t.end {
			if t.is("sheetData") {
				return s.finish()
			}
			continue
		}
		if !t.is("row") {
			if t.ns != kindMain && !s.sc.skipOther(t) {
				return s.stopped()
			}
			continue
		}
		if !s.startRow(t) {
			return false
		}
		if t.empty {
			return true
		}
		return s.readCells()
	}
}

func (s *Sheet) startRow(t *tag) bool {
	s.cells, s.spans, s.buf, s.unsorted = s.cells[:0], s.spans[:0], s.buf[:0], false
	s.implicit = true
	it := attrIter(t.attrs)
	for name, val, ok := it.next(); ok; name, val, ok = it.next() {
		if len(name) != 1 || name[0] != 'r' {
			continue
		}
		n, ok := parseUint(val, excelMaxRows+1)
		if !ok && len(trimSpace(val)) > 0 && allDigits(trimSpace(val)) {
			n, ok = excelMaxRows+1, true // a huge number
		}
		if !ok || n == 0 {
			s.corrupt("bad row number in %s", s.pr.name)
			return false
		}
		s.rowNum, s.implicit = n, false
	}
	if s.implicit {
		s.rowNum = s.prevRow + 1
	}
	s.prevRow = s.rowNum
	return s.checkRowNum()
}

func (s *Sheet) checkRowNum() bool {
	if s.rowNum > excelMaxRows {
		s.setErr(&Error{Problem: TooManyRows, Limit: excelMaxRows,
			Detail: fmt.Sprintf("row number %d is past Excel's last row", s.rowNum)})
		return false
	}
	return true
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// readCells reads the cells of the current row through </row>.
func (s *Sheet) readCells() bool {
	t := &s.tg
	col := -1
	for s.sc.nextTag(t) {
		if t.end {
			if t.is("row") {
				return s.endRow()
			}
			if t.is("sheetData") { // a missing </row>
				s.endRow()
				s.finish()
				return s.err == nil
			}
			continue
		}
		if !t.is("c") {
			if (t.ns != kindMain || t.is("extLst")) && !s.sc.skipOther(t) {
				break
			}
			continue
		}
		kind, style, hasRef := byte(kNumber), 0, false
		it := attrIter(t.attrs)
		for name, val, ok := it.next(); ok; name, val, ok = it.next() {
			if len(name) != 1 {
				continue
			}
			switch name[0] {
			case 'r':
				c, r, ok := parseRef(val)
				if !ok {
					s.corrupt("bad cell reference in row %d", s.rowNum)
					return false
				}
				col, hasRef = c, true
				if s.implicit && r > 0 {
					// A row without r: its cells say where it is.
					s.rowNum, s.prevRow = r, r
					if !s.checkRowNum() {
						return false
					}
				}
				s.implicit = false
			case 't':
				kind = cellKind(val)
			case 's':
				style, _ = parseUint(val, 1<<30)
			}
		}
		if !hasRef {
			col++
		}
		if col >= excelMaxCols {
			s.corrupt("cell past column XFD in row %d", s.rowNum)
			return false
		}
		if t.empty {
			continue
		}
		end, ok := s.readCell(col, kind, style)
		if !ok {
			return false
		}
		if end == rowEndSeen {
			return s.endRow()
		}
	}
	if s.sc.err == nil {
		s.corrupt("%s ends inside a row", s.pr.name)
		return false
	}
	return s.stopped()
}

func cellKind(v []byte) byte {
	switch string(v) {
	case "s":
		return kShared
	case "n", "":
		return kNumber
	case "str":
		return kFormula
	case "inlineStr":
		return kInline
	case "b":
		return kBool
	case "e":
		return kError
	case "d":
		return kDate
	}
	return kFormula
}

// readCell reads a cell's content through </c> and adds the cell if it has a value.
// end is rowEndSeen when a </row> closed the cell (a missing </c>).
func (s *Sheet) readCell(col int, kind byte, style int) (end int, ok bool) {
	t := &s.tg
	start := len(s.buf)
	// Fast path for what nearly every writer writes: <v>text</v></c>.
	if s.sc.defNS == kindMain && s.sc.hasPrefix("<v>") {
		s.sc.pos += 3
		if s.buf, ok = s.sc.appendText(s.buf); !ok {
			return 0, s.stopped()
		}
		if s.sc.hasPrefix("</v></c>") {
			s.sc.pos += 8
			return 0, s.addCell(col, kind, style, start)
		}
	}
	for {
		if !s.sc.nextTag(t) {
			return 0, s.endsInCell()
		}
		name, main := t.name, t.ns == kindMain
		if t.end {
			if main && len(name) == 1 && name[0] == 'c' {
				break
			}
			if t.is("row") {
				end = rowEndSeen
				break
			}
			continue
		}
		if t.empty {
			continue
		}
		switch {
		case main && len(name) == 1 && name[0] == 'v':
			if s.buf, ok = s.sc.appendText(s.buf); !ok {
				return 0, s.stopped()
			}
			if !s.cellText(col, start) {
				return 0, false
			}
		case main && len(name) == 2 && name[0] == 'i' && name[1] == 's':
			if !s.readInline(col, start) {
				return 0, false
			}
		case !main || t.is("extLst"):
			if !s.sc.skipOther(t) {
				return 0, s.endsInCell()
			}
		}
	}
	return end, s.addCell(col, kind, style, start)
}

// cellText checks the length of the text of the cell at col that starts at
// s.buf[start:], as it grows: a value is one text node of at most maxText bytes, and
// so are all its runs or values together.
func (s *Sheet) cellText(col, start int) bool {
	if len(s.buf)-start > maxText {
		s.setErr(&Error{Problem: Corrupt, Limit: maxText,
			Detail: fmt.Sprintf("cell %s holds more than %d bytes of text", CellName(col, s.rowNum), maxText)})
		return false
	}
	return true
}

// readInline reads an inline string's <t> texts, leaving out phonetic runs, through
// </is>; the cell at col has its text from s.buf[start:].
func (s *Sheet) readInline(col, start int) bool {
	t := &s.tg
	inRPh := false
	for s.sc.nextTag(t) {
		switch {
		case t.is("is"):
			if t.end {
				return true
			}
		case t.is("rPh"):
			if !t.empty {
				inRPh = !t.end
			}
		case t.is("t"):
			if t.end || t.empty || inRPh {
				continue
			}
			var ok bool
			if s.buf, ok = s.sc.appendText(s.buf); !ok {
				return s.stopped()
			}
			if !s.cellText(col, start) {
				return false
			}
		case t.ns != kindMain:
			if !s.sc.skipOther(t) {
				return s.endsInCell()
			}
		}
	}
	return s.endsInCell()
}

// endsInCell handles the end of the input inside a cell.
func (s *Sheet) endsInCell() bool {
	if s.sc.err == nil {
		s.corrupt("%s ends inside a cell", s.pr.name)
		return false
	}
	return s.stopped()
}

// addCell turns the text in s.buf[start:] into a cell, if it is a value.
func (s *Sheet) addCell(col int, kind byte, style, start int) bool {
	text := s.buf[start:]
	c := Cell{Col: col}
	sp := span{a: -1}
	switch kind {
	case kShared:
		i, ok := parseUint(text, 1<<31)
		s.buf = s.buf[:start]
		if !ok {
			if len(trimSpace(text)) == 0 {
				return true
			}
			s.corrupt("bad shared string index in row %d", s.rowNum)
			return false
		}
		if s.sst == nil {
			s.corrupt("cell %s refers to shared strings, but the workbook has none", CellName(col, s.rowNum))
			return false
		}
		v, ok := s.sst.get(i)
		if !ok {
			s.corrupt("cell %s refers to shared string %d of %d", CellName(col, s.rowNum), i, s.sst.Len())
			return false
		}
		if v == "" {
			return true
		}
		c.Type, c.Value = String, v
	case kInline, kFormula:
		text = decodeEscapes(text)
		s.buf = s.buf[:start+len(text)]
		if len(text) == 0 {
			return true
		}
		c.Type = String
		sp = span{int32(start), int32(len(s.buf))}
	default:
		a, b := start, len(s.buf)
		for a < b && isSpace(s.buf[a]) {
			a++
		}
		for b > a && isSpace(s.buf[b-1]) {
			b--
		}
		if a == b {
			s.buf = s.buf[:start]
			return true
		}
		switch kind {
		case kBool:
			c.Type = Bool
			switch v := s.buf[a:b]; {
			case len(v) == 4 && v[0]|0x20 == 't' && v[1]|0x20 == 'r' && v[2]|0x20 == 'u' && v[3]|0x20 == 'e':
				s.buf[a], b = '1', a+1
			case len(v) == 5 && v[0]|0x20 == 'f' && v[1]|0x20 == 'a' && v[2]|0x20 == 'l' && v[3]|0x20 == 's' && v[4]|0x20 == 'e':
				s.buf[a], b = '0', a+1
			}
		case kError:
			c.Type = ErrorValue
		case kDate:
			c.Type = DateISO
		default:
			c.Type = Number
			c.Date = style < len(s.dateXF) && s.dateXF[style]
		}
		sp = span{int32(a), int32(b)}
	}
	if len(s.buf) > maxRowText {
		s.corrupt("row %d holds more than %d bytes of text", s.rowNum, maxRowText)
		return false
	}
	// Columns with data, across the sheet.
	if w, bit := col>>6, uint64(1)<<(col&63); s.cols[w]&bit == 0 {
		s.cols[w] |= bit
		s.ncols++
		if s.ncols > s.lim.MaxColumns {
			s.setErr(&Error{Problem: TooManyColumns, Limit: int64(s.lim.MaxColumns),
				Detail: fmt.Sprintf("data in more than %d columns (column %s, row %d)", s.lim.MaxColumns, ColName(col), s.rowNum)})
			return false
		}
	}
	if n := len(s.cells); n > 0 && col <= s.cells[n-1].Col {
		s.unsorted = true
		if n >= excelMaxCols {
			s.corrupt("row %d has more cells than Excel allows", s.rowNum)
			return false
		}
	}
	s.cells = append(s.cells, c)
	s.spans = append(s.spans, sp)
	return true
}

// endRow sets the Values of the row's cells from one string made of the row's text
// (one allocation per row) and sorts the cells when the file had them out of order.
func (s *Sheet) endRow() bool {
	if len(s.buf) > 0 {
		str := string(s.buf)
		for i, sp := range s.spans {
			if sp.a >= 0 {
				s.cells[i].Value = str[sp.a:sp.b]
			}
		}
	}
	if s.unsorted {
		slices.SortStableFunc(s.cells, func(a, b Cell) int { return a.Col - b.Col })
		// Two cells for one column: the later one wins, as in Excel.
		out := s.cells[:0]
		for i, c := range s.cells {
			if i+1 < len(s.cells) && s.cells[i+1].Col == c.Col {
				continue
			}
			out = append(out, c)
		}
		s.cells = out
	}
	return true
}
