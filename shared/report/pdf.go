package report

import (
	_ "embed"
	"io"
	"math"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
)

// DejaVu Sans 2.37 (Debian's fonts-dejavu-core, license in fonts/LICENSE): it has
// the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І that Go's bundled fonts lack.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// PDFFont is the family name of the embedded font in the PDF.
const PDFFont = "DejaVuSans"

// pdfWriter draws the layout on A4 landscape pages. Every piece is measured
// before it is drawn, so that what belongs together stays on one page: a heading
// with what follows it, a table that fits on a page (a longer one repeats its
// header on each page and starts with at least a few rows), a chart with its
// title and legend. Text wraps between words only (dates, times and numbers hold
// no breakable space), and a column is never narrower than its longest word.
type pdfWriter struct {
	p           *fpdf.Fpdf
	l           *loc
	left, width float64 // the text area
	top, bottom float64 // the first and last y a line may take
	section     string  // the section being drawn
	// events, when not nil, records what was drawn where (for tests).
	events *[]pdfEvent
	group  int // the table part or chart being drawn
}

// pdfEvent is one thing drawn: its kind, page and group (a table part or a chart).
type pdfEvent struct {
	kind  string // heading, title, text, row, chart, chart-end
	page  int
	group int
	fits  bool // a table part that fits on one page
}

func (w *pdfWriter) mark(kind string, group int, fits bool) {
	if w.events != nil {
		*w.events = append(*w.events, pdfEvent{kind, w.p.PageNo(), group, fits})
	}
}

const (
	pdfFontSize  = 7.5
	pdfLine      = 3.6 // mm per line of table text
	pdfMaxCols   = 11  // data columns per table part, besides the first
	pdfMinColW   = 16.0
	pdfPad       = 2.6 // a cell's inner margins (fpdf's 1 mm each side) and some air
	pdfChartBarH = 3.2
	pdfMinBarH   = 1.2
	pdfKeepRows  = 3 // rows a table that runs onto the next page starts with
)

// Text styles: font style, size and line height.
type pdfStyle struct {
	bold       bool
	size, line float64
}

var (
	styleSection = pdfStyle{true, 13, 6.5}
	styleHeading = pdfStyle{true, 11.5, 5.8}
	styleTitle   = pdfStyle{true, 9, 4.5}
	stylePara    = pdfStyle{false, 8.5, 4.2}
	styleNote    = pdfStyle{false, 7, 3.4}
)

// WritePDF writes the report as a PDF for the paper copy (clause 13) in lang: the
// same sections, tables and charts as the workbook (charts drawn as bar charts),
// with DejaVu Sans embedded so Kazakh and Cyrillic text render and can be
// extracted. The document's dates are the build time, so the same build gives the
// same bytes.
func WritePDF(w io.Writer, r *Report, lang string, ref *refdata.Set) error {
	return writePDF(w, r, lang, ref, nil)
}

func writePDF(w io.Writer, r *Report, lang string, ref *refdata.Set, events *[]pdfEvent) error {
	lay := r.layout(lang, ref)
	p := fpdf.New("L", "mm", "A4", "")
	p.SetCatalogSort(true)
	p.SetCompression(true)
	p.SetCreationDate(r.Built.UTC())
	p.SetModificationDate(r.Built.UTC())
	p.SetTitle(lay.title, true)
	p.SetCreator("qoldau", true)
	p.SetProducer("qoldau", true)
	p.SetLang(lang)
	p.AddUTF8FontFromBytes(PDFFont, "", fontRegular)
	p.AddUTF8FontFromBytes(PDFFont, "B", fontBold)
	p.SetMargins(12, 12, 12)
	p.SetAutoPageBreak(false, 12)
	p.AliasNbPages("{nb}")
	pw := &pdfWriter{p: p, l: newLoc(lang, ref), events: events}
	pageW, pageH := p.GetPageSize()
	pw.left, pw.width, pw.top, pw.bottom = 12, pageW-24, 12, pageH-14
	p.SetFooterFunc(func() {
		p.SetY(pageH - 10)
		p.SetFont(PDFFont, "", 7)
		p.SetTextColor(110, 110, 110)
		p.CellFormat(0, 4, clean(lay.title+" · "+pw.l.period(r.Period)+" · "+pw.l.t("page")+" ")+pageNo(p)+"/{nb}", "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()
	pw.text(lay.title, pdfStyle{true, 15, 7})
	pw.text(lay.subtitle, pdfStyle{false, 10, 5})
	p.Ln(3)
	for i, sh := range lay.sheets {
		pw.sheet(sh, i == 0)
	}
	if p.Err() {
		return pdfErr(p.Error())
	}
	if err := p.Output(w); err != nil {
		return pdfErr(err)
	}
	return nil
}

func pdfErr(err error) error {
	return qoldau.E(qoldau.Internal, catalogue.Text("err.cannot-write-pdf-report"), err)
}

func pageNo(p *fpdf.Fpdf) string {
	n := p.PageNo()
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

// clean keeps text the font's tables can measure: runes beyond the Basic
// Multilingual Plane become '?'.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r > 0xFFFF {
			return '?'
		}
		return r
	}, s)
}

