package report

import (
	"io"

	"github.com/go-pdf/fpdf"

	"github.com/qoldau/qoldau/shared/refdata"
)

// PDFEvent is what the PDF writer drew where, for the layout tests.
type PDFEvent struct {
	Kind  string // heading, title, text, row, chart, chart-end
	Page  int
	Group int  // a table part or a chart
	Fits  bool // a table part that fits on one page
}

// WritePDFEvents writes the PDF and returns what it drew where.
func WritePDFEvents(w io.Writer, r *Report, lang string, ref *refdata.Set) ([]PDFEvent, error) {
	var evs []pdfEvent
	err := writePDF(w, r, lang, ref, &evs)
	out := make([]PDFEvent, len(evs))
	for i, e := range evs {
		out[i] = PDFEvent{e.kind, e.page, e.group, e.fits}
	}
	return out, err
}

// Wrap wraps s in the table font to width millimetres, as table cells wrap.
func Wrap(s string, width float64) []string {
	p := fpdf.New("L", "mm", "A4", "")
	p.AddUTF8FontFromBytes(PDFFont, "", fontRegular)
	p.SetFont(PDFFont, "", pdfFontSize)
	w := &pdfWriter{p: p}
	return w.wrap(s, width)
}

// LongestWord is the width a column needs for s's longest word in the table font.
func LongestWord(s string) float64 {
	p := fpdf.New("L", "mm", "A4", "")
	p.AddUTF8FontFromBytes(PDFFont, "", fontRegular)
	p.SetFont(PDFFont, "", pdfFontSize)
	w := &pdfWriter{p: p}
	return w.longestWord(s) + pdfPad
}
