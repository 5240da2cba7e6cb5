package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Mark is what to show on one cell of the flagged sheet.
type Mark struct {
	Col, Row int // 0-based column (A = 0), 1-based row
	// Fill is the RGB fill colour, e.g. "FF8080" (6 hex digits, or 8 for ARGB; a
	// leading '#' is allowed). "" leaves the cell's style as it is.
	Fill string
	// Comment is the cell's comment (newlines allowed). "" adds none.
	Comment string
}

// ErrCell is one cell of the errors sheet: a text, or a number when IsNumber.
type ErrCell struct {
	Text     string
	Number   float64
	IsNumber bool
	// Link, when set, makes the cell an internal hyperlink to this location, e.g.
	// "'Реестр'!V4" (quote the sheet name as a formula would).
	Link string
}

// CommentAuthor is the author of the comments Flag adds.
const CommentAuthor = "qoldau"

// maxHyperlinks is the number of hyperlinks Excel keeps on a worksheet; past it,
// Excel reports the file as damaged.
const maxHyperlinks = 65530

// maxCellChars is Excel's limit on the text of a cell or a comment, in UTF-16
// code units.
const maxCellChars = 32767

// Flag copies the workbook read from src (size bytes) to w, unchanged except that:
//
//   - on the sheet named sheet ("" is the first sheet; a name matching no sheet
//     exactly is matched ignoring case) every marked cell gets a solid fill and a
//     comment. The fill replaces only the fill of the cell's style: its number
//     format, font, borders, alignment and protection are kept, with one new
//     cellXfs entry per (original style, colour) pair. A marked cell that does
//     not exist (an empty required cell) is inserted, in column order within its
//     row; a missing row is inserted in row order. The new cell takes the row's
//     style (customFormat) or the column's style before the fill is applied.
//   - a new first sheet, named errorsName ("" is "Errors"; " (2)", " (3)" … is
//     appended when a sheet has that name already), holds errorRows: the first
//     row bold on a grey fill and frozen, colWidths (in characters; 0 keeps the
//     default) set on the first columns, and every ErrCell with a Link an
//     internal hyperlink styled blue and underlined (Excel keeps at most 65,530
//     hyperlinks on a sheet: past that the cells are plain text). It becomes the
//     active sheet: tabSelected is removed from every other sheet.
//
// Marks should be sorted by (Row, Col); when they are not, a sorted copy is used.
// Two marks for one cell are an error. Texts are cut to Excel's 32,767
// characters.
//
// The sheet is streamed: only the <c> start tags of marked cells (their s
// attribute), the <row> tags of rows that get a new cell (a spans attribute
// that leaves it out is dropped), the <dimension> (widened to the marks) and the
// <sheetView> tags are edited, and the new cells, rows and the <legacyDrawing>
// inserted; every other byte (formulas, strings, merged cells, column widths,
// unknown elements) is copied as is. Memory use is bounded by the marks and the
// errors rows plus about 10 MiB of buffers and the styles part, whatever the
// size of the sheet. Parts that do not change are copied still compressed; the
// parts Flag writes are compressed on all cores. The comments go to a new
// comments part with its legacy VML drawing (Excel shows comments from the VML
// shapes); the workbook, its relationships, the styles and the content types
// are edited in place: the definedName localSheetId indexes are shifted for the
// new first sheet, and workbookView activeTab and firstSheet set to it.
// Transitional and strict OOXML are each written in their own namespaces, and
// prefixed elements keep their prefixes. src is opened with the default Limits.
//
// Limits: a sheet that already has comments or another legacy VML drawing (form
// controls) cannot get comments: Flag returns an error (marks without comments
// are fine). Rows must be in ascending order, as Excel writes them: a marked row
// found out of order is an error. A row without an r attribute is taken to be
// the one after the previous row. docProps/app.xml (the sheet titles shown by
// the file's properties) is not updated; Excel rewrites it on save.
//
// Errors about the file itself are *Error values, as from Open; a write error of
// w is returned wrapped. On an error, what was written to w is not a usable file.
func Flag(w io.Writer, src io.ReaderAt, size int64, sheet string, marks []Mark,
	errorsName string, errorRows [][]ErrCell, colWidths []float64) error {
	fl := &flagger{errRows: errorRows, colWidths: colWidths}
	if err := fl.setMarks(marks); err != nil {
		return err
	}
	if len(errorRows) > excelMaxRows {
		return fmt.Errorf("xlsx: flag: %d errors rows, more than %d", len(errorRows), excelMaxRows)
	}
	for i, r := range errorRows {
		if len(r) > excelMaxCols {
			return fmt.Errorf("xlsx: flag: errors row %d has %d cells, more than %d", i+1, len(r), excelMaxCols)
		}
	}
	if errorsName == "" {
		errorsName = "Errors"
	}
	if !validSheetName(errorsName) {
		return fmt.Errorf("xlsx: flag: invalid sheet name %q", errorsName)
	}
	wb, err := Open(src, size, Limits{})
	if err != nil {
		return err
	}
	fl.wb = wb
	if err := fl.plan(sheet, errorsName); err != nil {
		return err
	}
	return fl.write(w)
}

