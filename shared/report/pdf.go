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

// pdfWriter draws the layout on A4 landscape pages.
type pdfWriter struct {
	p           *fpdf.Fpdf
	l           *loc
	left, width float64 // the text area
	bottom      float64 // the last y a line may end on
}

const (
	pdfFontSize  = 7.5
	pdfLine      = 3.6 // mm per line of table text
	pdfMaxCols   = 11  // data columns per table part, besides the first
	pdfFirstCol  = 52.0
	pdfMinColW   = 16.0
	pdfChartBarH = 3.2
)

// WritePDF writes the report as a PDF for the paper copy (clause 13) in lang: the
// same sections, tables and charts as the workbook (charts drawn as bar charts),
// with DejaVu Sans embedded so Kazakh and Cyrillic text render and can be
// extracted. The document's dates are the build time, so the same build gives the
// same bytes.
func WritePDF(w io.Writer, r *Report, lang string, ref *refdata.Set) error {
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
	pw := &pdfWriter{p: p, l: newLoc(lang, ref)}
	pageW, pageH := p.GetPageSize()
	pw.left, pw.width, pw.bottom = 12, pageW-24, pageH-14
	p.SetFooterFunc(func() {
		p.SetY(pageH - 10)
		p.SetFont(PDFFont, "", 7)
		p.SetTextColor(110, 110, 110)
		p.CellFormat(0, 4, clean(lay.title+" · "+pw.l.period(r.Period)+" · "+pw.l.t("page")+" ")+pageNo(p)+"/{nb}", "", 0, "R", false, 0, "")
		p.SetTextColor(0, 0, 0)
	})
	p.AddPage()
	p.SetFont(PDFFont, "B", 15)
	p.MultiCell(pw.width, 7, clean(lay.title), "", "L", false)
	p.SetFont(PDFFont, "", 10)
	p.MultiCell(pw.width, 5, clean(lay.subtitle), "", "L", false)
	p.Ln(3)
	for _, sh := range lay.sheets {
		pw.sheet(sh)
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
	return qoldau.E(qoldau.Internal, qoldau.Text{KK: "PDF есебін жазу мүмкін емес.", RU: "Не удалось записать отчёт PDF.",
		EN: "Cannot write the PDF report."}, err)
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
func (w *pdfWriter) need(h float64) bool {
	if w.p.GetY()+h > w.bottom {
		w.p.AddPage()
		return true
	}
	return false
}

func (w *pdfWriter) sheet(sh *sheet) {
	p := w.p
	if sh.name != w.l.t("sheet.intro") {
		p.AddPage()
	}
	if sh.section != "" {
		p.SetFont(PDFFont, "B", 13)
		p.MultiCell(w.width, 6.5, clean(sh.section), "", "L", false)
		p.Ln(1)
	}
	p.SetFont(PDFFont, "B", 12)
	p.MultiCell(w.width, 6, clean(sh.heading), "", "L", false)
	p.Ln(1.5)
	for _, b := range sh.blocks {
		w.block(b)
	}
}

func (w *pdfWriter) block(b *block) {
	p := w.p
	if b.title != "" {
		w.need(14)
		p.SetFont(PDFFont, "B", 9)
		p.MultiCell(w.width, 4.5, clean(b.title), "", "L", false)
		p.Ln(0.5)
	}
	for _, s := range b.para {
		p.SetFont(PDFFont, "", 8.5)
		w.need(5)
		p.MultiCell(w.width, 4.2, clean(s), "", "L", false)
	}
	if len(b.header) > 0 {
		w.table(b)
	}
	if b.note != "" {
		p.SetFont(PDFFont, "", 7)
		w.need(4)
		p.MultiCell(w.width, 3.4, clean(b.note), "", "L", false)
	}
	if b.chart != nil {
		w.chart(b)
	}
	p.Ln(3)
}

// text renders a cell as the PDF shows it.
func (w *pdfWriter) text(c cell) (string, string) {
	switch c.kind {
	case cInt:
		return w.l.num(int(c.n)), "R"
	case cMean:
		return fmtFloat(c.n, 2, w.l.lang), "R"
	case cPct:
		return w.l.pct(c.n), "R"
	}
	return clean(c.s), "L"
}

// table draws a block's table, in parts of at most pdfMaxCols columns beside the
// first, each part repeating the first column, the header repeated on each page.
func (w *pdfWriter) table(b *block) {
	p := w.p
	p.SetFont(PDFFont, "", pdfFontSize)
	ncol := len(b.header)
	// Widths from the content, then fitted to the page.
	want := make([]float64, ncol)
	p.SetFont(PDFFont, "B", pdfFontSize)
	for j, h := range b.header {
		want[j] = pdfMinColW
		for _, word := range strings.Fields(clean(h)) {
			want[j] = math.Max(want[j], p.GetStringWidth(word)+2.5)
		}
	}
	p.SetFont(PDFFont, "", pdfFontSize)
	for _, row := range b.rows {
		for j, c := range row {
			if j >= ncol {
				continue
			}
			s, _ := w.text(c)
			want[j] = math.Max(want[j], p.GetStringWidth(s)+2.5)
		}
	}
	if ncol <= 9 {
		// One part: natural widths, shrunk in proportion when too wide.
		widths, total := make([]float64, ncol), 0.0
		cols := make([]int, ncol)
		for j := range widths {
			cols[j] = j
			widths[j] = math.Min(want[j], w.width*0.65)
			total += widths[j]
		}
		if total > w.width {
			for j := range widths {
				widths[j] *= w.width / total
			}
		}
		w.tablePart(b, cols, widths)
		return
	}
	first := math.Min(math.Max(want[0], 30), 80)
	if ncol == 1 {
		first = w.width
	}
	for start := 1; start < ncol || start == 1 && ncol == 1; {
		end := min(ncol, start+pdfMaxCols)
		total := 0.0
		for j := start; j < end; j++ {
			total += math.Min(want[j], 60)
		}
		for end-start > 1 && first+total > w.width {
			end--
			total -= math.Min(want[end], 60)
		}
		cols := []int{0}
		for j := start; j < end; j++ {
			cols = append(cols, j)
		}
		widths := []float64{first}
		scale := 1.0
		if rest := w.width - first; total > 0 && total < rest {
			scale = math.Min(rest/total, 1.6)
		}
		for _, j := range cols[1:] {
			widths = append(widths, math.Min(want[j], 60)*scale)
		}
		if ncol == 1 {
			cols, widths = []int{0}, []float64{w.width}
		}
		w.tablePart(b, cols, widths)
		if end >= ncol {
			break
		}
		start = end
		p.Ln(2)
	}
}

func (w *pdfWriter) tablePart(b *block, cols []int, widths []float64) {
	p := w.p
	header := func() {
		p.SetFont(PDFFont, "B", pdfFontSize)
		p.SetFillColor(221, 235, 247)
		lines := 1
		split := make([][]string, len(cols))
		for i, j := range cols {
			split[i] = p.SplitText(clean(b.header[j]), widths[i])
			lines = max(lines, len(split[i]))
		}
		h := float64(lines)*pdfLine + 1
		w.need(h + pdfLine + 1)
		x0, y0 := w.left, p.GetY()
		x := x0
		for i := range cols {
			p.Rect(x, y0, widths[i], h, "FD")
			for k, line := range split[i] {
				p.SetXY(x, y0+0.5+float64(k)*pdfLine)
				p.CellFormat(widths[i], pdfLine, line, "", 0, "C", false, 0, "")
			}
			x += widths[i]
		}
		p.SetXY(x0, y0+h)
	}
	if est := float64(len(b.rows)+3) * (pdfLine + 0.6); est < w.bottom-20 && w.p.GetY()+est > w.bottom {
		p.AddPage()
	}
	header()
	for ri, row := range b.rows {
		bold := b.total && ri == len(b.rows)-1
		style := ""
		if bold {
			style = "B"
		}
		p.SetFont(PDFFont, style, pdfFontSize)
		// Text cells wrap; numbers take one line.
		split := make([][]string, len(cols))
		aligns := make([]string, len(cols))
		lines := 1
		for i, j := range cols {
			if j >= len(row) {
				continue
			}
			s, align := w.text(row[j])
			aligns[i] = align
			if row[j].kind == cText {
				split[i] = p.SplitText(s, widths[i])
			} else {
				split[i] = []string{fit(p, s, widths[i])}
			}
			lines = max(lines, len(split[i]))
		}
		h := float64(lines)*pdfLine + 0.6
		if w.need(h) {
			header()
			p.SetFont(PDFFont, style, pdfFontSize)
		}
		x0, y0 := w.left, p.GetY()
		x := x0
		for i := range cols {
			p.Rect(x, y0, widths[i], h, "D")
			for k, line := range split[i] {
				p.SetXY(x, y0+0.3+float64(k)*pdfLine)
				p.CellFormat(widths[i], pdfLine, line, "", 0, aligns[i], false, 0, "")
			}
			x += widths[i]
		}
		p.SetXY(x0, y0+h)
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

// chart draws a block's chart as horizontal bars: a group of bars per category,
// one per series, scaled to the largest value, each labelled with its value.
func (w *pdfWriter) chart(b *block) {
	p := w.p
	c := b.chart
	type bar struct {
		label string
		vals  []float64
	}
	var bars []bar
	var names []string
	if c.across {
		names = []string{c.series[0].name}
		row := b.rows[c.row]
		for j := 1; j < len(b.header) && j < len(row); j++ {
			bars = append(bars, bar{b.header[j], []float64{row[j].n}})
		}
	} else {
		for _, s := range c.series {
			names = append(names, s.name)
		}
		for i := 0; i < c.rows && i < len(b.rows); i++ {
			row := b.rows[i]
			br := bar{label: row[0].s}
			for _, s := range c.series {
				v := 0.0
				if s.col < len(row) && row[s.col].kind != cText {
					v = row[s.col].n
				}
				br.vals = append(br.vals, v)
			}
			bars = append(bars, br)
		}
	}
	maxV := 0.0
	for _, br := range bars {
		for _, v := range br.vals {
			maxV = math.Max(maxV, v)
		}
	}
	p.Ln(2)
	w.need(12)
	p.SetFont(PDFFont, "B", 9)
	p.MultiCell(w.width, 4.5, clean(c.title), "", "L", false)
	// Legend.
	p.SetFont(PDFFont, "", 7)
	if len(names) > 1 {
		x := w.left
		y := p.GetY() + 1
		for i, n := range names {
			col := chartColours[i%len(chartColours)]
			sw := p.GetStringWidth(clean(n)) + 8
			if x+sw > w.left+w.width {
				x, y = w.left, y+4
			}
			p.SetFillColor(col[0], col[1], col[2])
			p.Rect(x, y+0.6, 3, 2.6, "F")
			p.SetXY(x+4, y)
			p.CellFormat(sw-4, 4, clean(n), "", 0, "L", false, 0, "")
			x += sw
		}
		p.SetXY(w.left, y+5)
	}
	labelW, valueW := 60.0, 16.0
	plotW := w.width - labelW - valueW
	barH := pdfChartBarH
	if len(names) > 2 {
		barH = 2.2
	}
	for _, br := range bars {
		h := barH*float64(len(br.vals)) + 1.2
		w.need(h)
		y := p.GetY()
		p.SetXY(w.left, y)
		p.CellFormat(labelW, math.Max(h, 3.4), fit(p, clean(br.label), labelW), "", 0, "L", false, 0, "")
		for k, v := range br.vals {
			col := chartColours[k%len(chartColours)]
			p.SetFillColor(col[0], col[1], col[2])
			bw := 0.0
			if maxV > 0 {
				bw = plotW * v / maxV
			}
			by := y + 0.6 + float64(k)*barH
			if bw > 0 {
				p.Rect(w.left+labelW, by, bw, barH-0.4, "F")
			}
			s := w.l.num(int(v))
			if v != math.Trunc(v) {
				s = fmtFloat(v, 2, w.l.lang)
			}
			p.SetXY(w.left+labelW+bw+1, by-0.3)
			p.SetFont(PDFFont, "", 6)
			p.CellFormat(valueW, barH, s, "", 0, "L", false, 0, "")
			p.SetFont(PDFFont, "", 7)
		}
		p.SetXY(w.left, y+h)
	}
	p.SetDrawColor(0, 0, 0)
}
