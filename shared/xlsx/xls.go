package xlsx

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
)

// XLS is an opened Excel 97-2003 workbook (.xls, BIFF8 records in the Workbook
// stream of an OLE2 compound file), read as a stream like a .xlsx: the workbook
// globals (sheet list, date system, number formats, shared strings) when opened,
// then one sheet's records at a time. The compound file is read through
// richardlehane/mscfb; the records are read here, because the pure-Go .xls readers
// the module proxy serves were measured unusable for a register (a 60,000-row .xls:
// extrame/xls grew past 24 GB, shakinm/xlsReader took 150 s) and none reads merged
// cells. Older BIFF versions (Excel 5.0/95) are LegacyXLS.
type XLS struct {
	f        *mscfb.File
	size     int64 // the Workbook stream's size
	lim      Limits
	sheets   []xlsSheetEntry
	sst      *sharedStrings
	dateXF   []bool
	date1904 bool
}

type xlsSheetEntry struct {
	name string
	pos  int64 // the sheet's BOF record in the stream
}

// XLSSheet reads one worksheet of an XLS row by row, like Sheet.
type XLSSheet struct {
	x    *XLS
	name string
	b    biff
	pos  int64 // the sheet's BOF record

	rowNum  int
	rows    int
	cells   []Cell
	pending []Cell // cells of the next row, read ahead
	pendRow int
	buf     []byte
	spans   []span
	cols    [excelMaxCols / 64]uint64
	ncols   int
	done    bool
	err     error
}

// BIFF record types read here.
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recDateMode   = 0x0022
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recMulRK      = 0x00BD
	recRString    = 0x00D6
	recXF         = 0x00E0
	recMerged     = 0x00E5
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recRK         = 0x027E
	recFormat     = 0x041E
	recBOF        = 0x0809
	biffMaxRecord = 8224
)

// OpenXLS checks and opens the .xls workbook in r (size bytes): the compound file,
// its Workbook stream and the workbook globals. Every bad-file case returns an
// *Error, as Open does.
func OpenXLS(r io.ReaderAt, size int64, lim Limits) (*XLS, error) {
	lim = lim.withDefaults()
	if size > lim.MaxFileSize {
		return nil, &Error{Problem: TooLarge, Limit: lim.MaxFileSize, Detail: fmt.Sprintf("file is %d bytes", size)}
	}
	doc, err := mscfb.New(r)
	if err != nil {
		return nil, &Error{Problem: Corrupt, Detail: "damaged compound file: " + err.Error(), cause: err}
	}
	var wb *mscfb.File
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		switch {
		case strings.EqualFold(e.Name, "EncryptionInfo") || strings.EqualFold(e.Name, "EncryptedPackage"):
			return nil, errorf(Encrypted, "password-protected workbook (OLE2 container with an EncryptionInfo stream)")
		case strings.EqualFold(e.Name, "Workbook") && wb == nil:
			wb = e
		case strings.EqualFold(e.Name, "Book"):
			return nil, errorf(LegacyXLS, "an Excel 5.0/95 workbook (BIFF5); save it as .xlsx")
		}
	}
	if wb == nil {
		return nil, errorf(NotWorkbook, "a compound file without a Workbook stream")
	}
	if wb.Size <= 0 || wb.Size > size {
		return nil, errorf(Corrupt, "the Workbook stream's size %d does not fit the file", wb.Size)
	}
	x := &XLS{f: wb, size: wb.Size, lim: lim}
	if err := x.readGlobals(); err != nil {
		return nil, err
	}
	return x, nil
}

// SheetNames returns the names of the worksheets in workbook order.
func (x *XLS) SheetNames() []string {
	out := make([]string, len(x.sheets))
	for i, s := range x.sheets {
		out[i] = s.name
	}
	return out
}

// Date1904 reports whether the workbook uses the 1904 date system.
func (x *XLS) Date1904() bool { return x.date1904 }

// stream reads the Workbook stream from pos on.
type xlsStream struct {
	f   *mscfb.File
	pos int64
	end int64
}