func validSheetName(s string) bool {
	n := utf8.RuneCountInString(s)
	return n > 0 && n <= 31 && utf8.ValidString(s) && !strings.ContainsAny(s, `:\/?*[]`) &&
		!strings.HasPrefix(s, "'") && !strings.HasSuffix(s, "'")
}

// flagger holds what Flag works out before it writes.
type flagger struct {
	wb        *Workbook
	marks     []Mark
	fillOf    []int32  // per mark: index in fills, -1 for none
	fills     []string // ARGB colours, in order of first use
	comments  int      // marks with a comment
	bbox      [4]int   // min col, min row, max col, max row of the marks
	errRows   [][]ErrCell
	colWidths []float64

	strict    bool
	sheetName string
	sheetFile *zip.File
	sheetPart string
	others    map[*zip.File]bool // the other sheets' parts

	ctFile     *zip.File
	ct         *contentTypes
	wbFile     *zip.File
	wbRelsFile *zip.File // nil: created
	wbRels     *relsDoc
	sheetRelsF *zip.File // nil: created when comments are added
	sheetRels  *relsDoc
	stylesFile *zip.File // nil: created
	stylesPart string
	styles     *stylePlan

	errorsName   string
	errorsPart   string
	errorsRelID  string
	commentsPart string
	vmlPart      string
	legacyRelID  string
	vmlBlock     int // first o:idmap block of the new VML drawing

	dosTime, dosDate uint16
}

func (fl *flagger) setMarks(marks []Mark) error {
	less := func(a, b Mark) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return a.Col - b.Col
	}
	if !slices.IsSortedFunc(marks, less) {
		marks = slices.Clone(marks)
		slices.SortStableFunc(marks, less)
	}
	fl.marks = marks
	fl.fillOf = make([]int32, len(marks))
	fl.bbox = [4]int{math.MaxInt, math.MaxInt, -1, -1}
	byColour := map[string]int32{} // by ARGB
	byText := map[string]int32{}   // by Mark.Fill
	for i, m := range marks {
		if m.Col < 0 || m.Col >= excelMaxCols || m.Row < 1 || m.Row > excelMaxRows {
			return fmt.Errorf("xlsx: flag: mark at column %d, row %d is outside the sheet", m.Col, m.Row)
		}
		if i > 0 && less(marks[i-1], m) == 0 {
			return fmt.Errorf("xlsx: flag: two marks for cell %s", CellName(m.Col, m.Row))
		}
		fl.fillOf[i] = -1
		if m.Fill != "" {
			k, seen := byText[m.Fill]
			if !seen {
				argb, ok := argbColour(m.Fill)
				if !ok {
					return fmt.Errorf("xlsx: flag: cell %s: bad fill colour %q", CellName(m.Col, m.Row), m.Fill)
				}
				if k, seen = byColour[argb]; !seen {
					k = int32(len(fl.fills))
					byColour[argb] = k
					fl.fills = append(fl.fills, argb)
				}
				byText[m.Fill] = k
			}
			fl.fillOf[i] = k
		}
		if m.Comment != "" {
			fl.comments++
		}
		fl.bbox = [4]int{min(fl.bbox[0], m.Col), min(fl.bbox[1], m.Row), max(fl.bbox[2], m.Col), max(fl.bbox[3], m.Row)}
	}
	return nil
}

