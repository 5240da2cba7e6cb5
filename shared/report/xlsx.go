package report

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
)

// maxSheetRows is Excel's row limit: a Data sheet beyond it continues on the next.
const maxSheetRows = 1_048_576

// xlsxStyles are the cell styles of the workbook.
type xlsxStyles struct {
	heading, subheading, title, header, text, textBold, intCell, intBold, mean, meanBold, pct, pctBold, note, para int
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	pctFmt := "0.0%"
	specs := []struct {
		dst *int
		st  excelize.Style
	}{}
	s := &xlsxStyles{}
	add := func(dst *int, st excelize.Style) {
		specs = append(specs, struct {
			dst *int
			st  excelize.Style
		}{dst, st})
	}
	top := &excelize.Alignment{WrapText: true, Vertical: "top"}
	add(&s.heading, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: top})
	add(&s.subheading, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Alignment: top})
	add(&s.para, excelize.Style{Alignment: top})
	add(&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 11}})
	add(&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}})
	add(&s.text, excelize.Style{Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	add(&s.textBold, excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	add(&s.intCell, excelize.Style{Border: border, NumFmt: 3})
	add(&s.intBold, excelize.Style{Border: border, NumFmt: 3, Font: &excelize.Font{Bold: true}})
	add(&s.mean, excelize.Style{Border: border, NumFmt: 2})
	add(&s.meanBold, excelize.Style{Border: border, NumFmt: 2, Font: &excelize.Font{Bold: true}})
	add(&s.pct, excelize.Style{Border: border, CustomNumFmt: &pctFmt})
	add(&s.pctBold, excelize.Style{Border: border, CustomNumFmt: &pctFmt, Font: &excelize.Font{Bold: true}})
	add(&s.note, excelize.Style{Font: &excelize.Font{Italic: true, Size: 9}, Alignment: top})
	for _, sp := range specs {
		id, err := f.NewStyle(&sp.st)
		if err != nil {
			return nil, err
		}
		*sp.dst = id
	}
	return s, nil
}

// quoteSheet quotes a sheet name for a cell reference.
func quoteSheet(name string) string {
	q := "'"
	for _, r := range name {
		if r == '\'' {
			q += "''"
		} else {
			q += string(r)
		}
	}
	return q + "'"
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

func absRange(sheet string, c1, r1, c2, r2 int) string {
	a, _ := excelize.CoordinatesToCellName(c1, r1, true)
	b, _ := excelize.CoordinatesToCellName(c2, r2, true)
	return quoteSheet(sheet) + "!" + a + ":" + b
}

// WriteXLSX writes the report as an .xlsx workbook in lang: a sheet per section
// and per table (frozen headers, number formats, widths, fit to page width),
// native bar charts for S1, S4, S7 and the quality means by region, and a Data
// sheet that traces every counted row by register period, version and row, region,
// service and a pseudonymous client id.
func WriteXLSX(w io.Writer, r *Report, lang string, ref *refdata.Set) error {
	f := excelize.NewFile()
	defer f.Close()
	lay := r.layout(lang, ref)
	st, err := newXLSXStyles(f)
	if err != nil {
		return xlsxErr(err)
	}
	l := newLoc(lang, ref)
	for i, sh := range lay.sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return xlsxErr(err)
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return xlsxErr(err)
		}
		if err := writeSheet(f, st, lay, sh); err != nil {
			return xlsxErr(err)
		}
	}
	if err := writeData(f, st, r, l); err != nil {
		return xlsxErr(err)
	}
	if r.Leads != nil {
		if err := leads.AddSheet(f, leads.SheetName(lang), r.Leads, lang); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	built := r.Built.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: lay.title + " · " + l.period(r.Period), Creator: "qoldau",
		Created: built, Modified: built, Language: lang}); err != nil {
		return xlsxErr(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return xlsxErr(err)
	}
	if err := normalize(w, buf.Bytes()); err != nil {
		return xlsxErr(err)
	}
	return nil
}

// defaultRE matches the Default elements of [Content_Types].xml.
var defaultRE = regexp.MustCompile(`<Default [^>]*>(</Default>)?`)

// normalize copies the zip package to w with the Default elements of
// [Content_Types].xml sorted: excelize adds them in map order, and the same report
// must give the same bytes. Every other part is copied as it is, still compressed.
func normalize(w io.Writer, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		if f.Name != "[Content_Types].xml" {
			raw, err := f.OpenRaw()
			if err != nil {
				return err
			}
			hdr := f.FileHeader
			dst, err := zw.CreateRaw(&hdr)
			if err != nil {
				return err
			}
			if _, err := io.Copy(dst, raw); err != nil {
				return err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		defs := defaultRE.FindAll(body, -1)
		sort.Slice(defs, func(i, j int) bool { return bytes.Compare(defs[i], defs[j]) < 0 })
		i := 0
		body = defaultRE.ReplaceAllFunc(body, func([]byte) []byte { i++; return defs[i-1] })
		hdr := f.FileHeader
		dst, err := zw.CreateHeader(&hdr)
		if err != nil {
			return err
		}
		if _, err := dst.Write(body); err != nil {
			return err
		}
	}
	return zw.Close()
}

func xlsxErr(err error) error {
	return qoldau.E(qoldau.Internal, catalogue.Text("err.cannot-write-excel-report"), err)
}

func writeSheet(f *excelize.File, st *xlsxStyles, lay *layout, sh *sheet) error {
	name := sh.name
	set := func(col, row int, v any, style int) error {
		c := cellName(col, row)
		if err := f.SetCellValue(name, c, v); err != nil {
			return err
		}
		return f.SetCellStyle(name, c, c, style)
	}
	// long writes a text that may run over several lines across the first
	// columns, merged and wrapped.
	long := func(row int, text string, style int, lineHeight float64) error {
		if err := set(1, row, text, style); err != nil {
			return err
		}
		if len([]rune(text)) <= 110 {
			return nil
		}
		if err := f.MergeCell(name, cellName(1, row), cellName(longCols, row)); err != nil {
			return err
		}
		lines := float64(len([]rune(text))/110 + 1)
		return f.SetRowHeight(name, row, lineHeight*lines)
	}
	row := 1
	if err := long(row, sh.section, st.heading, 19); err != nil {
		return err
	}
	row++
	if sh.heading != "" {
		if err := long(row, sh.heading, st.subheading, 16); err != nil {
			return err
		}
		row++
	}
	if err := set(1, row, lay.subtitle, st.note); err != nil {
		return err
	}
	row += 2
	for _, p := range sh.intro {
		if err := long(row, p, st.para, 15); err != nil {
			return err
		}
		row += 2
	}
	widths := map[int]float64{1: 30}
	frozen := false
	chartAt := 0
	for _, b := range sh.blocks {
		if b.title != "" {
			if err := set(1, row, b.title, st.title); err != nil {
				return err
			}
			row++
		}
		for _, p := range b.para {
			if err := long(row, p, st.para, 15); err != nil {
				return err
			}
			row++
		}
		if len(b.header) > 0 {
			hdr := row
			for j, h := range b.header {
				if err := set(j+1, row, h, st.header); err != nil {
					return err
				}
				width := 12.0
				if j < len(b.widths) {
					width = b.widths[j]
				}
				if width > widths[j+1] {
					widths[j+1] = width
				}
			}
			if err := f.SetRowHeight(name, row, headerHeight(b)); err != nil {
				return err
			}
			if !frozen {
				frozen = true
				panes := &excelize.Panes{Freeze: true, YSplit: row, TopLeftCell: cellName(1, row+1), ActivePane: "bottomLeft"}
				if len(sh.blocks) == 1 {
					panes.XSplit, panes.TopLeftCell, panes.ActivePane = 1, cellName(2, row+1), "bottomRight"
				}
				if err := f.SetPanes(name, panes); err != nil {
					return err
				}
			}
			row++
			first := row
			for i, cells := range b.rows {
				bold := b.bold(i)
				for j, c := range cells {
					// A chart's data leaves a cell with no value empty: no bar.
					if c.kind == cNone && b.chart != nil {
						c = cell{kind: cNone}
					}
					if err := writeCell(f, st, name, j+1, row, c, bold); err != nil {
						return err
					}
				}
				row++
			}
			if b.chart != nil {
				if err := addChart(f, name, b, hdr, first, chartAt); err != nil {
					return err
				}
				chartAt++
			}
		}
		if b.note != "" {
			if err := long(row, b.note, st.note, 13); err != nil {
				return err
			}
			row++
		}
		row++
	}
	for col, wd := range widths {
		c, _ := excelize.ColumnNumberToName(col)
		if err := f.SetColWidth(name, c, c, wd); err != nil {
			return err
		}
	}
	landscape, one, zero := "landscape", 1, 0
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	fit := true
	return f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit})
}

