package xlsx

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
)

// sheetRewriter streams a worksheet's XML from the inflater to the output,
// copying every byte except what flagging changes. It looks at tags through the
// scanner's buffer; the scanner's emit hook copies the bytes it drops. Inside
// <sheetData> it reads no more than the name of a tag, except for <row> tags, and
// a row with marks is captured whole (it is small) and rewritten in memory.
type sheetRewriter struct {
	fl   *flagger
	sc   scanner
	pr   *partReader
	out  *bufio.Writer
	head bool // another sheet: only remove tabSelected, then copy the rest

	capture bool   // bytes go to row, not out
	row     []byte // the captured row
	tmp     []byte
	edits   []edit
	cells   []cellAt

	state      int    // 0 before <sheetData>, 1 inside it, 2 after it, 3 after the root
	depth      int    // in state 2: depth below the root
	rootPrefix string // prefix of the root element ("x:" or "")
	relPrefix  string // prefix bound to the relationships namespace on the root
	dataPrefix string // prefix of <sheetData>, for new rows and cells
	prevRow    int
	mi         int // next mark to place
	colStyles  []colStyle
	maxRow     int    // the highest row number seen
	slowTo     int64  // jump finds nothing before this input offset
	scratch    []byte // texts of a row's edits
	rootDone   bool
	legacyDone bool
	copied     bool // copyRest has copied the rest
	err        error
}

type colStyle struct{ min, max, style int }

type cellAt struct{ col, start, end, style int }

const maxCapturedRow = 64 << 20

func newSheetRewriter(fl *flagger, out *bufio.Writer, pr *partReader, head bool) *sheetRewriter {
	r := &sheetRewriter{fl: fl, pr: pr, out: out, head: head, slowTo: -1}
	r.sc.reset(pr)
	r.sc.emit = r.write
	return r
}

// write sends copied bytes to the output or to the captured row.
func (r *sheetRewriter) write(b []byte) {
	if !r.capture {
		r.out.Write(b) // a write error sticks in the bufio.Writer
		return
	}
	if len(r.row)+len(b) > maxCapturedRow {
		r.fail("row %d is larger than %d bytes", r.prevRow, maxCapturedRow)
		return
	}
	r.row = append(r.row, b...)
}

func (r *sheetRewriter) fail(format string, args ...any) {
	if r.err == nil {
		r.err = &Error{Problem: Corrupt, Sheet: r.fl.sheetName, Detail: r.pr.name + ": " + fmt.Sprintf(format, args...)}
	}
}

// flush copies the input up to buffer offset p.
func (r *sheetRewriter) flush(p int) {
	s := &r.sc
	if s.mark < p {
		r.write(s.buf[s.mark:p])
	}
	s.mark = p
}

// replace writes text instead of the input from s.mark up to buffer offset p.
func (r *sheetRewriter) replace(from, to int, text []byte) {
	r.flush(from)
	r.write(text)
	r.sc.mark, r.sc.pos = to, to
}

// seek moves to the next '<'; false at the end of the input.
func (r *sheetRewriter) seek() bool {
	s := &r.sc
	for {
		if s.pos < s.end && s.buf[s.pos] == '<' {
			return true
		}
		if i := bytes.IndexByte(s.buf[s.pos:s.end], '<'); i >= 0 {
			s.pos += i
			return true
		}
		s.pos = s.end
		if !s.fill() {
			return false
		}
	}
}

// jump moves s.pos to the next row tag in the buffer, a start tag ("<row") or
// an end tag ("</row") as asked, when nothing before it can hide or fake a tag
// (a comment, CDATA section or processing instruction) and no other row tag
// comes first. It reports false, not moving, when it cannot tell from the
// buffer; the caller then reads tag by tag until more input comes. The search
// is anchored on the 'w' of "row", a byte that sheet markup hardly has
// otherwise: this is what makes the rows without marks cheap.
func (r *sheetRewriter) jump(end bool) bool {
	s := &r.sc
	if r.pr.n <= r.slowTo {
		return false
	}
	b := s.buf[s.pos:s.end]
	i, isEnd, ok := findRowTag(b, r.dataPrefix)
	if !ok || isEnd != end || hasSpecial(b[:i]) {
		r.slowTo = r.pr.n
		return false
	}
	s.pos += i
	return true
}

