package xlsx

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/scratch"
)

// ValueKind is the kind of a value to write.
type ValueKind uint8

// Value kinds. (TextValue and NumberValue are not called Text and Number: those
// names are taken by the Text helper and the Number cell type.)
const (
	// Empty is an empty cell: nothing is written.
	Empty ValueKind = iota
	// TextValue is a string, written as a shared string.
	TextValue
	// NumberValue is a number.
	NumberValue
	// DateValue is a date, written as its 1900-system serial with a date style.
	DateValue
)

// Value is one cell to write. The zero Value is an empty cell.
type Value struct {
	Kind   ValueKind  // which of the fields below holds the value
	Text   string     // for TextValue
	Number float64    // for NumberValue
	Date   civil.Date // for DateValue
}

// Text returns a text value. An empty string is an empty cell.
func Text(s string) Value { return Value{Kind: TextValue, Text: s} }

// Num returns a number value.
func Num(f float64) Value { return Value{Kind: NumberValue, Number: f} }

// DateOf returns a date value.
func DateOf(d civil.Date) Value { return Value{Kind: DateValue, Date: d} }

// Style indexes in the styles.xml the Writer writes.
const (
	styleDefault = 0
	styleDate    = 1 // numFmtId 14
	styleBold    = 2
)

// Writer writes a one-sheet .xlsx workbook row by row, with shared strings, as
// Excel does. Rows go to a temporary file until Close, because the sheet's
// <dimension> precedes its data; Close writes the workbook to the io.Writer and
// removes the file. Memory grows only with the unique strings (their bytes plus
// ~9 bytes each). A Writer is not safe for concurrent use.
type Writer struct {
	out        io.Writer
	sheetName  string
	widths     []float64
	headerRows int

	tmp *os.File
	bw  *bufio.Writer

	strs     interner
	sstCount int

	row            int // rows written so far, empty ones included
	maxRow, maxCol int // extent of the cells with values
	buf            []byte
	err            error // sticky
	closed         bool
}

// NewWriter returns a Writer of a workbook with one sheet called sheetName ("" is
// "Sheet1"). An invalid sheet name (over 31 characters, or holding : \ / ? * [ ])
// makes WriteRow and Close fail.
func NewWriter(w io.Writer, sheetName string) *Writer {
	wr := &Writer{out: w, sheetName: sheetName, maxCol: -1}
	if sheetName == "" {
		wr.sheetName = "Sheet1"
	}
	if n := utf8.RuneCountInString(wr.sheetName); n > 31 || strings.ContainsAny(wr.sheetName, `:\/?*[]`) ||
		strings.HasPrefix(wr.sheetName, "'") || strings.HasSuffix(wr.sheetName, "'") || !utf8.ValidString(wr.sheetName) {
		wr.err = fmt.Errorf("xlsx: invalid sheet name %q", sheetName)
	}
	return wr
}

// SetColWidths sets the widths of the first columns, in characters (0 keeps the
// default). Call it before the first row.
func (w *Writer) SetColWidths(widths []float64) { w.widths = append([]float64(nil), widths...) }

// SetHeaderRows makes the first n rows bold (dates keep their date style).
func (w *Writer) SetHeaderRows(n int) { w.headerRows = n }

// WriteRow writes the next row (rows 1, 2, 3 …); cells[i] goes to column i, and
// Empty values are skipped. A row it cannot write (a NaN or infinite number, more
// than 16,384 cells, a row past 1,048,576) is refused with an error and not written;
// the Writer stays usable. An I/O error is final.
func (w *Writer) WriteRow(cells []Value) error {
	if w.closed {
		return errors.New("xlsx: WriteRow after Close")
	}
	if w.err != nil {
		return w.err
	}
	if w.row >= excelMaxRows {
		return fmt.Errorf("xlsx: more than %d rows", excelMaxRows)
	}
	if len(cells) > excelMaxCols {
		return fmt.Errorf("xlsx: %d cells in a row, more than %d", len(cells), excelMaxCols)
	}
	for i, c := range cells {
		if c.Kind == NumberValue && (math.IsNaN(c.Number) || math.IsInf(c.Number, 0)) {
			return fmt.Errorf("xlsx: cell %s: %v cannot be written", CellName(i, w.row+1), c.Number)
		}
		if c.Kind > DateValue {
			return fmt.Errorf("xlsx: cell %s: unknown value kind %d", CellName(i, w.row+1), c.Kind)
		}
	}
	if w.tmp == nil {
		f, err := scratch.CreateTemp("xlsx-*.xml")
		if err != nil {
			w.err = fmt.Errorf("xlsx: spool file: %w", err)
			return w.err
		}
		w.tmp, w.bw = f, bufio.NewWriterSize(f, 256<<10)
	}
	w.row++
	r := w.row
	b := w.buf[:0]
	b = append(b, `<row r="`...)
	b = strconv.AppendInt(b, int64(r), 10)
	b = append(b, `">`...)
	n := 0
	bold := r <= w.headerRows
	for i, c := range cells {
		style := styleDefault
		if bold {
			style = styleBold
		}
		switch c.Kind {
		case Empty:
			continue
		case TextValue:
			if c.Text == "" {
				continue
			}
			s := c.Text
			if !utf8.ValidString(s) {
				s = strings.ToValidUTF8(s, "\uFFFD")
			}
			idx, err := w.strs.add(s)
			if err != nil {
				return err
			}
			w.sstCount++
			b = cellStart(b, i, r, style, true)
			b = strconv.AppendInt(b, int64(idx), 10)
		case NumberValue:
			b = cellStart(b, i, r, style, false)
			b = appendNumber(b, c.Number)
		case DateValue:
			b = cellStart(b, i, r, styleDate, false)
			b = strconv.AppendInt(b, int64(c.Date.Excel()), 10)
		}
		b = append(b, "</v></c>"...)
		n++
		w.maxCol = max(w.maxCol, i)
	}
	w.buf = b
	if n == 0 {
		return nil
	}
	w.maxRow = r
	b = append(b, "</row>"...)
	w.buf = b
	if _, err := w.bw.Write(b); err != nil {
		w.err = fmt.Errorf("xlsx: spool file: %w", err)
		return w.err
	}
	return nil
}