// need starts a new page unless h millimetres fit on this one.
func (w *pdfWriter) need(h float64) {
	if w.p.GetY()+h > w.bottom && w.p.GetY() > w.top+0.1 {
		w.p.AddPage()
	}
}

// page is the height a page holds.
func (w *pdfWriter) page() float64 { return w.bottom - w.top }

func (w *pdfWriter) font(st pdfStyle) {
	style := ""
	if st.bold {
		style = "B"
	}
	w.p.SetFont(PDFFont, style, st.size)
}

// wrap splits s into lines of at most width millimetres in the current font,
// breaking at spaces only (U+0020: a no-break space holds); a word longer than
// the width is cut where it must be. An indent stays at the start of the first
// line.
func (w *pdfWriter) wrap(s string, width float64) []string {
	p := w.p
	avail := width - 2 // fpdf's cell margins
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		body := strings.TrimLeft(para, " ")
		indent := strings.Repeat("\u00a0", len(para)-len(body))
		line := ""
		for i, word := range strings.Split(body, " ") {
			if i == 0 {
				word = indent + word
			} else if try := line + " " + word; p.GetStringWidth(try) <= avail {
				line = try
				continue
			} else {
				lines = append(lines, line)
			}
			line = word
			for p.GetStringWidth(line) > avail && len([]rune(line)) > 1 {
				r := []rune(line)
				k := len(r) - 1
				for k > 1 && p.GetStringWidth(string(r[:k])) > avail {
					k--
				}
				lines = append(lines, string(r[:k]))
				line = string(r[k:])
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// longestWord is the width of the widest word of s (split at U+0020 only).
func (w *pdfWriter) longestWord(s string) float64 {
	m := 0.0
	for _, word := range strings.Split(s, " ") {
		m = math.Max(m, w.p.GetStringWidth(word))
	}
	return m
}

// textHeight is the height of s wrapped to the text width in style st.
func (w *pdfWriter) textHeight(s string, st pdfStyle) float64 {
	if s == "" {
		return 0
	}
	w.font(st)
	return float64(len(w.wrap(clean(s), w.width))) * st.line
}

// text writes a paragraph across the text width.
func (w *pdfWriter) text(s string, st pdfStyle) {
	if s == "" {
		return
	}
	w.font(st)
	for _, line := range w.wrap(clean(s), w.width) {
		w.p.SetX(w.left)
		w.p.CellFormat(w.width, st.line, line, "", 1, "L", false, 0, "")
	}
}

// sheet draws one sheet: a new section starts on a new page with its heading;
// the sub-section's heading stays with the start of what follows it.
func (w *pdfWriter) sheet(sh *sheet, first bool) {
	p := w.p
	var head float64
	newSection := sh.section != w.section
	if newSection {
		head += w.textHeight(sh.section, styleSection) + 2
	}
	if sh.heading != "" {
		head += w.textHeight(sh.heading, styleHeading) + 1.5
	}
	// What follows the headings: the first paragraph, or the start of the first
	// block as it can be kept on a page below the headings.
	next := 0.0
	var firstBlock *blockSize
	if len(sh.intro) > 0 {
		next = w.textHeight(sh.intro[0], stylePara)
	} else if len(sh.blocks) > 0 {
		firstBlock = w.measure(sh.blocks[0], w.page()-head)
		next = firstBlock.keep
	}
	if newSection && !first {
		p.AddPage()
	}
	w.need(head + next)
	if newSection {
		w.section = sh.section
		w.text(sh.section, styleSection)
		w.mark("heading", 0, false)
		p.Ln(2)
	}
	if sh.heading != "" {
		w.text(sh.heading, styleHeading)
		w.mark("heading", 0, false)
		p.Ln(1.5)
	}
	for i, s := range sh.intro {
		if i > 0 {
			w.need(w.textHeight(s, stylePara))
		}
		w.text(s, stylePara)
		w.mark("text", 0, false)
		p.Ln(2)
	}
	for i, b := range sh.blocks {
		m := firstBlock
		if i > 0 || m == nil {
			m = w.measure(b, w.page())
		}
		w.block(b, m)
	}
	p.Ln(2)
}

// blockSize is a block measured: its table laid out, the height of the whole
// block without its chart, the height that must stay together at its start, and
// its chart laid out.
type blockSize struct {
	parts       []*tablePart
	titleH      float64
	total, keep float64
	chart       *chartLayout
}

// measure lays a block out for a page that has room millimetres for its start:
// the whole block is kept together if it fits there; else its title, paragraphs
// and first table part; else they and the part's header and first rows (the part
// then runs onto the next page).
func (w *pdfWriter) measure(b *block, room float64) *blockSize {
	m := &blockSize{}
	m.titleH = w.textHeight(b.title, styleTitle)
	if m.titleH > 0 {
		m.titleH += 0.5
	}
	paras := 0.0
	for _, s := range b.para {
		paras += w.textHeight(s, stylePara)
	}
	m.total = m.titleH + paras
	m.keep = m.total
	if len(b.header) > 0 {
		m.parts = w.tableParts(b)
		for i, part := range m.parts {
			if i > 0 {
				m.total += 2
			}
			m.total += part.height()
		}
		// A part that fits on a page is kept whole; a longer one starts with
		// its header and a few rows.
		first := m.parts[0]
		if h := first.height(); m.keep+h <= room {
			m.keep += h
		} else {
			m.keep += first.headH + first.rowsH(pdfKeepRows)
			first.split = true
		}
	}
	note := w.textHeight(b.note, styleNote)
	m.total += note
	if m.total <= room {
		m.keep = m.total
	}
	if b.chart != nil {
		m.chart = w.chartLayout(b)
	}
	return m
}

func (w *pdfWriter) block(b *block, m *blockSize) {
	p := w.p
	w.need(m.keep)
	if b.title != "" {
		w.text(b.title, styleTitle)
		w.mark("title", 0, false)
		p.Ln(0.5)
	}
	for _, s := range b.para {
		w.need(w.textHeight(s, stylePara))
		w.text(s, stylePara)
		w.mark("text", 0, false)
	}
	for i, part := range m.parts {
		if i > 0 {
			p.Ln(2)
			if h := part.height(); h <= w.page() {
				w.need(h)
			} else {
				w.need(part.headH + part.rowsH(pdfKeepRows))
				part.split = true
			}
		}
		w.group++
		w.tablePart(b, part)
	}
	if b.note != "" {
		w.need(w.textHeight(b.note, styleNote))
		w.text(b.note, styleNote)
		w.mark("text", 0, false)
	}
	if m.chart != nil {
		p.Ln(3)
		w.drawChart(m.chart)
	}
	p.Ln(3)
}

// cellText renders a cell as the PDF shows it.
func (w *pdfWriter) cellText(c cell) (string, string) {
	switch c.kind {
	case cInt:
		return w.l.num(int(c.n)), "R"
	case cMean:
		return fmtFloat(c.n, 2, w.l.lang), "R"
	case cPct:
		return w.l.pct(c.n), "R"
	case cNone:
		return clean(c.s), "C"
	}
	return clean(c.s), "L"
}

// tablePart is a part of a table's columns laid out: the header lines and every
// row's lines and height.
type tablePart struct {
	// split: the part may run onto the next page (it is longer than the room
	// for it); else it is drawn on one page.
	split  bool
	cols   []int
	widths []float64
	head   [][]string
	headH  float64
	rows   []rowLayout
}

type rowLayout struct {
	lines  [][]string
	aligns []string
	h      float64
	bold   bool
	sub    bool // splits the row above it: kept on its page
	split  bool // rows that split it follow (shaded)
}

func (t *tablePart) height() float64 { return t.headH + t.rowsH(len(t.rows)) }

func (t *tablePart) rowsH(n int) float64 {
	h := 0.0
	for i := 0; i < n && i < len(t.rows); i++ {
		h += t.rows[i].h
	}
	return h
}

// tableParts lays a block's table out in parts of at most pdfMaxCols columns
// beside the first, each part repeating the first column. A column is as wide as
// its content wants, never narrower than its longest word.
func (w *pdfWriter) tableParts(b *block) []*tablePart {
	p := w.p
	ncol := len(b.header)
	least, want := make([]float64, ncol), make([]float64, ncol)
	w.font(pdfStyle{true, pdfFontSize, pdfLine})
	for j, h := range b.header {
		least[j] = math.Max(pdfMinColW*0.6, w.longestWord(clean(h))+pdfPad)
		want[j] = math.Max(least[j], pdfMinColW)
	}
	for ri, row := range b.rows {
		w.font(pdfStyle{b.bold(ri), pdfFontSize, pdfLine})
		for j, c := range row {
			if j >= ncol {
				continue
			}
			s, _ := w.cellText(c)
			full := p.GetStringWidth(s) + pdfPad
			want[j] = math.Max(want[j], full)
			if c.kind == cText || c.kind == cNone {
				least[j] = math.Max(least[j], w.longestWord(s)+pdfPad)
			} else {
				least[j] = math.Max(least[j], full)
			}
		}
	}
	var parts []*tablePart
	if ncol <= 9 {
		cols := make([]int, ncol)
		for j := range cols {
			cols[j] = j
		}
		parts = append(parts, w.fitPart(b, cols, least, want, w.width))
	} else {
		first := math.Max(least[0], math.Min(math.Max(want[0], 30), 80))
		for start := 1; start < ncol; {
			end, total := start, first
			for end < ncol {
				cw := math.Max(least[end], math.Min(want[end], 60))
				if end > start && (total+cw > w.width || end-start >= pdfMaxCols) {
					break
				}
				total += cw
				end++
			}
			cols := []int{0}
			for j := start; j < end; j++ {
				cols = append(cols, j)
			}
			parts = append(parts, w.fitPart(b, cols, least, want, w.width))
			start = end
		}
	}
	return parts
}

// fitPart chooses the widths of the columns cols within width: what they want
// when it fits (a little wider for a part of a wide table), else their least
// widths plus a share of the room left, else (words too long for the page) their
// least widths shrunk in proportion.
func (w *pdfWriter) fitPart(b *block, cols []int, least, want []float64, width float64) *tablePart {
	t := &tablePart{cols: cols, widths: make([]float64, len(cols))}
	var sumLeast, sumWant float64
	for i, j := range cols {
		wt := want[j]
		if len(cols) < len(b.header) && i > 0 {
			wt = math.Max(least[j], math.Min(wt, 60))
		}
		wt = math.Min(wt, math.Max(least[j], width*0.65))
		t.widths[i] = wt
		sumLeast += least[j]
		sumWant += wt
	}
	switch {
	case sumWant <= width:
		if len(cols) < len(b.header) && sumWant > 0 {
			k := math.Min(width/sumWant, 1.6)
			for i := range t.widths {
				t.widths[i] *= k
			}
		}
	case sumLeast <= width:
		k := (width - sumLeast) / (sumWant - sumLeast)
		for i, j := range cols {
			t.widths[i] = least[j] + (t.widths[i]-least[j])*k
		}
	default:
		for i, j := range cols {
			t.widths[i] = least[j] * width / sumLeast
		}
	}
	// The header.
	w.font(pdfStyle{true, pdfFontSize, pdfLine})
	lines := 1
	t.head = make([][]string, len(cols))
	for i, j := range cols {
		t.head[i] = w.wrap(clean(b.header[j]), t.widths[i])
		lines = max(lines, len(t.head[i]))
	}
	t.headH = float64(lines)*pdfLine + 1
	// The rows: text cells wrap, numbers take one line.
	for ri, row := range b.rows {
		rl := rowLayout{bold: b.bold(ri), sub: b.isSub(ri), split: !b.isSub(ri) && b.isSub(ri+1), lines: make([][]string, len(cols)), aligns: make([]string, len(cols))}
		w.font(pdfStyle{rl.bold, pdfFontSize, pdfLine})
		n := 1
		for i, j := range cols {
			if j >= len(row) {
				continue
			}
			s, align := w.cellText(row[j])
			rl.aligns[i] = align
			if row[j].kind == cText || row[j].kind == cNone {
				rl.lines[i] = w.wrap(s, t.widths[i])
			} else {
				rl.lines[i] = []string{fit(w.p, s, t.widths[i])}
			}
			n = max(n, len(rl.lines[i]))
		}
		rl.h = float64(n)*pdfLine + 0.6
		t.rows = append(t.rows, rl)
	}
	return t
}

// tablePart draws a laid-out part, the header repeated on each new page.
func (w *pdfWriter) tablePart(b *block, t *tablePart) {
	p := w.p
	header := func() {
		w.font(pdfStyle{true, pdfFontSize, pdfLine})
		p.SetFillColor(221, 235, 247)
		x0, y0 := w.left, p.GetY()
		x := x0
		for i := range t.cols {
			p.Rect(x, y0, t.widths[i], t.headH, "FD")
			for k, line := range t.head[i] {
				p.SetXY(x, y0+0.5+float64(k)*pdfLine)
				p.CellFormat(t.widths[i], pdfLine, line, "", 0, "C", false, 0, "")
			}
			x += t.widths[i]
		}
		p.SetXY(x0, y0+t.headH)
	}
	w.need(t.headH + t.rowsH(1))
	header()
	for i, rl := range t.rows {
		// A row and the rows that split it (its channels) stay on one page.
		h := rl.h
		for k := i + 1; !rl.sub && k < len(t.rows) && t.rows[k].sub; k++ {
			h += t.rows[k].h
		}
		if h > w.page()-t.headH {
			h = rl.h // a group longer than a page runs on
		}
		if p.GetY()+h > w.bottom {
			p.AddPage()
			header()
		}
		w.font(pdfStyle{rl.bold, pdfFontSize, pdfLine})
		x0, y0 := w.left, p.GetY()
		x := x0
		style := "D"
		if rl.split {
			p.SetFillColor(242, 242, 242)
			style = "FD"
		}
		for i := range t.cols {
			p.Rect(x, y0, t.widths[i], rl.h, style)
			for k, line := range rl.lines[i] {
				p.SetXY(x, y0+0.3+float64(k)*pdfLine)
				p.CellFormat(t.widths[i], pdfLine, line, "", 0, rl.aligns[i], false, 0, "")
			}
			x += t.widths[i]
		}
		p.SetXY(x0, y0+rl.h)
		w.mark("row", w.group, !t.split)
	}
}

// fit shortens s with an ellipsis until it fits width.
func fit(p *fpdf.Fpdf, s string, width float64) string {
	if p.GetStringWidth(s)+2 <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && p.GetStringWidth(string(r)+"…")+2 > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

var chartColours = [][3]int{{68, 114, 196}, {237, 125, 49}, {165, 165, 165}, {255, 192, 0}, {91, 155, 213},
	{112, 173, 71}, {38, 68, 120}, {158, 72, 14}, {99, 99, 99}, {153, 115, 0}}

// chartLayout is a chart measured: its bars, legend lines and sizes.
type chartLayout struct {
	c       *chart
	names   []string
	bars    []chartBar
	maxV    float64
	legend  [][]int // series indexes per legend line
	titleH  float64
	barH    float64
	height  float64
	labelW  float64
	valueW  float64
	legendH float64
}

type chartBar struct {
	label string
	vals  []float64
	none  []bool // no value: no bar, the chart's "none" text
}

// chartLayout measures a block's chart as horizontal bars: a group of bars per
// category, one per series, each labelled with its value, scaled to the chart's
// maximum (or the largest value). The bars are made thinner, down to a minimum,
// so that the whole chart fits on one page.
func (w *pdfWriter) chartLayout(b *block) *chartLayout {
	c := b.chart
	cl := &chartLayout{c: c, labelW: 60, valueW: 22}
	if c.across {
		cl.names = []string{c.series[0].name}
		row := b.rows[c.row]
		for j := 1; j < len(b.header) && j < len(row); j++ {
			cl.bars = append(cl.bars, chartBar{label: b.header[j], vals: []float64{row[j].n}, none: []bool{row[j].kind == cNone}})
		}
	} else {
		for _, s := range c.series {
			cl.names = append(cl.names, s.name)
		}
		for i := 0; i < c.rows && i < len(b.rows); i++ {
			row := b.rows[i]
			br := chartBar{label: row[0].s}
			for _, s := range c.series {
				v, missing := 0.0, true
				if s.col < len(row) && row[s.col].kind != cText && row[s.col].kind != cNone {
					v, missing = row[s.col].n, false
				}
				br.vals = append(br.vals, v)
				br.none = append(br.none, missing)
			}
			cl.bars = append(cl.bars, br)
		}
	}
	cl.maxV = c.max
	if cl.maxV == 0 {
		for _, br := range cl.bars {
			for _, v := range br.vals {
				cl.maxV = math.Max(cl.maxV, v)
			}
		}
	}
	cl.titleH = w.textHeight(c.title, styleTitle) + 1
	// Legend lines.
	w.font(pdfStyle{false, 7, 4})
	if len(cl.names) > 1 {
		x := 0.0
		line := []int{}
		for i, n := range cl.names {
			sw := w.p.GetStringWidth(clean(n)) + 8
			if x+sw > w.width && len(line) > 0 {
				cl.legend = append(cl.legend, line)
				line, x = nil, 0
			}
			line = append(line, i)
			x += sw
		}
		cl.legend = append(cl.legend, line)
		cl.legendH = float64(len(cl.legend))*4 + 1
	}
	series := max(1, len(cl.names))
	cl.barH = pdfChartBarH
	if series > 2 {
		cl.barH = 2.2
	}
	fixed := cl.titleH + cl.legendH + 2
	gap := 1.2
	if len(cl.bars) > 0 {
		room := w.page() - fixed - gap*float64(len(cl.bars))
		cl.barH = math.Max(pdfMinBarH, math.Min(cl.barH, room/float64(len(cl.bars)*series)))
	}
	cl.height = fixed
	for range cl.bars {
		cl.height += cl.groupH(series, gap)
	}
	return cl
}

func (cl *chartLayout) groupH(series int, gap float64) float64 {
	return math.Max(cl.barH*float64(series)+gap, 3.4)
}

// drawChart draws a measured chart on one page.
func (w *pdfWriter) drawChart(cl *chartLayout) {
	p := w.p
	w.need(cl.height)
	w.group++
	w.mark("chart", w.group, true)
	w.text(cl.c.title, styleTitle)
	p.Ln(1)
	w.font(pdfStyle{false, 7, 4})
	if len(cl.legend) > 0 {
		y := p.GetY() + 0.5
		for _, line := range cl.legend {
			x := w.left
			for _, i := range line {
				n := clean(cl.names[i])
				col := chartColours[i%len(chartColours)]
				sw := p.GetStringWidth(n) + 8
				p.SetFillColor(col[0], col[1], col[2])
				p.Rect(x, y+0.6, 3, 2.6, "F")
				p.SetXY(x+4, y)
				p.CellFormat(sw-4, 4, n, "", 0, "L", false, 0, "")
				x += sw
			}
			y += 4
		}
		p.SetXY(w.left, y+0.5)
	}
	plotW := w.width - cl.labelW - cl.valueW
	series := max(1, len(cl.names))
	for _, br := range cl.bars {
		h := cl.groupH(series, 1.2)
		y := p.GetY()
		w.font(pdfStyle{false, 7, 4})
		p.SetXY(w.left, y)
		p.CellFormat(cl.labelW, h, fit(p, clean(br.label), cl.labelW), "", 0, "L", false, 0, "")
		for k, v := range br.vals {
			by := y + 0.6 + float64(k)*cl.barH
			fs := math.Min(6, cl.barH*2.4)
			w.font(pdfStyle{false, fs, cl.barH})
			if br.none[k] {
				p.SetTextColor(110, 110, 110)
				p.SetXY(w.left+cl.labelW, by-0.3)
				p.CellFormat(cl.valueW+20, cl.barH, clean(cl.c.none), "", 0, "L", false, 0, "")
				p.SetTextColor(0, 0, 0)
				continue
			}
			col := chartColours[k%len(chartColours)]
			p.SetFillColor(col[0], col[1], col[2])
			bw := 0.0
			if cl.maxV > 0 {
				bw = plotW * math.Min(v, cl.maxV) / cl.maxV
			}
			if bw > 0 {
				p.Rect(w.left+cl.labelW, by, bw, cl.barH-0.4, "F")
			}
			s := w.l.num(int(v))
			if v != math.Trunc(v) || cl.c.max > 0 {
				s = fmtFloat(v, 2, w.l.lang)
			}
			p.SetXY(w.left+cl.labelW+bw+1, by-0.3)
			p.CellFormat(cl.valueW, cl.barH, s, "", 0, "L", false, 0, "")
		}
		p.SetXY(w.left, y+h)
	}
	w.mark("chart-end", w.group, true)
	p.SetDrawColor(0, 0, 0)
}