// findRowTag finds the first "<{prefix}row" or "</{prefix}row" followed by a
// space, '>' or '/' in b.
func findRowTag(b []byte, prefix string) (i int, end, ok bool) {
	for from := 0; ; {
		k := bytes.IndexByte(b[from:], 'w')
		if k < 0 {
			return 0, false, false
		}
		k += from
		from = k + 1
		start := k - 2 - len(prefix) // where the name starts
		if start < 1 || b[k-1] != 'o' || b[k-2] != 'r' || string(b[start:k-2]) != prefix {
			continue
		}
		switch {
		case b[start-1] == '<':
			i = start - 1
		case b[start-1] == '/' && start >= 2 && b[start-2] == '<':
			i, end = start-2, true
		default:
			continue
		}
		if k+1 >= len(b) {
			return 0, false, false
		}
		if c := b[k+1]; c == '>' || c == '/' || isSpace(c) {
			return i, end, true
		}
	}
}

// hasSpecial reports whether b holds "<!" or "<?".
func hasSpecial(b []byte) bool {
	for _, c := range [2]byte{'!', '?'} {
		for from := 0; ; {
			k := bytes.IndexByte(b[from:], c)
			if k < 0 {
				break
			}
			k += from
			if k > 0 && b[k-1] == '<' {
				return true
			}
			from = k + 1
		}
	}
	return false
}

// peek returns the local name of the tag at s.pos and whether it is an end tag,
// without reading the rest of the tag. It reports ok false for markup that is
// not a tag (a comment, CDATA, a processing instruction), which it skips.
func (r *sheetRewriter) peek() (name []byte, end, ok bool) {
	s := &r.sc
	if s.end-s.pos < 72 {
		s.ensure(72)
	}
	b := s.buf[s.pos+1 : s.end]
	if len(b) == 0 {
		s.fail(errUnexpEOF)
		return nil, false, false
	}
	if b[0] == '!' || b[0] == '?' {
		s.skipSpecial()
		return nil, false, false
	}
	if b[0] == '/' {
		end = true
		b = b[1:]
	}
	i, k := 0, 0
	for ; i < len(b); i++ {
		c := b[i]
		if c == ':' {
			k = i + 1
		} else if c == '>' || c == '/' || isSpace(c) {
			break
		}
	}
	return b[k:i], end, true
}

// readTag reads the whole tag at s.pos into t; t.start and t.end are buffer
// offsets, valid until the scanner moves on.
func (r *sheetRewriter) readTag(t *mtag) bool {
	s := &r.sc
	gt := s.tagEnd()
	if gt < 0 {
		return false
	}
	t.start, t.end = s.pos, gt+1
	parseTag(s.buf[t.start:t.end], t)
	return true
}

func (r *sheetRewriter) run() error {
	s := &r.sc
	var t mtag
	for r.err == nil && s.err == nil && !r.copied {
		if r.state == 1 && r.jump(false) {
			if r.readTag(&t) {
				r.startRow(&t)
			}
			continue
		}
		if !r.seek() {
			break
		}
		name, end, ok := r.peek()
		if !ok {
			continue
		}
		if r.state == 1 {
			// The hot path: only <row> and </sheetData> matter.
			switch {
			case !end && string(name) == "row":
				if r.readTag(&t) {
					r.startRow(&t)
				}
			case end && string(name) == "sheetData":
				r.flush(s.pos)
				r.writeRows(excelMaxRows + 1)
				r.state = 2
				s.pos++
			default:
				s.pos++
			}
			continue
		}
		if r.state == 3 {
			s.pos++
			continue
		}
		if !r.readTag(&t) {
			break
		}
		if r.state == 0 {
			r.before(&t)
		} else {
			r.after(&t)
		}
	}
	if r.err != nil {
		return r.err
	}
	if s.err != nil {
		return r.fl.wb.classify(s.err, r.pr.name, r.pr)
	}
	if r.copied {
		return nil
	}
	r.flush(s.end)
	if r.head {
		return nil
	}
	switch {
	case r.state == 1:
		r.fail("the sheet ends inside <sheetData>")
		return r.err
	case r.state == 0 && len(r.fl.marks) > 0:
		r.fail("no <sheetData>: not a worksheet")
		return r.err
	}
	if r.needLegacy() && !r.legacyDone {
		r.fail("no end of the root element")
		return r.err
	}
	return nil
}