// argbColour turns "FF8080", "#ff8080" or "FFFF8080" into "FFFF8080".
func argbColour(s string) (string, bool) {
	s = strings.TrimPrefix(s, "#")
	if len(s) != 6 && len(s) != 8 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	s = strings.ToUpper(s)
	if len(s) == 6 {
		s = "FF" + s
	}
	return s, true
}

// Relationship namespaces and types.
const (
	nsStrictMain = "http://purl.oclc.org/ooxml/spreadsheetml/main"
	nsStrictRel  = "http://purl.oclc.org/ooxml/officeDocument/relationships"

	ctWorksheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctComments  = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
	ctStyles    = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	ctVML       = "application/vnd.openxmlformats-officedocument.vmlDrawing"
	ctRels      = "application/vnd.openxmlformats-package.relationships+xml"
)

func (fl *flagger) relNS() string {
	if fl.strict {
		return nsStrictRel
	}
	return nsRel
}

func (fl *flagger) mainNS() string {
	if fl.strict {
		return nsStrictMain
	}
	return nsMain
}

func (fl *flagger) relType(t string) string { return fl.relNS() + "/" + t }

// plan reads the small parts and decides every name, id and index before
// anything is written.
func (fl *flagger) plan(sheet, errorsName string) error {
	wb := fl.wb
	idx := wb.findSheet(sheet)
	if idx < 0 {
		return &Error{Problem: SheetNotFound, Sheet: sheet,
			Detail: fmt.Sprintf("the workbook has %d sheet(s): %s", len(wb.sheets), quoteNames(wb.sheets))}
	}
	fl.sheetName = wb.sheets[idx].name
	fl.sheetPart = wb.sheetPartOf(idx)
	if fl.sheetFile = wb.file(fl.sheetPart); fl.sheetFile == nil {
		return &Error{Problem: Corrupt, Sheet: fl.sheetName, Detail: fmt.Sprintf("sheet part %q is missing", fl.sheetPart)}
	}
	fl.sheetPart = normName(fl.sheetFile.Name)
	fl.others = map[*zip.File]bool{}
	for i := range wb.sheets {
		if f := wb.file(wb.sheetPartOf(i)); f != nil && f != fl.sheetFile {
			fl.others[f] = true
		}
	}
	fl.wbFile = wb.file(wb.wbPath)
	fl.dosTime, fl.dosDate = fl.wbFile.ModifiedTime, fl.wbFile.ModifiedDate // for new entries

	// Content types.
	if fl.ctFile = wb.file("[Content_Types].xml"); fl.ctFile == nil {
		return errorf(Corrupt, "[Content_Types].xml is missing")
	}
	data, err := wb.readSmall(fl.ctFile)
	if err != nil {
		return err
	}
	if fl.ct, err = parseContentTypes(data); err != nil {
		return errorf(Corrupt, "[Content_Types].xml: %v", err)
	}

	// The workbook: strict or transitional.
	wbData, err := wb.readSmall(fl.wbFile)
	if err != nil {
		return err
	}
	var m mscan
	m.data = wbData
	var t mtag
	for m.next(&t) {
		if !t.close {
			fl.strict = hasNamespace(t.attrs, nsStrictMain)
			break
		}
	}

	// Workbook relationships and the styles part.
	dir := path.Dir(wb.wbPath)
	if dir == "." {
		dir = ""
	}
	fl.wbRelsFile = wb.file(relsPath(wb.wbPath))
	if fl.wbRels, err = fl.readRels(fl.wbRelsFile, wb.wbPath); err != nil {
		return err
	}
	stylesRel := false
	for _, r := range fl.wbRels.rels {
		if relType(r.typ) == "styles" && !r.external {
			if f := wb.file(r.target); f != nil {
				fl.stylesFile, stylesRel = f, true
				break
			}
		}
	}
	if fl.stylesFile == nil {
		fl.stylesFile = wb.file(path.Join(dir, "styles.xml"))
	}
	var stylesData []byte
	if fl.stylesFile != nil {
		fl.stylesPart = normName(fl.stylesFile.Name)
		if stylesData, err = wb.readSmall(fl.stylesFile); err != nil {
			return err
		}
	} else {
		fl.stylesPart = path.Join(dir, "styles.xml")
		stylesData = []byte(fl.defaultStyles())
	}
	if !stylesRel {
		fl.wbRels.add(fl.relType("styles"), relTarget(wb.wbPath, fl.stylesPart))
		fl.ct.ensure(fl.stylesPart, ctStyles)
	}
	if fl.styles, err = planStyles(stylesData, fl); err != nil {
		return errorf(Corrupt, "%s: %v", fl.stylesPart, err)
	}

	// New parts.
	taken := map[string]bool{}
	unique := func(dir, base, ext string) string {
		for n := 1; ; n++ {
			p := path.Join(dir, base+strconv.Itoa(n)+ext)
			l := strings.ToLower(p)
			if wb.file(p) == nil && !fl.ct.overrides[l] && !taken[l] {
				taken[l] = true
				return p
			}
		}
	}
	fl.errorsPart = unique(path.Join(dir, "worksheets"), "sheet", ".xml")
	fl.ct.ensure(fl.errorsPart, ctWorksheet)
	fl.errorsRelID = fl.wbRels.add(fl.relType("worksheet"), relTarget(wb.wbPath, fl.errorsPart))
	fl.errorsName = fl.uniqueSheetName(errorsName)

	// The sheet's relationships, for the comments.
	if fl.comments > 0 {
		fl.sheetRelsF = wb.file(relsPath(fl.sheetPart))
		if fl.sheetRels, err = fl.readRels(fl.sheetRelsF, fl.sheetPart); err != nil {
			return err
		}
		for _, r := range fl.sheetRels.rels {
			switch relType(r.typ) {
			case "comments", "vmlDrawing":
				return &Error{Problem: Corrupt, Sheet: fl.sheetName,
					Detail: "the sheet already has comments or a legacy drawing (form controls); adding comments to it is not supported"}
			}
		}
		if fl.sheetRelsF == nil {
			fl.ct.ensureDefault("rels", ctRels, relsPath(fl.sheetPart))
		}
		fl.commentsPart = unique(dir, "comments", ".xml")
		fl.vmlPart = unique(path.Join(dir, "drawings"), "vmlDrawing", ".vml")
		fl.ct.ensure(fl.commentsPart, ctComments)
		fl.ct.ensureDefault("vml", ctVML, fl.vmlPart)
		fl.sheetRels.add(fl.relType("comments"), relTarget(fl.sheetPart, fl.commentsPart))
		fl.legacyRelID = fl.sheetRels.add(fl.relType("vmlDrawing"), relTarget(fl.sheetPart, fl.vmlPart))
		fl.vmlBlock = fl.freeVMLBlock()
	}
	if fl.wbRelsFile == nil {
		fl.ct.ensureDefault("rels", ctRels, relsPath(wb.wbPath))
	}
	return nil
}