// longCols is how many columns a long text is merged across.
const longCols = 10

// headerHeight guesses the header row's height from its longest label.
func headerHeight(b *block) float64 {
	lines := 1.0
	for j, h := range b.header {
		w := 12.0
		if j < len(b.widths) {
			w = b.widths[j]
		}
		n := float64(len([]rune(h)))/(w*0.95) + 1
		if n > lines {
			lines = float64(int(n))
		}
	}
	return min(15*lines, 120)
}

func writeCell(f *excelize.File, st *xlsxStyles, sheet string, col, row int, c cell, bold bool) error {
	ref := cellName(col, row)
	var v any
	style := st.text
	switch c.kind {
	case cInt:
		v, style = int64(c.n), st.intCell
		if bold {
			style = st.intBold
		}
	case cMean:
		v, style = c.n, st.mean
		if bold {
			style = st.meanBold
		}
	case cPct:
		v, style = c.n, st.pct
		if bold {
			style = st.pctBold
		}
	case cNone:
		if c.s == "" {
			return f.SetCellStyle(sheet, ref, ref, style)
		}
		v = c.s
	default:
		v = c.s
		if bold {
			style = st.textBold
		}
	}
	if err := f.SetCellValue(sheet, ref, v); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, ref, ref, style)
}

// addChart adds a native bar chart of block b, whose header is on row hdr and whose
// rows start on row first, beside the table.
func addChart(f *excelize.File, sheet string, b *block, hdr, first, n int) error {
	c := b.chart
	vary := false
	ch := &excelize.Chart{VaryColors: &vary, Type: excelize.Bar, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: c.title}}},
		Legend: excelize.ChartLegend{Position: "bottom"}, Dimension: excelize.ChartDimension{Width: 720, Height: 480},
		YAxis: excelize.ChartAxis{MajorGridLines: true}, XAxis: excelize.ChartAxis{ReverseOrder: true}}
	if c.across {
		ch.Type = excelize.Col
		ch.XAxis.ReverseOrder = false
		ch.Series = []excelize.ChartSeries{{Name: c.series[0].name,
			Categories: absRange(sheet, 2, hdr, len(b.header), hdr),
			Values:     absRange(sheet, 2, first+c.row, len(b.header), first+c.row)}}
	} else {
		for _, s := range c.series {
			ch.Series = append(ch.Series, excelize.ChartSeries{Name: absRange(sheet, s.col+1, hdr, s.col+1, hdr),
				Categories: absRange(sheet, 1, first, 1, first+c.rows-1),
				Values:     absRange(sheet, s.col+1, first, s.col+1, first+c.rows-1)})
		}
		if len(c.series) == 1 {
			ch.Legend.Position = "none"
		}
	}
	if c.max > 0 {
		lo, hi := 0.0, c.max
		ch.YAxis.Minimum, ch.YAxis.Maximum = &lo, &hi
		ch.ShowBlanksAs = "gap"
	}
	at := cellName(len(b.header)+2, hdr+n*26)
	return f.AddChart(sheet, at, ch)
}

