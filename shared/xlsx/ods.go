package xlsx

import (
	"bytes"
	"fmt"
	"io"
)

// ODS is an opened OpenDocument spreadsheet (.ods, as LibreOffice, Google Sheets and
// Excel save it): a zip whose content.xml holds every sheet, one after another. Its
// sheets are therefore read in order from one stream: NextSheet skips the rest of
// the current sheet. The same limits apply as to a workbook, and the same byte
// scanner reads the XML. Cells come out as from a Sheet: a float, percentage or
// currency cell is a Number with its office:value, a date cell is a DateISO with
// its office:date-value, a boolean a Bool, an error an ErrorValue, anything else
// the cell's text (paragraphs joined by line breaks, <text:s/> spaces expanded,
// comments left out). Repeated rows and cells are repeated; merged cells
// (table:number-rows-spanned, table:number-columns-spanned) are given as ranges of
// the row that starts them.
type ODS struct {
	w        *Workbook
	pr       *partReader
	sc       scanner
	tg       tag
	date1904 bool
	cur      *ODSSheet
	done     bool
	err      error
}

// ODSSheet reads one sheet of an ODS, row by row, like Sheet.
type ODSSheet struct {
	o      *ODS
	name   string
	rowNum int // the current row
	next   int // the number of the next row to read
	repeat int // further copies of the current row still to give
	rows   int

	cells  []Cell
	spans  []span
	buf    []byte
	val    []byte // the current cell's value attribute
	merges []Range

	cols  [excelMaxCols / 64]uint64
	ncols int

	done bool
	err  error
}

const odsMimeType = "application/vnd.oasis.opendocument.spreadsheet"