func (r *sheetRewriter) needLegacy() bool { return r.fl.comments > 0 && !r.head }

// before handles a tag before <sheetData>.
func (r *sheetRewriter) before(t *mtag) {
	s := &r.sc
	if r.head && (t.is("sheetData") && !t.close || t.is("sheetViews") && t.close) {
		r.copyRest()
		return
	}
	if t.close {
		s.pos = t.end
		return
	}
	tag := s.buf[t.start:t.end]
	if !r.rootDone {
		r.rootDone = true
		r.rootPrefix = t.prefix()
		if p, ok := nsPrefix(t.attrs, nsRel, nsStrictRel); ok {
			r.relPrefix = p
		}
		s.pos = t.end
		return
	}
	switch {
	case t.is("sheetView"):
		if _, ok := attrValue(t.attrs, "tabSelected"); ok {
			r.replace(t.start, t.end, editTag(r.tmp[:0], tag, "tabSelected", nil, true))
			return
		}
	case r.head:
	case t.is("dimension"):
		if text, ok := r.dimension(tag, t.attrs); ok {
			r.replace(t.start, t.end, text)
			return
		}
	case t.is("col"):
		r.addColStyle(t.attrs)
	case t.is("sheetData"):
		r.dataPrefix = t.prefix()
		if !t.empty {
			r.state = 1
			break
		}
		r.state = 2
		if r.mi < len(r.fl.marks) {
			r.flush(t.start)
			r.write(openTag(r.tmp[:0], tag))
			r.writeRows(excelMaxRows + 1)
			r.write([]byte("</" + string(t.qname) + ">"))
			s.mark = t.end
		}
	}
	s.pos = t.end
}

// copyRest copies the rest of another sheet as it is.
func (r *sheetRewriter) copyRest() {
	s := &r.sc
	r.flush(s.end)
	s.pos = s.end
	s.emit = nil
	if _, err := io.Copy(r.out, r.pr); err != nil {
		r.err = r.fl.wb.classify(err, r.pr.name, r.pr)
	}
	r.copied = true
}

// after handles a tag after </sheetData>: the <legacyDrawing> goes before the
// first element that follows it in CT_Worksheet, or before the root's end.
func (r *sheetRewriter) after(t *mtag) {
	s := &r.sc
	if t.close {
		if r.depth == 0 {
			if r.needLegacy() && !r.legacyDone {
				r.flush(t.start)
				r.writeLegacy()
			}
			r.state = 3
		} else {
			r.depth--
		}
		s.pos = t.end
		return
	}
	if r.depth == 0 && r.needLegacy() {
		switch string(t.name) {
		case "legacyDrawing":
			r.fail("the sheet already has a legacy drawing (comments or form controls); adding comments to it is not supported")
			return
		case "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
			"tableParts", "extLst", "AlternateContent":
			if !r.legacyDone {
				r.flush(t.start)
				r.writeLegacy()
			}
		}
	}
	if !t.empty {
		r.depth++
	}
	s.pos = t.end
}

func (r *sheetRewriter) writeLegacy() {
	b := r.tmp[:0]
	b = append(b, "<"+r.rootPrefix+"legacyDrawing "...)
	if r.relPrefix == "" {
		b = append(b, `xmlns:r="`+r.fl.relNS()+`" r:id="`...)
	} else {
		b = append(b, r.relPrefix+`:id="`...)
	}
	b = append(b, r.fl.legacyRelID+`"/>`...)
	r.write(b)
	r.tmp = b[:0]
	r.legacyDone = true
}