func (s *xlsStream) Read(p []byte) (int, error) {
	if s.pos >= s.end {
		return 0, io.EOF
	}
	if int64(len(p)) > s.end-s.pos {
		p = p[:s.end-s.pos]
	}
	if _, err := s.f.Seek(s.pos, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := s.f.Read(p)
	s.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// biff reads BIFF records: a 4-byte header, then up to 8,224 bytes.
type biff struct {
	r    *bufio.Reader
	s    *xlsStream
	typ  uint16
	rec  []byte // the current record's body
	off  int    // read position in rec
	body [biffMaxRecord]byte
	err  error
}

func (b *biff) open(s *xlsStream) {
	b.s = s
	b.r = bufio.NewReaderSize(s, 64<<10)
	b.rec, b.off, b.err = nil, 0, nil
}

// next reads the next record; false at the end of the stream or on an error.
func (b *biff) next() bool {
	if b.err != nil {
		return false
	}
	var h [4]byte
	if _, err := io.ReadFull(b.r, h[:]); err != nil {
		if err != io.EOF {
			b.fail(err, "a record header")
		}
		return false
	}
	n := int(binary.LittleEndian.Uint16(h[2:]))
	if n > biffMaxRecord {
		b.err = errorf(Corrupt, "a record of %d bytes, over BIFF's %d", n, biffMaxRecord)
		return false
	}
	b.typ = binary.LittleEndian.Uint16(h[:])
	b.rec, b.off = b.body[:n], 0
	if _, err := io.ReadFull(b.r, b.rec); err != nil {
		b.fail(err, "a record")
		return false
	}
	return true
}

func (b *biff) fail(err error, what string) {
	if b.err != nil {
		return
	}
	var me mscfb.Error
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.As(err, &me) {
		b.err = &Error{Problem: Corrupt, Detail: "the Workbook stream ends inside " + what, cause: err}
		return
	}
	b.err = fmt.Errorf("xlsx: read: %w", err)
}

// take returns n bytes of the current record, continuing into CONTINUE records.
// ok is false when the data is not there.
func (b *biff) take(n int, scratch []byte) ([]byte, bool) {
	if b.off+n <= len(b.rec) {
		p := b.rec[b.off : b.off+n]
		b.off += n
		return p, true
	}
	out := scratch[:0]
	for n > 0 {
		if b.off == len(b.rec) && !b.cont() {
			return nil, false
		}
		k := min(n, len(b.rec)-b.off)
		out = append(out, b.rec[b.off:b.off+k]...)
		b.off += k
		n -= k
	}
	return out, true
}

// skip skips n bytes, continuing into CONTINUE records.
func (b *biff) skip(n int) bool {
	for n > 0 {
		if b.off == len(b.rec) && !b.cont() {
			return false
		}
		k := min(n, len(b.rec)-b.off)
		b.off += k
		n -= k
	}
	return true
}

// cont moves to the CONTINUE record that carries on the current one.
func (b *biff) cont() bool {
	h, err := b.r.Peek(2)
	if err != nil || binary.LittleEndian.Uint16(h) != recContinue {
		return false
	}
	return b.next()
}

// chars appends n characters of an XLUnicodeString to dst as UTF-8: 8-bit
// (Latin-1) or UTF-16LE by high, a CONTINUE record restarting with its own flags
// byte.
func (b *biff) chars(dst []byte, n int, high bool) ([]byte, bool) {
	for n > 0 {
		if b.off == len(b.rec) {
			if !b.cont() || len(b.rec) == 0 {
				return dst, false
			}
			high = b.rec[0]&1 != 0
			b.off = 1
		}
		p := b.rec[b.off:]
		if high {
			k := min(n, len(p)/2)
			if k == 0 {
				return dst, false
			}
			for i := 0; i < k; i++ {
				r := rune(binary.LittleEndian.Uint16(p[2*i:]))
				if utf16.IsSurrogate(r) && i+1 < k {
					if r2 := rune(binary.LittleEndian.Uint16(p[2*i+2:])); utf16.DecodeRune(r, r2) != utf8.RuneError {
						r = utf16.DecodeRune(r, r2)
						i++
					}
				}
				dst = utf8.AppendRune(dst, r)
			}
			b.off += 2 * k
			n -= k
		} else {
			k := min(n, len(p))
			for _, c := range p[:k] {
				if c < utf8.RuneSelf {
					dst = append(dst, c)
				} else {
					dst = utf8.AppendRune(dst, rune(c))
				}
			}
			b.off += k
			n -= k
		}
	}
	return dst, true
}

// str reads an XLUnicodeString (cch of lenBytes bytes, flags, characters) into
// dst; rich, when set, also skips rich-text runs and phonetic data (the shared
// strings' XLUnicodeRichExtendedString).
func (b *biff) str(dst []byte, lenBytes int, rich bool) ([]byte, bool) {
	var scratch [8]byte
	h, ok := b.take(lenBytes+1, scratch[:])
	if !ok {
		return dst, false
	}
	cch := int(h[0])
	if lenBytes == 2 {
		cch = int(binary.LittleEndian.Uint16(h))
	}
	flags := h[lenBytes]
	runs, ext := 0, 0
	if rich && flags&8 != 0 {
		p, ok := b.take(2, scratch[:])
		if !ok {
			return dst, false
		}
		runs = int(binary.LittleEndian.Uint16(p))
	}
	if rich && flags&4 != 0 {
		p, ok := b.take(4, scratch[:])
		if !ok {
			return dst, false
		}
		ext = int(binary.LittleEndian.Uint32(p))
	}
	if dst, ok = b.chars(dst, cch, flags&1 != 0); !ok {
		return dst, false
	}
	if runs > 0 || ext > 0 {
		if ext > biffMaxRecord*1024 || !b.skip(4*runs+ext) {
			return dst, false
		}
	}
	return dst, true
}

// readGlobals reads the workbook globals up to their EOF record.
func (x *XLS) readGlobals() error {
	var b biff
	b.open(&xlsStream{f: x.f, end: x.size})
	if !b.next() || b.typ != recBOF || len(b.rec) < 4 {
		if b.err != nil {
			return b.err
		}
		return errorf(LegacyXLS, "not a BIFF8 workbook stream; save it as .xlsx")
	}
	if v := binary.LittleEndian.Uint16(b.rec); v != 0x0600 {
		return errorf(LegacyXLS, "an old Excel workbook (BIFF version %#x); save it as .xlsx", v)
	}
	var xfFmt []int
	custom := map[int]string{}
	var name []byte
	for b.next() {
		switch b.typ {
		case recEOF:
			x.dateXF = make([]bool, len(xfFmt))
			for i, id := range xfFmt {
				if code, ok := custom[id]; ok {
					x.dateXF[i] = isDateFormat(code)
				} else {
					x.dateXF[i] = isBuiltinDate(id)
				}
			}
			if len(x.sheets) == 0 {
				return errorf(NoSheets, "the workbook lists no worksheets")
			}
			return nil
		case recFilePass:
			return errorf(Encrypted, "password-protected .xls workbook (FILEPASS)")
		case recDateMode:
			x.date1904 = len(b.rec) >= 2 && b.rec[0] == 1
		case recXF:
			if len(b.rec) >= 4 && len(xfFmt) < 1<<16 {
				xfFmt = append(xfFmt, int(binary.LittleEndian.Uint16(b.rec[2:])))
			}
		case recFormat:
			if len(b.rec) >= 2 && len(custom) < 1<<16 {
				id := int(binary.LittleEndian.Uint16(b.rec))
				b.off = 2
				if code, ok := b.str(nil, 2, false); ok {
					custom[id] = string(code)
				}
			}
		case recBoundSheet:
			if len(b.rec) < 8 || len(x.sheets) >= 1<<16 {
				continue
			}
			pos := int64(binary.LittleEndian.Uint32(b.rec))
			kind := b.rec[5]
			b.off = 6
			name, _ = b.str(name[:0], 1, false)
			if kind == 0 { // a worksheet (not a chart, macro or VB module)
				if pos <= 0 || pos >= x.size {
					return errorf(Corrupt, "sheet %q starts outside the Workbook stream", string(name))
				}
				x.sheets = append(x.sheets, xlsSheetEntry{name: string(name), pos: pos})
			}
		case recSST:
			sst, err := x.readSST(&b)
			if err != nil {
				return err
			}
			x.sst = sst
		}
	}
	if b.err != nil {
		return b.err
	}
	return errorf(Corrupt, "the workbook globals end without an EOF record")
}

// readSST reads the shared-string table, which goes on in CONTINUE records.
func (x *XLS) readSST(b *biff) (*sharedStrings, error) {
	if len(b.rec) < 8 {
		return nil, errorf(Corrupt, "a short SST record")
	}
	unique := int(binary.LittleEndian.Uint32(b.rec[4:]))
	b.off = 8
	t := &sharedStrings{offs: make([]uint32, 1, min(unique, int(x.size/3))+1)}
	for i := 0; i < unique; i++ {
		var ok bool
		if t.arena, ok = b.str(t.arena, 2, true); !ok {
			if b.err != nil {
				return nil, b.err
			}
			break // fewer strings than announced: cells that use the missing ones fail
		}
		if err := t.push(x.lim.MaxSharedStrings); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Sheet opens the worksheet named name ("" is the first; a name is matched exactly,
// then ignoring case).
func (x *XLS) Sheet(name string) (*XLSSheet, error) {
	idx := findName(len(x.sheets), func(i int) string { return x.sheets[i].name }, name)
	if idx < 0 {
		names := make([]sheetEntry, len(x.sheets))
		for i, s := range x.sheets {
			names[i].name = s.name
		}
		return nil, &Error{Problem: SheetNotFound, Sheet: name,
			Detail: fmt.Sprintf("the workbook has %d sheet(s): %s", len(x.sheets), quoteNames(names))}
	}
	ent := x.sheets[idx]
	s := &XLSSheet{x: x, name: ent.name, pos: ent.pos}
	s.b.open(&xlsStream{f: x.f, pos: ent.pos, end: x.size})
	if !s.b.next() || s.b.typ != recBOF {
		if s.b.err != nil {
			return nil, s.b.err
		}
		return nil, &Error{Problem: Corrupt, Sheet: ent.name, Detail: "the sheet does not start with a BOF record"}
	}
	return s, nil
}

// Name returns the sheet's name.
func (s *XLSSheet) Name() string { return s.name }

// Merges returns the sheet's merged ranges, sorted by first row and column. A
// sheet lists them (MERGEDCELLS) after its cells, so this reads the sheet's records
// through once more.
func (s *XLSSheet) Merges() ([]Range, error) {
	var b biff
	b.open(&xlsStream{f: s.x.f, pos: s.pos, end: s.x.size})
	var merges []Range
	depth := 0
	for b.next() {
		switch b.typ {
		case recBOF:
			depth++
		case recEOF:
			if depth--; depth <= 0 {
				SortRanges(merges)
				return merges, nil
			}
		case recMerged:
			if depth != 1 || len(b.rec) < 2 {
				continue
			}
			n := int(binary.LittleEndian.Uint16(b.rec))
			for i := 0; i < n && 2+8*i+8 <= len(b.rec); i++ {
				p := b.rec[2+8*i:]
				r1, r2 := int(binary.LittleEndian.Uint16(p))+1, int(binary.LittleEndian.Uint16(p[2:]))+1
				c1, c2 := int(binary.LittleEndian.Uint16(p[4:])), int(binary.LittleEndian.Uint16(p[6:]))
				if r1 <= r2 && c1 <= c2 && (r1 != r2 || c1 != c2) && len(merges) < maxMerges {
					merges = append(merges, Range{c1, r1, c2, r2})
				}
			}
		}
	}
	if b.err != nil {
		if e, ok := b.err.(*Error); ok {
			e.Sheet = s.name
		}
		return nil, b.err
	}
	return nil, &Error{Problem: Corrupt, Sheet: s.name, Detail: "the sheet ends without an EOF record"}
}

// RowNum returns the current row's 1-based number.
func (s *XLSSheet) RowNum() int { return s.rowNum }

// Cells returns the current row's cells with a value, sorted by column.
func (s *XLSSheet) Cells() []Cell { return s.cells }

// Err returns the error that stopped Next.
func (s *XLSSheet) Err() error { return s.err }

// Close ends the sheet.
func (s *XLSSheet) Close() error { s.done = true; return nil }

// Read returns how far into the Workbook stream the sheet has been read.
func (s *XLSSheet) Read() int64 { return s.b.s.pos }

// Size returns the Workbook stream's size.
func (s *XLSSheet) Size() int64 { return s.x.size }

func (s *XLSSheet) setErr(err error) {
	if e, ok := err.(*Error); ok && e.Sheet == "" {
		e.Sheet = s.name
	}
	if s.err == nil {
		s.err = err
	}
	s.done = true
}

// Next advances to the next row with at least one cell with a value.
func (s *XLSSheet) Next() bool {
	for !s.done {
		s.cells, s.spans, s.buf = s.cells[:0], s.spans[:0], s.buf[:0]
		row := 0
		for _, c := range s.pending {
			row = s.pendRow
			if !s.add(c.Col, c.Type, c.Date, c.Value) {
				return false
			}
		}
		s.pending = s.pending[:0]
		for s.readCell(&row) {
		}
		if s.err != nil {
			return false
		}
		if len(s.cells) == 0 {
			if s.done {
				return false
			}
			continue
		}
		s.rowNum = row
		str := string(s.buf)
		for i, sp := range s.spans {
			if sp.a >= 0 {
				s.cells[i].Value = str[sp.a:sp.b]
			}
		}
		s.rows++
		if s.rows > s.x.lim.MaxRows {
			s.setErr(&Error{Problem: TooManyRows, Limit: int64(s.x.lim.MaxRows),
				Detail: fmt.Sprintf("more than %d rows with data (row %d)", s.x.lim.MaxRows, row)})
			return false
		}
		return true
	}
	return false
}

// readCell reads records up to the next cell of *row (0: any row). It returns false
// at the end of the row (a cell of a later row is kept for the next), the sheet, or
// on an error.
func (s *XLSSheet) readCell(row *int) bool {
	b := &s.b
	depth := 1
	for b.next() {
		switch b.typ {
		case recBOF:
			depth++ // an embedded chart
			continue
		case recEOF:
			if depth--; depth == 0 {
				s.done = true
				return false
			}
			continue
		}
		if depth != 1 || !isCellRecord(b.typ) {
			continue
		}
		if len(b.rec) < 6 {
			s.setErr(errorf(Corrupt, "a short cell record"))
			return false
		}
		r := int(binary.LittleEndian.Uint16(b.rec)) + 1
		col := int(binary.LittleEndian.Uint16(b.rec[2:]))
		xf := int(binary.LittleEndian.Uint16(b.rec[4:]))
		switch {
		case *row == 0:
			*row = r
		case r < *row:
			s.setErr(errorf(Corrupt, "cells of row %d after row %d", r, *row))
			return false
		case r > *row:
			s.pendRow = r
			s.readValues(r, col, xf, true)
			return false
		}
		if !s.readValues(r, col, xf, false) {
			return false
		}
		return true
	}
	if b.err != nil {
		s.setErr(b.err)
	} else {
		s.setErr(errorf(Corrupt, "the sheet ends without an EOF record"))
	}
	return false
}

func isCellRecord(t uint16) bool {
	switch t {
	case recLabelSST, recLabel, recRString, recNumber, recRK, recMulRK, recBoolErr, recFormula:
		return true
	}
	return false
}

// readValues adds the values of the current cell record (to the pending cells of
// the next row when later).
func (s *XLSSheet) readValues(row, col, xf int, later bool) bool {
	b := &s.b
	put := func(col int, typ CellType, date bool, v string) bool {
		if later {
			s.pending = append(s.pending, Cell{Col: col, Type: typ, Date: date, Value: v})
			return true
		}
		return s.add(col, typ, date, v)
	}
	isDate := func(xf int) bool { return xf < len(s.x.dateXF) && s.x.dateXF[xf] }
	switch b.typ {
	case recLabelSST:
		if len(b.rec) < 10 {
			break
		}
		i := int(binary.LittleEndian.Uint32(b.rec[6:]))
		v, ok := "", false
		if s.x.sst != nil {
			v, ok = s.x.sst.get(i)
		}
		if !ok {
			s.setErr(errorf(Corrupt, "cell %s refers to shared string %d of %d", CellName(col, row), i, s.x.sst.Len()))
			return false
		}
		return v == "" || put(col, String, false, v)
	case recLabel, recRString:
		b.off = 6
		text, ok := b.str(nil, 2, false)
		if !ok {
			break
		}
		return len(text) == 0 || put(col, String, false, string(text))
	case recNumber:
		if len(b.rec) < 14 {
			break
		}
		f := math.Float64frombits(binary.LittleEndian.Uint64(b.rec[6:]))
		return put(col, Number, isDate(xf), formatNumber(f))
	case recRK:
		if len(b.rec) < 10 {
			break
		}
		return put(col, Number, isDate(xf), formatNumber(rkValue(binary.LittleEndian.Uint32(b.rec[6:]))))
	case recMulRK:
		n := (len(b.rec) - 6) / 6
		for i := 0; i < n; i++ {
			p := b.rec[4+6*i:]
			xf := int(binary.LittleEndian.Uint16(p))
			if !put(col+i, Number, isDate(xf), formatNumber(rkValue(binary.LittleEndian.Uint32(p[2:])))) {
				return false
			}
		}
		return true
	case recBoolErr:
		if len(b.rec) < 8 {
			break
		}
		if b.rec[7] == 0 {
			return put(col, Bool, false, strconv.Itoa(int(b.rec[6]&1)))
		}
		return put(col, ErrorValue, false, biffError(b.rec[6]))
	case recFormula:
		if len(b.rec) < 14 {
			break
		}
		v := b.rec[6:14]
		if v[6] != 0xFF || v[7] != 0xFF {
			return put(col, Number, isDate(xf), formatNumber(math.Float64frombits(binary.LittleEndian.Uint64(v))))
		}
		switch v[0] {
		case 0: // a string: the next STRING record holds it
			for b.next() {
				if b.typ == recString {
					text, ok := b.str(nil, 2, false)
					if !ok {
						break
					}
					return len(text) == 0 || put(col, String, false, string(text))
				}
				if b.typ != recContinue && b.typ != 0x04BC && b.typ != 0x0221 { // SHRFMLA, ARRAY come between
					s.setErr(errorf(Corrupt, "a string formula in %s without its STRING record", CellName(col, row)))
					return false
				}
			}
			s.setErr(b.errOr("a formula"))
			return false
		case 1:
			return put(col, Bool, false, strconv.Itoa(int(v[2]&1)))
		case 2:
			return put(col, ErrorValue, false, biffError(v[2]))
		}
		return true
	}
	return true // a short record: no value
}

func (b *biff) errOr(what string) error {
	if b.err != nil {
		return b.err
	}
	return errorf(Corrupt, "the Workbook stream ends inside %s", what)
}

// add adds a cell of the current row.
func (s *XLSSheet) add(col int, typ CellType, date bool, v string) bool {
	if col >= excelMaxCols {
		s.setErr(errorf(Corrupt, "a cell past the last column"))
		return false
	}
	if w, bit := col>>6, uint64(1)<<(col&63); s.cols[w]&bit == 0 {
		s.cols[w] |= bit
		s.ncols++
		if s.ncols > s.x.lim.MaxColumns {
			s.setErr(&Error{Problem: TooManyColumns, Limit: int64(s.x.lim.MaxColumns),
				Detail: fmt.Sprintf("data in more than %d columns (column %s)", s.x.lim.MaxColumns, ColName(col))})
			return false
		}
	}
	// Cells are kept sorted by column: one out of order goes in its place, and a
	// repeated one replaces the earlier (the later one wins).
	i := len(s.cells)
	if i > 0 && s.cells[i-1].Col >= col {
		i = sort.Search(len(s.cells), func(i int) bool { return s.cells[i].Col >= col })
		if s.cells[i].Col == col {
			s.cells[i] = Cell{Col: col, Type: typ, Date: date, Value: v}
			s.spans[i] = span{a: -1}
			return true
		}
	}
	a := len(s.buf)
	s.buf = append(s.buf, v...)
	s.cells = slices.Insert(s.cells, i, Cell{Col: col, Type: typ, Date: date})
	s.spans = slices.Insert(s.spans, i, span{int32(a), int32(len(s.buf))})
	if len(s.buf) > maxRowText {
		s.setErr(errorf(Corrupt, "a row holds more than %d bytes of text", maxRowText))
		return false
	}
	return true
}

// rkValue decodes an RK number: a 30-bit integer or the high bits of a float64,
// divided by 100 when the low bit says so.
func rkValue(rk uint32) float64 {
	var f float64
	if rk&2 != 0 {
		f = float64(int32(rk) >> 2)
	} else {
		f = math.Float64frombits(uint64(rk&^3) << 32)
	}
	if rk&1 != 0 {
		f /= 100
	}
	return f
}

// formatNumber writes a number the way a worksheet part stores it.
func formatNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	if a := math.Abs(f); a != 0 && (a < 1e-9 || a >= 1e21) {
		return strconv.FormatFloat(f, 'E', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// biffError names a BIFF error code.
func biffError(code byte) string {
	switch code {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	}
	return "#N/A"
}