func (fl *flagger) uniqueSheetName(name string) string {
	taken := func(n string) bool {
		for _, s := range fl.wb.sheets {
			if strings.EqualFold(s.name, n) {
				return true
			}
		}
		return false
	}
	if !taken(name) {
		return name
	}
	for i := 2; ; i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		base := []rune(name)
		if len(base)+utf8.RuneCountInString(suffix) > 31 {
			base = base[:31-utf8.RuneCountInString(suffix)]
		}
		n := strings.TrimRight(string(base), "'") + suffix
		if !taken(n) {
			return n
		}
	}
}

// freeVMLBlock returns the first o:idmap block (1024 shape ids each) that no
// other VML drawing of the package uses.
func (fl *flagger) freeVMLBlock() int {
	used := 0
	for _, f := range fl.wb.order {
		if !strings.HasSuffix(strings.ToLower(f.Name), ".vml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue
		}
		head := make([]byte, 16<<10)
		n, _ := io.ReadFull(rc, head)
		rc.Close()
		head = head[:n]
		i := bytes.Index(head, []byte("idmap"))
		if i < 0 {
			continue
		}
		j := bytes.Index(head[i:], []byte("data="))
		if j < 0 || i+j+6 > len(head) {
			continue
		}
		v := head[i+j+6:]
		if k := bytes.IndexAny(v, `"'`); k >= 0 {
			v = v[:k]
		}
		for _, s := range strings.Split(string(v), ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n > used && n < 1<<20 {
				used = n
			}
		}
	}
	return used + 1
}