func cellStart(b []byte, col, row, style int, shared bool) []byte {
	b = append(b, `<c r="`...)
	b = appendCellName(b, col, row)
	b = append(b, '"')
	if style != styleDefault {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
	if shared {
		b = append(b, ` t="s"`...)
	}
	return append(b, "><v>"...)
}

// appendNumber writes whole numbers (below 1e15) as integers, others in the
// shortest form that reads back exactly ("4.5", "1E-05").
func appendNumber(b []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.AppendInt(b, int64(f), 10)
	}
	return strconv.AppendFloat(b, f, 'G', -1, 64)
}

// Close writes the workbook to the io.Writer given to NewWriter and removes the
// spool file. It must be called once, also after an error (to remove the file).
func (w *Writer) Close() (err error) {
	if w.closed {
		return errors.New("xlsx: Close called twice")
	}
	w.closed = true
	if w.tmp != nil {
		defer func() {
			name := w.tmp.Name()
			w.tmp.Close()
			os.Remove(name)
		}()
	}
	if w.err != nil {
		return w.err
	}
	zw := zip.NewWriter(w.out)
	part := func(name, body string) error {
		f, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(f, body)
		}
		return err
	}
	wr := func(errs ...error) error { return errors.Join(errs...) }
	var b strings.Builder
	b.WriteString(xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><bookViews><workbookView/></bookViews><sheets><sheet name="`)
	b.Write(appendAttrEscaped(nil, w.sheetName))
	b.WriteString(`" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	if err := wr(
		part("[Content_Types].xml", contentTypesXML),
		part("_rels/.rels", rootRelsXML),
		part("xl/workbook.xml", b.String()),
		part("xl/_rels/workbook.xml.rels", workbookRelsXML),
		part("xl/styles.xml", stylesXML),
	); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	if err := w.writeSheet(zw); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	if err := w.writeSharedStrings(zw); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}

func (w *Writer) writeSheet(zw *zip.Writer) error {
	f, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	b := append(w.buf[:0], xmlHeader+`<worksheet xmlns="`+nsMain+`" xmlns:r="`+nsRel+`"><dimension ref="A1`...)
	if w.maxRow > 0 {
		b = append(b, ':')
		b = appendCellName(b, w.maxCol, w.maxRow)
	}
	b = append(b, `"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>`...)
	if len(w.widths) > 0 {
		open := false
		for i, wd := range w.widths {
			if wd <= 0 || math.IsNaN(wd) || math.IsInf(wd, 0) || i >= excelMaxCols {
				continue
			}
			if !open {
				b = append(b, "<cols>"...)
				open = true
			}
			b = append(b, `<col min="`...)
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, `" max="`...)
			b = strconv.AppendInt(b, int64(i+1), 10)
			b = append(b, `" width="`...)
			b = strconv.AppendFloat(b, min(wd, 255), 'f', -1, 64)
			b = append(b, `" customWidth="1"/>`...)
		}
		if open {
			b = append(b, "</cols>"...)
		}
	}
	b = append(b, "<sheetData>"...)
	if _, err := f.Write(b); err != nil {
		return err
	}
	if w.tmp != nil {
		if err := w.bw.Flush(); err != nil {
			return err
		}
		if _, err := w.tmp.Seek(0, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.Copy(f, w.tmp); err != nil {
			return err
		}
	}
	_, err = io.WriteString(f, `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	return err
}

func (w *Writer) writeSharedStrings(zw *zip.Writer) error {
	f, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	n := w.strs.len()
	b := append(w.buf[:0], xmlHeader+`<sst xmlns="`+nsMain+`" count="`...)
	b = strconv.AppendInt(b, int64(w.sstCount), 10)
	b = append(b, `" uniqueCount="`...)
	b = strconv.AppendInt(b, int64(n), 10)
	b = append(b, `">`...)
	for i := 0; i < n; i++ {
		s := w.strs.get(i)
		if len(s) > 0 && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
			b = append(b, `<si><t xml:space="preserve">`...)
		} else {
			b = append(b, `<si><t>`...)
		}
		b = appendEscaped(b, s)
		b = append(b, `</t></si>`...)
		if len(b) > 32<<10 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	b = append(b, `</sst>`...)
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// appendEscaped appends s as XML character data: & < > as entities, and what XML
// cannot hold (control characters but tab and line feed, CR, U+FFFE, U+FFFF) as
// Excel's _xHHHH_ escapes; a literal "_xHHHH_" gets its underscore escaped
// (_x005F_) so that it reads back unchanged.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b = append(b, "&amp;"...)
		case c == '<':
			b = append(b, "&lt;"...)
		case c == '>':
			b = append(b, "&gt;"...)
		case c < 0x20 && c != '\t' && c != '\n':
			b = appendX(b, uint16(c))
		case c == '_' && i+7 <= len(s) && isEscapeAt(s[i:i+7]):
			b = append(b, "_x005F_"...)
		case c == 0xEF && i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF):
			b = appendX(b, 0xFF00|uint16(s[i+2]-0xBE+0xFE))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return b
}

func isEscapeAt(s string) bool {
	_, ok := hex4([]byte(s), 0)
	return ok
}

func appendX(b []byte, u uint16) []byte {
	const hexdigits = "0123456789ABCDEF"
	return append(b, '_', 'x', hexdigits[u>>12], hexdigits[u>>8&15], hexdigits[u>>4&15], hexdigits[u&15], '_')
}

// appendAttrEscaped appends s as an XML attribute value.
func appendAttrEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '"':
			b = append(b, "&quot;"...)
		case '\t', '\n', '\r':
			b = append(b, "&#"...)
			b = strconv.AppendInt(b, int64(c), 10)
			b = append(b, ';')
		default:
			b = append(b, c)
		}
	}
	return b
}