// OpenODS checks and opens the OpenDocument spreadsheet in r (size bytes). Every
// bad-file case returns an *Error, as Open does: an OpenDocument file that is not a
// spreadsheet is NotWorkbook, one with encrypted parts Encrypted.
func OpenODS(r io.ReaderAt, size int64, lim Limits) (*ODS, error) {
	w, err := openZip(r, size, lim)
	if err != nil {
		return nil, err
	}
	if f := w.file("mimetype"); f != nil {
		mt, err := w.readSmall(f)
		if err != nil {
			return nil, err
		}
		mt = bytes.TrimSpace(mt)
		if !bytes.HasPrefix(mt, []byte(odsMimeType)) {
			return nil, errorf(NotWorkbook, "an OpenDocument file of type %q, not a spreadsheet", truncate(string(mt), 80))
		}
	}
	if f := w.file("META-INF/manifest.xml"); f != nil {
		m, err := w.readSmall(f)
		if err != nil {
			return nil, err
		}
		if bytes.Contains(m, []byte("encryption-data")) {
			return nil, errorf(Encrypted, "password-protected OpenDocument file (encrypted parts)")
		}
	}
	f := w.file("content.xml")
	if f == nil {
		return nil, errorf(NotWorkbook, "%s", w.describe())
	}
	pr, err := w.openPart(f)
	if err != nil {
		return nil, err
	}
	o := &ODS{w: w, pr: pr}
	o.sc.reset(pr)
	return o, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Date1904 reports whether plain numbers in date columns count from 1904-01-01
// (table:null-date); known once the first sheet is open.
func (o *ODS) Date1904() bool { return o.date1904 }

// Close releases the content stream.
func (o *ODS) Close() error {
	o.done = true
	return o.pr.Close()
}

func (o *ODS) fail(err error) {
	if o.err == nil {
		if e, ok := err.(*Error); ok && e.Sheet == "" && o.cur != nil {
			e.Sheet = o.cur.name
		}
		o.err = err
	}
	o.done = true
}

// scanErr reports the scanner's error, or a content.xml that ends early.
func (o *ODS) scanErr(where string) error {
	if o.sc.err != nil {
		return o.w.classify(o.sc.err, "content.xml", o.pr)
	}
	return errorf(Corrupt, "content.xml ends inside %s", where)
}

// NextSheet skips what is left of the current sheet and opens the next one. It
// returns nil, nil after the last sheet.
func (o *ODS) NextSheet() (*ODSSheet, error) {
	if o.cur != nil && !o.cur.done {
		o.cur.skipRest()
	}
	if o.err != nil {
		return nil, o.err
	}
	if o.done {
		return nil, nil
	}
	t := &o.tg
	for o.sc.nextTag(t) {
		if t.end {
			continue
		}
		switch {
		case odsIs(t, "null-date"):
			it := attrIter(t.attrs)
			for name, val, ok := it.next(); ok; name, val, ok = it.next() {
				if string(localName(name)) == "date-value" {
					o.date1904 = bytes.HasPrefix(trimSpace(val), []byte("1904-01-01"))
				}
			}
		case odsIs(t, "table"):
			sh := &ODSSheet{o: o, next: 1}
			it := attrIter(t.attrs)
			for name, val, ok := it.next(); ok; name, val, ok = it.next() {
				if string(localName(name)) == "name" {
					sh.name = string(appendDecoded(nil, val))
				}
			}
			sh.done = t.empty
			o.cur = sh
			return sh, nil
		}
	}
	if o.sc.err != nil {
		o.fail(o.scanErr("the sheets"))
		return nil, o.err
	}
	o.done = true
	return nil, nil
}

// odsIs reports whether t is the element named n (OpenDocument's namespaces are
// not SpreadsheetML's: tags are told by their local names).
func odsIs(t *tag, n string) bool { return string(t.name) == n }

// odsSkip skips to the end of the element named name whose start tag was just
// read, counting nested elements of that name.
func odsSkip(sc *scanner, name string) bool {
	var t tag
	depth := 1
	for sc.nextTag(&t) {
		if !odsIs(&t, name) {
			continue
		}
		switch {
		case t.end:
			if depth--; depth == 0 {
				return true
			}
		case !t.empty:
			depth++
		}
	}
	return false
}

// localName drops a namespace prefix.
func localName(n []byte) []byte {
	if i := bytes.IndexByte(n, ':'); i >= 0 {
		n = n[i+1:]
	}
	return n
}

// Name returns the sheet's name.
func (s *ODSSheet) Name() string { return s.name }

// RowNum returns the current row's 1-based number.
func (s *ODSSheet) RowNum() int { return s.rowNum }

// Cells returns the current row's cells with a value, sorted by column; valid until
// the next call of Next.
func (s *ODSSheet) Cells() []Cell { return s.cells }

// Merges returns the merged ranges that start in the current row.
func (s *ODSSheet) Merges() []Range { return s.merges }

// Err returns the error that stopped Next, or nil at a clean end.
func (s *ODSSheet) Err() error { return s.err }

// Close ends the sheet (the next NextSheet skips what is left of it).
func (s *ODSSheet) Close() error { return nil }

// Read returns how many bytes of content.xml have been inflated so far.
func (s *ODSSheet) Read() int64 { return s.o.pr.n }

// Size returns the declared size of content.xml.
func (s *ODSSheet) Size() int64 { return s.o.pr.declared }

func (s *ODSSheet) setErr(err error) {
	if e, ok := err.(*Error); ok && e.Sheet == "" {
		e.Sheet = s.name
	}
	if s.err == nil {
		s.err = err
	}
	s.done = true
	s.o.fail(err)
}

// skipRest reads past the end of the sheet.
func (s *ODSSheet) skipRest() {
	s.done = true
	if !odsSkip(&s.o.sc, "table") && s.err == nil {
		s.setErr(s.o.scanErr("a sheet"))
	}
}

// Next advances to the next row with at least one cell with a value.
func (s *ODSSheet) Next() bool {
	if s.err != nil {
		return false
	}
	if s.repeat > 0 {
		s.repeat--
		s.rowNum++
		s.merges = s.merges[:0]
		return s.counted()
	}
	o, t := s.o, &s.o.tg
	for !s.done && o.sc.nextTag(t) {
		switch {
		case odsIs(t, "table"):
			if t.end {
				s.done = true
				return false
			}
			if !t.empty && !odsSkip(&o.sc, "table") { // a sub-table
				break
			}
		case odsIs(t, "table-row") && !t.end:
			n := s.repeats(t.attrs, "number-rows-repeated", excelMaxRows)
			s.rowNum, s.next = s.next, s.next+n
			s.cells, s.spans, s.buf, s.merges = s.cells[:0], s.spans[:0], s.buf[:0], s.merges[:0]
			if t.empty {
				continue
			}
			if !s.readCells() {
				return false
			}
			if len(s.cells) == 0 {
				continue
			}
			s.endRow()
			s.repeat = n - 1
			return s.counted()
		}
	}
	if !s.done {
		s.setErr(o.scanErr("a sheet"))
	}
	return false
}

// counted checks the row against the row limits.
func (s *ODSSheet) counted() bool {
	s.rows++
	lim := s.o.w.lim
	switch {
	case s.rowNum > excelMaxRows:
		s.setErr(&Error{Problem: TooManyRows, Limit: excelMaxRows,
			Detail: fmt.Sprintf("row number %d is past the last row a sheet can have", s.rowNum)})
		return false
	case s.rows > lim.MaxRows:
		s.setErr(&Error{Problem: TooManyRows, Limit: int64(lim.MaxRows),
			Detail: fmt.Sprintf("more than %d rows with data (row %d)", lim.MaxRows, s.rowNum)})
		return false
	}
	return true
}

// repeats reads a repeat or span count attribute (1 when absent), capped at max.
func (s *ODSSheet) repeats(attrs []byte, attr string, max int) int {
	it := attrIter(attrs)
	for name, val, ok := it.next(); ok; name, val, ok = it.next() {
		if string(localName(name)) == attr {
			if n, ok := parseUint(val, 1<<30); ok && n >= 1 {
				return min(n, max)
			}
			return 1
		}
	}
	return 1
}

// odsCell is what a cell's start tag says.
type odsCell struct {
	kind     byte   // kNumber, kBool, kDate, kError, or kInline for text
	value    []byte // office:value, date-value or boolean-value
	repeat   int
	colSpan  int
	rowSpan  int
	hasValue bool
}

func (s *ODSSheet) parseCell(attrs []byte) odsCell {
	c := odsCell{kind: kInline, repeat: 1, colSpan: 1, rowSpan: 1}
	it := attrIter(attrs)
	for name, val, ok := it.next(); ok; name, val, ok = it.next() {
		switch string(localName(name)) {
		case "value-type":
			if bytes.HasPrefix(name, []byte("calcext:")) {
				if string(val) == "error" {
					c.kind = kError
				}
				continue
			}
			switch string(val) {
			case "float", "percentage", "currency":
				if c.kind != kError {
					c.kind = kNumber
				}
			case "date":
				c.kind = kDate
			case "boolean":
				c.kind = kBool
			}
		case "value":
			c.value, c.hasValue = val, true
		case "date-value":
			if c.kind == kDate || !c.hasValue {
				c.value, c.hasValue = val, true
			}
		case "boolean-value":
			c.value, c.hasValue = val, true
		case "number-columns-repeated":
			if n, ok := parseUint(val, 1<<30); ok && n >= 1 {
				c.repeat = min(n, excelMaxCols)
			}
		case "number-columns-spanned":
			if n, ok := parseUint(val, 1<<30); ok && n >= 1 {
				c.colSpan = min(n, excelMaxCols)
			}
		case "number-rows-spanned":
			if n, ok := parseUint(val, 1<<30); ok && n >= 1 {
				c.rowSpan = min(n, excelMaxRows)
			}
		}
	}
	return c
}

// readCells reads the cells of the current row through </table-row>.
func (s *ODSSheet) readCells() bool {
	o, t := s.o, &s.o.tg
	col := 0
	for o.sc.nextTag(t) {
		covered := odsIs(t, "covered-table-cell")
		switch {
		case t.end && odsIs(t, "table-row"):
			return true
		case t.end || (!covered && !odsIs(t, "table-cell")):
			continue
		}
		c := s.parseCell(t.attrs)
		// The value points into the scanner's buffer, which reading the text moves.
		s.val = append(s.val[:0], c.value...)
		c.value = s.val
		if col >= excelMaxCols {
			s.setErr(errorf(Corrupt, "a cell past the last column in row %d", s.rowNum))
			return false
		}
		start := len(s.buf)
		if !t.empty {
			if !s.readText(covered) {
				return false
			}
		}
		if !covered && (c.colSpan > 1 || c.rowSpan > 1) {
			s.merges = append(s.merges, Range{col, s.rowNum, min(col+c.colSpan, excelMaxCols) - 1,
				min(s.rowNum+c.rowSpan-1, excelMaxRows)})
		}
		n := min(c.repeat, excelMaxCols-col)
		typ, a, b := s.value(&c, start)
		if covered || typ == 0 {
			s.buf = s.buf[:start]
		} else {
			for i := 0; i < n; i++ {
				if !s.addCell(col+i, typ, a, b) {
					return false
				}
			}
		}
		col += n
	}
	s.setErr(o.scanErr("a row"))
	return false
}

// value returns the type of the cell c and where its value lies in s.buf (its
// text starts at start); typ is 0 for an empty cell.
func (s *ODSSheet) value(c *odsCell, start int) (typ CellType, a, b int) {
	switch c.kind {
	case kNumber, kDate, kBool:
		v := trimSpace(c.value)
		if len(v) == 0 {
			return 0, 0, 0
		}
		s.buf = s.buf[:start] // the shown text is not needed
		switch c.kind {
		case kNumber:
			typ = Number
			s.buf = append(s.buf, v...)
		case kDate:
			typ = DateISO
			s.buf = append(s.buf, v...)
		default:
			typ = Bool
			if string(v) == "true" || string(v) == "1" {
				s.buf = append(s.buf, '1')
			} else {
				s.buf = append(s.buf, '0')
			}
		}
		return typ, start, len(s.buf)
	}
	if len(s.buf) == start {
		return 0, 0, 0
	}
	if c.kind == kError {
		return ErrorValue, start, len(s.buf)
	}
	return String, start, len(s.buf)
}

// readText reads a cell's paragraphs into s.buf through the cell's end tag.
// Comments (office:annotation) are left out; a covered cell's text too.
func (s *ODSSheet) readText(covered bool) bool {
	o, t := s.o, &s.o.tg
	paras, inP := 0, 0
	for {
		if inP > 0 && !covered {
			var ok bool
			if s.buf, ok = o.sc.appendText(s.buf); !ok {
				s.setErr(o.scanErr("a cell"))
				return false
			}
			if len(s.buf) > maxRowText {
				s.setErr(errorf(Corrupt, "row %d holds more than %d bytes of text", s.rowNum, maxRowText))
				return false
			}
		}
		if !o.sc.nextTag(t) {
			s.setErr(o.scanErr("a cell"))
			return false
		}
		switch name := t.name; {
		case t.end && (string(name) == "table-cell" || string(name) == "covered-table-cell"):
			return true
		case string(name) == "p" || string(name) == "h":
			switch {
			case t.end:
				inP--
			case t.empty:
				if paras++; paras > 1 {
					s.buf = append(s.buf, '\n')
				}
			default:
				if paras++; paras > 1 {
					s.buf = append(s.buf, '\n')
				}
				inP++
			}
		case !t.end && (string(name) == "annotation" || string(name) == "note" || string(name) == "table"):
			if !t.empty && !odsSkip(&o.sc, string(name)) {
				s.setErr(o.scanErr("a cell"))
				return false
			}
		case inP == 0 || t.end:
		case string(name) == "s":
			n := s.repeats(t.attrs, "c", 1000)
			for i := 0; i < n; i++ {
				s.buf = append(s.buf, ' ')
			}
		case string(name) == "tab":
			s.buf = append(s.buf, '\t')
		case string(name) == "line-break":
			s.buf = append(s.buf, '\n')
		}
	}
}

// addCell adds a cell of type typ at col whose value is s.buf[a:b].
func (s *ODSSheet) addCell(col int, typ CellType, a, b int) bool {
	if w, bit := col>>6, uint64(1)<<(col&63); s.cols[w]&bit == 0 {
		s.cols[w] |= bit
		s.ncols++
		if lim := s.o.w.lim.MaxColumns; s.ncols > lim {
			s.setErr(&Error{Problem: TooManyColumns, Limit: int64(lim),
				Detail: fmt.Sprintf("data in more than %d columns (column %s, row %d)", lim, ColName(col), s.rowNum)})
			return false
		}
	}
	s.cells = append(s.cells, Cell{Col: col, Type: typ})
	s.spans = append(s.spans, span{int32(a), int32(b)})
	return true
}

// endRow sets the Values of the row's cells from one string of the row's text.
func (s *ODSSheet) endRow() {
	str := string(s.buf)
	for i, sp := range s.spans {
		s.cells[i].Value = str[sp.a:sp.b]
	}
}