// relTarget returns the relationship target of part to as seen from part from.
func relTarget(from, to string) string {
	var fd []string
	if d := path.Dir(from); d != "." && d != "" {
		fd = strings.Split(d, "/")
	}
	td := strings.Split(to, "/")
	i := 0
	for i < len(fd) && i < len(td)-1 && fd[i] == td[i] {
		i++
	}
	var b []string
	for range fd[i:] {
		b = append(b, "..")
	}
	return strings.Join(append(b, td[i:]...), "/")
}

// ---- writing -----------------------------------------------------------------

// flagLevel is the compression level of the parts Flag writes: the sheet is
// large, and BestSpeed costs about a third of the default level's time for a
// file some 25% larger.
const flagLevel = flate.BestSpeed

func (fl *flagger) write(w io.Writer) error {
	zw := zip.NewWriter(w)
	wb := fl.wb
	sheetDone := false
	writeSheet := func() error {
		if sheetDone {
			return nil
		}
		sheetDone = true
		return fl.writeSheet(zw)
	}
	for _, f := range wb.order {
		if wb.files[normName(f.Name)] != f {
			continue // a duplicate name: Open reads the first one only
		}
		var err error
		switch {
		case f == fl.ctFile:
			err = fl.writePart(zw, f.Name, f, fl.ct.bytes())
		case f == fl.wbFile:
			var data []byte
			if data, err = wb.readSmall(f); err == nil {
				if data, err = fl.editWorkbook(data); err == nil {
					err = fl.writePart(zw, f.Name, f, data)
				}
			}
		case f == fl.wbRelsFile:
			err = fl.writePart(zw, f.Name, f, fl.wbRels.bytes())
		case f == fl.stylesFile:
			if err = writeSheet(); err == nil {
				err = fl.writePart(zw, f.Name, f, fl.styles.bytes())
			}
		case f == fl.sheetFile:
			err = writeSheet()
		case f == fl.sheetRelsF && fl.sheetRels != nil:
			err = fl.writePart(zw, f.Name, f, fl.sheetRels.bytes())
		case fl.others[f]:
			err = fl.copyOtherSheet(zw, f)
		default:
			err = fl.copyRaw(zw, f)
		}
		if err != nil {
			return err
		}
	}
	if err := writeSheet(); err != nil {
		return err
	}
	if fl.stylesFile == nil {
		if err := fl.writePart(zw, fl.stylesPart, nil, fl.styles.bytes()); err != nil {
			return err
		}
	}
	if fl.wbRelsFile == nil {
		if err := fl.writePart(zw, relsPath(wb.wbPath), nil, fl.wbRels.bytes()); err != nil {
			return err
		}
	}
	if err := fl.writeStreamed(zw, fl.errorsPart, nil, fl.writeErrorsSheet); err != nil {
		return err
	}
	if fl.comments > 0 {
		if fl.sheetRelsF == nil {
			if err := fl.writePart(zw, relsPath(fl.sheetPart), nil, fl.sheetRels.bytes()); err != nil {
				return err
			}
		}
		if err := fl.writeStreamed(zw, fl.commentsPart, nil, fl.writeComments); err != nil {
			return err
		}
		if err := fl.writeStreamed(zw, fl.vmlPart, nil, fl.writeVML); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("xlsx: flag: write: %w", err)
	}
	return nil
}

// create starts a compressed entry; src is the entry it replaces, if any.
func (fl *flagger) create(zw *zip.Writer, name string, src *zip.File) (*parallelEntry, error) {
	fh := &zip.FileHeader{Name: name, CreatorVersion: 20, ReaderVersion: 20,
		ModifiedTime: fl.dosTime, ModifiedDate: fl.dosDate}
	if src != nil {
		fh.Flags = src.Flags & 0x800 // UTF-8 name
		fh.ModifiedTime, fh.ModifiedDate = src.ModifiedTime, src.ModifiedDate
		fh.ExternalAttrs, fh.Comment = src.ExternalAttrs, src.Comment
	}
	e, err := newParallelEntry(zw, fh, flagLevel)
	if err != nil {
		return nil, fmt.Errorf("xlsx: flag: write: %w", err)
	}
	return e, nil
}