// dimension widens the <dimension> ref to take in the marks.
func (r *sheetRewriter) dimension(tag, attrs []byte) ([]byte, bool) {
	fl := r.fl
	if len(fl.marks) == 0 {
		return nil, false
	}
	v, ok := attrValue(attrs, "ref")
	if !ok {
		return nil, false
	}
	a, b, _ := bytes.Cut(trimSpace(v), []byte(":"))
	c1, r1, ok1 := parseRef(a)
	c2, r2, ok2 := c1, r1, ok1
	if len(b) > 0 {
		c2, r2, ok2 = parseRef(b)
	}
	if !ok1 || !ok2 || r1 == 0 || r2 == 0 {
		return nil, false
	}
	n1, m1 := min(c1, fl.bbox[0]), min(r1, fl.bbox[1])
	n2, m2 := max(c2, fl.bbox[2]), max(r2, fl.bbox[3])
	if n1 == c1 && m1 == r1 && n2 == c2 && m2 == r2 {
		return nil, false
	}
	ref := appendCellName(nil, n1, m1)
	ref = append(ref, ':')
	ref = appendCellName(ref, n2, m2)
	return editTag(r.tmp[:0], tag, "ref", ref, false), true
}

func (r *sheetRewriter) addColStyle(attrs []byte) {
	v, ok := attrValue(attrs, "style")
	if !ok {
		return
	}
	st, ok := parseUint(v, 1<<30)
	if !ok || st == 0 {
		return
	}
	a, _ := attrValue(attrs, "min")
	b, _ := attrValue(attrs, "max")
	lo, ok1 := parseUint(a, excelMaxCols)
	hi, ok2 := parseUint(b, excelMaxCols)
	if ok1 && ok2 && lo >= 1 && hi >= lo && len(r.colStyles) < excelMaxCols {
		r.colStyles = append(r.colStyles, colStyle{lo - 1, hi - 1, st})
	}
}

func (r *sheetRewriter) colStyle(col int) int {
	for _, c := range r.colStyles {
		if col >= c.min && col <= c.max {
			return c.style
		}
	}
	return 0
}

// startRow handles a <row> start tag inside <sheetData>.
func (r *sheetRewriter) startRow(t *mtag) {
	s := &r.sc
	marks := r.fl.marks
	n := r.prevRow + 1
	if v, ok := attrValue(t.attrs, "r"); ok {
		num, ok := parseUint(v, excelMaxRows)
		if !ok || num == 0 {
			r.fail("bad row number %q", v)
			return
		}
		n = num
	}
	if n <= r.maxRow {
		if _, found := slices.BinarySearchFunc(marks, n, func(m Mark, row int) int { return m.Row - row }); found {
			r.fail("row %d comes after row %d: rows out of order", n, r.maxRow)
			return
		}
	}
	r.prevRow, r.maxRow = n, max(r.maxRow, n)
	if r.mi < len(marks) && marks[r.mi].Row < n {
		r.flush(t.start)
		r.writeRows(n)
	}
	if r.mi >= len(marks) || marks[r.mi].Row != n {
		s.pos = t.end
		return
	}
	first := r.mi
	for r.mi < len(marks) && marks[r.mi].Row == n {
		r.mi++
	}
	r.flush(t.start)
	if t.empty {
		r.row = openTag(r.row[:0], s.buf[t.start:t.end])
		r.row = append(r.row, "</"+string(t.qname)+">"...)
		s.mark, s.pos = t.end, t.end
		r.flagRow(n, first, r.mi)
		return
	}
	// Capture the row through its end tag.
	r.capture, r.row = true, r.row[:0]
	s.pos = t.end
	var u mtag
	for r.err == nil {
		if r.jump(true) {
			if !r.readTag(&u) {
				return
			}
			r.flush(u.end)
			s.pos = u.end
			r.capture = false
			r.flagRow(n, first, r.mi)
			return
		}
		if !r.seek() {
			break
		}
		name, end, ok := r.peek()
		if !ok {
			continue
		}
		switch {
		case string(name) == "row" && end:
			if !r.readTag(&u) {
				return
			}
			r.flush(u.end)
			s.pos = u.end
			r.capture = false
			r.flagRow(n, first, r.mi)
			return
		case string(name) == "row" || string(name) == "sheetData":
			r.fail("row %d has no end tag", n)
			return
		}
		s.pos++
	}
	if s.err == nil {
		r.fail("the sheet ends inside row %d", n)
	}
}