// writeData writes the Data sheet(s) with a stream writer: one row per counted row.
func writeData(f *excelize.File, st *xlsxStyles, r *Report, l *loc) error {
	header := []any{
		excelize.Cell{StyleID: st.header, Value: l.t("col.period")},
		excelize.Cell{StyleID: st.header, Value: l.t("col.version")},
		excelize.Cell{StyleID: st.header, Value: l.t("col.row")},
		excelize.Cell{StyleID: st.header, Value: l.t("col.region")},
		excelize.Cell{StyleID: st.header, Value: l.t("col.service")},
		excelize.Cell{StyleID: st.header, Value: l.t("col.subtype")},
		excelize.Cell{StyleID: st.header, Value: l.t("col.client_id")},
	}
	var sw *excelize.StreamWriter
	sheetNo, row := 0, 0
	open := func() error {
		sheetNo++
		name := l.t("sheet.data")
		if sheetNo > 1 {
			name += " " + strconv.Itoa(sheetNo)
		}
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
		var err error
		if sw, err = f.NewStreamWriter(name); err != nil {
			return err
		}
		for i, w := range []float64{10, 9, 9, 14, 18, 24, 20} {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		row = 1
		return sw.SetRow("A1", header, excelize.RowOpts{Height: 30})
	}
	if err := open(); err != nil {
		return err
	}
	vals := make([]any, 7)
	var period string
	var lastReg = -1
	err := r.Trace(func(t *TraceRow) error {
		if row >= maxSheetRows {
			if err := sw.Flush(); err != nil {
				return err
			}
			if err := open(); err != nil {
				return err
			}
		}
		row++
		if int(t.Period) != lastReg {
			period, lastReg = t.Period.String(), int(t.Period)
		}
		vals[0], vals[1], vals[2], vals[3], vals[4], vals[5], vals[6] = period, t.Version, t.Row, l.regionName(t.Region),
			l.serviceName(t.Service), t.Subtype, t.Client
		return sw.SetRow(cellRef(row), vals)
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

// cellRef is the A-column cell of a row: "A" + row.
func cellRef(row int) string { return "A" + strconv.Itoa(row) }