// writePart writes a part held in memory.
func (fl *flagger) writePart(zw *zip.Writer, name string, src *zip.File, data []byte) error {
	return fl.writeStreamed(zw, name, src, func(w *bufio.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeStreamed writes a part through a buffer.
func (fl *flagger) writeStreamed(zw *zip.Writer, name string, src *zip.File, fn func(*bufio.Writer) error) error {
	e, err := fl.create(zw, name, src)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(e, 64<<10)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := e.Close(); err == nil {
		err = cerr
	}
	var xe *Error
	if err != nil && !errors.As(err, &xe) && !strings.HasPrefix(err.Error(), "xlsx: ") {
		err = fmt.Errorf("xlsx: flag: write: %w", err)
	}
	return err
}

// copyRaw copies an entry without inflating it.
func (fl *flagger) copyRaw(zw *zip.Writer, f *zip.File) error {
	fh := &zip.FileHeader{
		Name: f.Name, Comment: f.Comment, NonUTF8: f.NonUTF8,
		CreatorVersion: f.CreatorVersion, ReaderVersion: f.ReaderVersion,
		Flags: f.Flags &^ 0x8, Method: f.Method, // sizes go in the local header
		ModifiedTime: f.ModifiedTime, ModifiedDate: f.ModifiedDate,
		CRC32: f.CRC32, CompressedSize64: f.CompressedSize64, UncompressedSize64: f.UncompressedSize64,
		ExternalAttrs: f.ExternalAttrs,
	}
	r, err := f.OpenRaw()
	if err != nil {
		return fl.wb.classify(err, f.Name, nil)
	}
	w, err := zw.CreateRaw(fh)
	if err != nil {
		return fmt.Errorf("xlsx: flag: write: %w", err)
	}
	if _, err := io.Copy(w, r); err != nil {
		if ioErr := fl.wb.ra.ioErr(); ioErr != nil {
			return fmt.Errorf("xlsx: read %s: %w", f.Name, ioErr)
		}
		return fmt.Errorf("xlsx: flag: write: %w", err)
	}
	return nil
}

// writeSheet streams the flagged sheet.
func (fl *flagger) writeSheet(zw *zip.Writer) error {
	return fl.rewriteSheet(zw, fl.sheetFile, false)
}

// copyOtherSheet copies another sheet, removing tabSelected from its views; a
// sheet without it (nearly always) is copied raw.
func (fl *flagger) copyOtherSheet(zw *zip.Writer, f *zip.File) error {
	selected, err := fl.tabSelected(f)
	if err != nil {
		return err
	}
	if !selected {
		return fl.copyRaw(zw, f)
	}
	return fl.rewriteSheet(zw, f, true)
}

// rewriteSheet streams a sheet through a sheetRewriter.
func (fl *flagger) rewriteSheet(zw *zip.Writer, f *zip.File, head bool) error {
	pr, err := fl.wb.openPart(f)
	if err != nil {
		return err
	}
	defer pr.Close()
	return fl.writeStreamed(zw, f.Name, f, func(w *bufio.Writer) error {
		return newSheetRewriter(fl, w, pr, head).run()
	})
}

// tabSelected reports whether a sheet's views, before its data, select it.
func (fl *flagger) tabSelected(f *zip.File) (bool, error) {
	pr, err := fl.wb.openPart(f)
	if err != nil {
		return false, err
	}
	defer pr.Close()
	var sc scanner
	sc.reset(pr)
	var t tag
	for sc.nextTag(&t) {
		switch {
		case t.is("sheetView") && !t.end:
			if v, ok := attrValue(t.attrs, "tabSelected"); ok && isTrue(v) {
				return true, nil
			}
		case t.is("sheetViews") && t.end, t.is("sheetData"):
			return false, nil
		}
	}
	if sc.err != nil {
		return false, fl.wb.classify(sc.err, f.Name, pr)
	}
	return false, nil
}