// flagRow rewrites the captured row n with marks[first:last]. Inside the row
// only the <c> start tags matter: a cell has no <c> below it, and the row's end
// tag is its last tag.
func (r *sheetRewriter) flagRow(n, first, last int) {
	fl := r.fl
	data := r.row
	var rowTag mtag
	gt := tagClose(data)
	rowEnd := bytes.LastIndexByte(data, '<')
	if gt < 0 || rowEnd <= gt {
		r.fail("row %d is malformed", n)
		return
	}
	rowTag.start, rowTag.end = 0, gt+1
	parseTag(data[:gt+1], &rowTag)
	rowStyle := -1
	if v, ok := attrValue(rowTag.attrs, "customFormat"); ok && isTrue(v) {
		if v, ok := attrValue(rowTag.attrs, "s"); ok {
			rowStyle, _ = parseUint(v, 1<<30)
		}
	}
	prefix := rowTag.prefix()

	cells := r.cells[:0]
	col, sorted := -1, true
	for pos := gt + 1; ; {
		i := bytes.IndexByte(data[pos:rowEnd], '<')
		if i < 0 {
			break
		}
		p := pos + i
		b := data[p:rowEnd]
		if len(b) < 2 {
			break
		}
		switch b[1] {
		case '/':
			pos = p + 2
			continue
		case '!', '?':
			end := "-->"
			switch {
			case b[1] == '?':
				end = "?>"
			case bytes.HasPrefix(b, []byte("<![CDATA[")):
				end = "]]>"
			}
			j := bytes.Index(b[2:], []byte(end))
			if j < 0 {
				r.fail("row %d is malformed", n)
				return
			}
			pos = p + 2 + j + len(end)
			continue
		}
		j, k := 1, 1
		for ; j < len(b) && !isSpace(b[j]) && b[j] != '>' && b[j] != '/'; j++ {
			if b[j] == ':' {
				k = j + 1
			}
		}
		if j-k != 1 || b[k] != 'c' {
			pos = p + j
			continue
		}
		gt := tagClose(b)
		if gt < 0 {
			r.fail("row %d is malformed", n)
			return
		}
		style, hasRef := 0, false
		it := attrIter(b[j:gt])
		for name, val, ok := it.next(); ok; name, val, ok = it.next() {
			if len(name) != 1 {
				continue
			}
			switch name[0] {
			case 'r':
				c, _, ok := parseRef(val)
				if !ok {
					r.fail("bad cell reference %q in row %d", val, n)
					return
				}
				if c <= col {
					sorted = false
				}
				col, hasRef = c, true
			case 's':
				style, _ = parseUint(val, 1<<30)
			}
		}
		if !hasRef {
			col++
		}
		cells = append(cells, cellAt{col: col, start: p, end: p + gt + 1, style: style})
		pos = p + gt + 1
	}
	r.cells = cells
	byCol := cells
	if !sorted {
		byCol = slices.Clone(cells)
		slices.SortStableFunc(byCol, func(a, b cellAt) int { return a.col - b.col })
	}

	edits, sc := r.edits[:0], r.scratch[:0]
	text := func(start int) []byte { return sc[start:len(sc):len(sc)] }
	marks := fl.marks[first:last]
	// A row whose spans hint leaves out a marked column loses the hint.
	if v, ok := attrValue(rowTag.attrs, "spans"); ok && !spansCover(v, marks) {
		at := len(sc)
		sc = editTag(sc, data[:rowTag.end], "spans", nil, true)
		edits = append(edits, edit{at: 0, end: rowTag.end, text: text(at)})
	}
	for i, mk := range marks {
		k := fl.fillOf[first+i]
		j, found := slices.BinarySearchFunc(byCol, mk.Col, func(c cellAt, col int) int { return c.col - col })
		if found {
			for ; j < len(byCol) && byCol[j].col == mk.Col && k >= 0; j++ {
				c := byCol[j]
				st := fl.styles.styleFor(c.style, int(k))
				at := len(sc)
				sc = editTag(sc, data[c.start:c.end], "s", strconv.AppendInt(r.tmp[:0], int64(st), 10), false)
				edits = append(edits, edit{at: c.start, end: c.end, text: text(at)})
			}
			continue
		}
		// A missing cell: before the first cell (in file order) of a later
		// column, or at the end of the row.
		at := rowEnd
		for _, c := range cells {
			if c.col > mk.Col {
				at = c.start
				break
			}
		}
		orig := rowStyle
		if orig < 0 {
			orig = r.colStyle(mk.Col)
		}
		start := len(sc)
		sc = r.newCell(sc, prefix, mk.Col, n, orig, k)
		edits = append(edits, edit{at: at, end: at, text: text(start)})
	}
	r.edits, r.scratch = edits, sc
	if !slices.IsSortedFunc(edits, cmpEdit) {
		slices.SortStableFunc(edits, cmpEdit)
	}
	p := 0
	for _, e := range edits {
		r.write(data[p:e.at])
		r.write(e.text)
		p = e.end
	}
	r.write(data[p:])
}