// interner numbers unique strings in order of first use. Strings live in one arena;
// the hash table holds indexes (open addressing, linear probing).
type interner struct {
	seed  maphash.Seed
	arena []byte
	offs  []uint32 // string i is arena[offs[i]:offs[i+1]]
	table []uint32 // index+1; 0 is empty
}

func (in *interner) len() int {
	if len(in.offs) == 0 {
		return 0
	}
	return len(in.offs) - 1
}

func (in *interner) get(i int) string { return string(in.arena[in.offs[i]:in.offs[i+1]]) }

func (in *interner) add(s string) (int, error) {
	if in.table == nil {
		in.seed = maphash.MakeSeed()
		in.table = make([]uint32, 1<<10)
		in.offs = []uint32{0}
	}
	mask := uint64(len(in.table) - 1)
	i := maphash.String(in.seed, s) & mask
	for ; in.table[i] != 0; i = (i + 1) & mask {
		k := in.table[i] - 1
		if string(in.arena[in.offs[k]:in.offs[k+1]]) == s {
			return int(k), nil
		}
	}
	if uint64(len(in.arena))+uint64(len(s)) > math.MaxUint32 {
		return 0, errors.New("xlsx: shared strings over 4 GiB")
	}
	in.arena = append(in.arena, s...)
	in.offs = append(in.offs, uint32(len(in.arena)))
	n := len(in.offs) - 1
	in.table[i] = uint32(n)
	if n*4 >= len(in.table)*3 {
		in.grow()
	}
	return n - 1, nil
}

func (in *interner) grow() {
	t := make([]uint32, 2*len(in.table))
	mask := uint64(len(t) - 1)
	for k := 0; k < len(in.offs)-1; k++ {
		i := maphash.Bytes(in.seed, in.arena[in.offs[k]:in.offs[k+1]]) & mask
		for t[i] != 0 {
			i = (i + 1) & mask
		}
		t[i] = uint32(k + 1)
	}
	in.table = t
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkgRel  = "http://schemas.openxmlformats.org/package/2006/relationships"

	contentTypesXML = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
		`</Types>`

	rootRelsXML = xmlHeader + `<Relationships xmlns="` + nsPkgRel + `">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`

	workbookRelsXML = xmlHeader + `<Relationships xmlns="` + nsPkgRel + `">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="` + nsRel + `/styles" Target="styles.xml"/>` +
		`<Relationship Id="rId3" Type="` + nsRel + `/sharedStrings" Target="sharedStrings.xml"/>` +
		`</Relationships>`

	stylesXML = xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`
)