// spansCover reports whether a row's spans ("1:5" or "1:5 7:9") take in every
// marked column.
func spansCover(spans []byte, marks []Mark) bool {
	fields := bytes.Fields(spans)
next:
	for _, m := range marks {
		for _, f := range fields {
			a, b, ok := bytes.Cut(f, []byte(":"))
			lo, ok1 := parseUint(a, excelMaxCols)
			hi, ok2 := parseUint(b, excelMaxCols)
			if ok && ok1 && ok2 && m.Col+1 >= lo && m.Col+1 <= hi {
				continue next
			}
		}
		return false
	}
	return true
}

// newCell appends an empty cell with style orig, filled with colour k.
func (r *sheetRewriter) newCell(b []byte, prefix string, col, row, orig int, k int32) []byte {
	st := orig
	if k >= 0 {
		st = r.fl.styles.styleFor(orig, int(k))
	}
	b = append(b, "<"+prefix+`c r="`...)
	b = appendCellName(b, col, row)
	b = append(b, '"')
	if st != 0 {
		b = append(b, ` s="`...)
		b = appendInt(b, st)
		b = append(b, '"')
	}
	return append(b, "/>"...)
}

// writeRows writes the rows of the marks before row limit that are not in the
// sheet.
func (r *sheetRewriter) writeRows(limit int) {
	fl := r.fl
	p := r.dataPrefix
	b := r.tmp[:0]
	for r.mi < len(fl.marks) && fl.marks[r.mi].Row < limit {
		n := fl.marks[r.mi].Row
		b = append(b, "<"+p+`row r="`...)
		b = strconv.AppendInt(b, int64(n), 10)
		b = append(b, `">`...)
		for ; r.mi < len(fl.marks) && fl.marks[r.mi].Row == n; r.mi++ {
			m := fl.marks[r.mi]
			b = r.newCell(b, p, m.Col, n, r.colStyle(m.Col), fl.fillOf[r.mi])
		}
		b = append(b, "</"+p+"row>"...)
		if len(b) > 32<<10 {
			r.write(b)
			b = b[:0]
		}
	}
	r.write(b)
	r.tmp = b[:0]
}
