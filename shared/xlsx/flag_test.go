package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/xuri/excelize/v2"
)

const (
	red    = "FF8080"
	yellow = "FFFF66"
)

func flagBytes(t testing.TB, src []byte, sheet string, marks []Mark, rows [][]ErrCell, widths []float64) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := Flag(&out, bytes.NewReader(src), int64(len(src)), sheet, marks, "Errors", rows, widths); err != nil {
		t.Fatalf("Flag: %v", err)
	}
	checkWellFormed(t, out.Bytes())
	return out.Bytes()
}

// checkWellFormed decodes every XML part of a package, and checks that there is
// one entry per name.
func checkWellFormed(t testing.TB, data []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range zr.File {
		if seen[strings.ToLower(f.Name)] {
			t.Errorf("zip entry %s twice", f.Name)
		}
		seen[strings.ToLower(f.Name)] = true
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		switch {
		case strings.HasSuffix(f.Name, ".xml"), strings.HasSuffix(f.Name, ".rels"), strings.HasSuffix(f.Name, ".vml"):
			dec := xml.NewDecoder(bytes.NewReader(body))
			for {
				_, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s is not well-formed: %v", f.Name, err)
				}
			}
		}
	}
}

// styleInfo is what the tests read from xl/styles.xml themselves.
type styleInfo struct {
	Fonts []struct {
		B     *struct{} `xml:"b"`
		U     *struct{} `xml:"u"`
		Color *struct {
			RGB string `xml:"rgb,attr"`
		} `xml:"color"`
	} `xml:"fonts>font"`
	Fills []struct {
		Pattern struct {
			Type string `xml:"patternType,attr"`
			Fg   struct {
				RGB string `xml:"rgb,attr"`
			} `xml:"fgColor"`
		} `xml:"patternFill"`
	} `xml:"fills>fill"`
	XFs []struct {
		NumFmt   int `xml:"numFmtId,attr"`
		Font     int `xml:"fontId,attr"`
		Fill     int `xml:"fillId,attr"`
		Border   int `xml:"borderId,attr"`
		XF       int `xml:"xfId,attr"`
		Alignmnt *struct {
			Horizontal string `xml:"horizontal,attr"`
		} `xml:"alignment"`
	} `xml:"cellXfs>xf"`
}

// styleCounts is every list of styles.xml with its count.
type styleCounts struct {
	Lists []struct {
		XMLName xml.Name
		Count   string `xml:"count,attr"`
		Items   []struct {
			XMLName xml.Name
		} `xml:",any"`
	} `xml:",any"`
}

func readStyles(t testing.TB, data []byte, name string) styleInfo {
	t.Helper()
	var st styleInfo
	if err := xml.Unmarshal([]byte(zipPart(t, data, name)), &st); err != nil {
		t.Fatal(err)
	}
	var counts styleCounts
	if err := xml.Unmarshal([]byte(zipPart(t, data, name)), &counts); err != nil {
		t.Fatal(err)
	}
	if len(counts.Lists) < 3 {
		t.Errorf("%s has %d lists", name, len(counts.Lists))
	}
	for _, c := range counts.Lists {
		if c.Count != "" && c.Count != strconv.Itoa(len(c.Items)) {
			t.Errorf("%s: <%s count=%q> has %d children", name, c.XMLName.Local, c.Count, len(c.Items))
		}
	}
	return st
}

// cellLook is a cell's fill colour, number format and font as the styles say.
type cellLook struct {
	Fill   string
	NumFmt int
	Bold   bool
	Border int
}

func lookOf(t testing.TB, f *excelize.File, st styleInfo, sheet, cell string) cellLook {
	t.Helper()
	s, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	if s >= len(st.XFs) {
		t.Fatalf("%s!%s: style %d of %d", sheet, cell, s, len(st.XFs))
	}
	xf := st.XFs[s]
	var l cellLook
	if xf.Fill < len(st.Fills) && st.Fills[xf.Fill].Pattern.Type == "solid" {
		l.Fill = st.Fills[xf.Fill].Pattern.Fg.RGB
	}
	l.NumFmt = xf.NumFmt
	l.Bold = xf.Font < len(st.Fonts) && st.Fonts[xf.Font].B != nil
	l.Border = xf.Border
	return l
}

func openExcelize(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func errorsRows(marks []Mark, sheet string) [][]ErrCell {
	rows := [][]ErrCell{{{Text: "Жол / Строка / Row"}, {Text: "Ұяшық / Ячейка / Cell"}, {Text: "Message"}}}
	for _, m := range marks {
		ref := CellName(m.Col, m.Row)
		rows = append(rows, []ErrCell{{Number: float64(m.Row), IsNumber: true},
			{Text: ref, Link: "'" + sheet + "'!" + ref}, {Text: m.Comment}})
	}
	return rows
}

func TestFlagWriterBook(t *testing.T) {
	d := civil.D(2024, time.March, 15)
	src := writeBook(t, "Реестр", [][]Value{
		{Text("Name"), Text("IIN"), Text("Birth"), Text("Amount"), Text("Note")},
		{Text("Иванов"), Text("012345678901"), DateOf(d), Num(42), Text("x")},
		{Text("Петров"), {}, DateOf(d), Num(5.5)},
		{},
		{Text("Сидоров"), Text("1"), DateOf(d), Num(7), Text("y")},
	}, func(w *Writer) { w.SetHeaderRows(1) })
	marks := []Mark{
		{Col: 0, Row: 1, Fill: yellow, Comment: "header"},
		{Col: 1, Row: 2, Fill: red, Comment: "ИИН неверный\nIIN is wrong & <bad>"},
		{Col: 2, Row: 2, Fill: yellow, Comment: "Күні / дата"},
		{Col: 1, Row: 3, Fill: red, Comment: "required"},
		{Col: 5, Row: 3, Fill: red, Comment: "past the end of the row"},
		{Col: 0, Row: 4, Fill: red, Comment: "missing row"},
		{Col: 2, Row: 4, Fill: yellow},
		{Col: 3, Row: 5, Fill: red, Comment: "Сумма"},
		{Col: 1, Row: 9, Fill: red, Comment: "after the last row"},
	}
	rows := errorsRows(marks, "Реестр")
	out := flagBytes(t, src, "", marks, rows, []float64{8, 9, 60})

	f := openExcelize(t, out)
	if got, want := f.GetSheetList(), []string{"Errors", "Реестр"}; !cmp.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want 0", got)
	}

	// The errors sheet.
	got, err := f.GetRows("Errors")
	if err != nil {
		t.Fatal(err)
	}
	var want [][]string
	for _, r := range rows {
		var w []string
		for _, c := range r {
			if c.IsNumber {
				w = append(w, strconv.FormatFloat(c.Number, 'f', -1, 64))
			} else {
				w = append(w, c.Text)
			}
		}
		for len(w) > 0 && w[len(w)-1] == "" {
			w = w[:len(w)-1]
		}
		want = append(want, w)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Errors rows (-want +got):\n%s", diff)
	}
	st := readStyles(t, out, "xl/styles.xml")
	for _, c := range []string{"A1", "B1", "C1"} {
		if l := lookOf(t, f, st, "Errors", c); !l.Bold || l.Fill != "FFDDDDDD" {
			t.Errorf("Errors!%s looks %+v, want bold on grey", c, l)
		}
	}
	for i, m := range marks {
		ref := CellName(1, i+2)
		ok, loc, err := f.GetCellHyperLink("Errors", ref)
		if want := "'Реестр'!" + CellName(m.Col, m.Row); err != nil || !ok || loc != want {
			t.Errorf("Errors!%s link %v %q %v, want %q", ref, ok, loc, err, want)
		}
		s, _ := f.GetCellStyle("Errors", ref)
		xf := st.XFs[s]
		if font := st.Fonts[xf.Font]; font.U == nil || font.Color == nil || font.Color.RGB != "FF0563C1" {
			t.Errorf("Errors!%s is not blue underlined: %+v", ref, font)
		}
	}
	if panes, err := f.GetPanes("Errors"); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("Errors panes %+v %v, want the first row frozen", panes, err)
	}
	if w, _ := f.GetColWidth("Errors", "C"); w != 60 {
		t.Errorf("Errors column C width %v, want 60", w)
	}

	// Comments and fills.
	comments, err := f.GetComments("Реестр")
	if err != nil {
		t.Fatal(err)
	}
	gotC := map[string]string{}
	for _, c := range comments {
		gotC[c.Cell] = c.Text
		if c.Author != CommentAuthor {
			t.Errorf("comment %s by %q", c.Cell, c.Author)
		}
	}
	wantC := map[string]string{}
	for _, m := range marks {
		if m.Comment != "" {
			wantC[CellName(m.Col, m.Row)] = m.Comment
		}
	}
	if diff := cmp.Diff(wantC, gotC); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
	srcF := openExcelize(t, src)
	srcSt := readStyles(t, src, "xl/styles.xml")
	for _, m := range marks {
		ref := CellName(m.Col, m.Row)
		before := lookOf(t, srcF, srcSt, "Реестр", ref)
		after := lookOf(t, f, st, "Реестр", ref)
		before.Fill = "FF" + m.Fill
		if after != before {
			t.Errorf("%s looks %+v, want %+v", ref, after, before)
		}
	}
	if l := lookOf(t, f, st, "Реестр", "C2"); l.NumFmt != 14 {
		t.Errorf("date cell C2 has numFmtId %d, want 14", l.NumFmt)
	}
	if l := lookOf(t, f, st, "Реестр", "A1"); !l.Bold {
		t.Errorf("header A1 lost its bold font")
	}
	// One new cellXfs entry per (style, colour).
	if n, m := len(st.XFs), len(srcSt.XFs); n != m+2+4 {
		t.Errorf("%d cellXfs, want %d (+2 for the errors sheet, +4 for the marks)", n, m+2+4)
	}

	// Values unchanged.
	sameRows(t, srcF, f, "Реестр")
	sheet := zipPart(t, out, "xl/worksheets/sheet1.xml")
	for _, want := range []string{`<c r="B3" s="`, `<c r="F3" s="`, `<row r="4"><c r="A4" s="`, `<row r="9"><c r="B9" s="`, `<legacyDrawing r:id="rId2"/>`,
		`<dimension ref="A1:F9"/>`} {
		if !strings.Contains(sheet, want) {
			t.Errorf("sheet has no %s:\n%s", want, sheet)
		}
	}
	if strings.Contains(sheet, "tabSelected") {
		t.Errorf("the register sheet is still selected")
	}
	sameParts(t, src, out, "xl/sharedStrings.xml")
	readBack(t, src, out, "Реестр", rows)
	checkFlagged(t, src, out, "Реестр", marks, nil)
}

// sameRows compares a sheet's values in two workbooks.
func sameRows(t testing.TB, a, b *excelize.File, sheet string) {
	t.Helper()
	ra, err := a.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	trim := func(rows [][]string) [][]string {
		for len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
			rows = rows[:len(rows)-1]
		}
		return rows
	}
	if diff := cmp.Diff(trim(ra), trim(rb)); diff != "" {
		t.Errorf("sheet %s values changed (-before +after):\n%s", sheet, diff)
	}
}

// sameParts checks that entries were copied byte for byte, compressed.
func sameParts(t testing.TB, a, b []byte, names ...string) {
	t.Helper()
	raw := func(data []byte, name string) []byte {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if f.Name == name {
				r, err := f.OpenRaw()
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(r)
				return body
			}
		}
		t.Fatalf("no %s", name)
		return nil
	}
	for _, n := range names {
		if !bytes.Equal(raw(a, n), raw(b, n)) {
			t.Errorf("%s was not copied as is", n)
		}
	}
}

// readBack reads the flagged workbook with this package's reader: the sheet
// reads as the source's, and the errors sheet holds the rows.
func readBack(t testing.TB, src, out []byte, sheet string, rows [][]ErrCell) {
	t.Helper()
	wbA, err := openBytes(src, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	wbB, err := openBytes(out, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := wbB.SheetNames(), append([]string{"Errors"}, wbA.SheetNames()...); !cmp.Equal(got, want) && !strings.HasPrefix(got[0], "Errors") {
		t.Errorf("read back sheets %q, want %q", got, want)
	}
	a, err := readSheet(t, wbA, sheet)
	if err != nil {
		t.Fatal(err)
	}
	b, err := readSheet(t, wbB, sheet)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("sheet %s reads differently (-before +after):\n%s", sheet, diff)
	}
	e, err := readSheet(t, wbB, wbB.SheetNames()[0])
	if err != nil {
		t.Fatal(err)
	}
	var want []row
	for i, r := range rows {
		var cells []Cell
		for col, c := range r {
			switch {
			case c.IsNumber:
				cells = append(cells, Cell{Col: col, Type: Number, Value: strconv.FormatFloat(c.Number, 'f', -1, 64)})
			case c.Text != "":
				cells = append(cells, Cell{Col: col, Type: String, Value: c.Text})
			}
		}
		if len(cells) > 0 {
			want = append(want, row{i + 1, cells})
		}
	}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("errors sheet reads (-want +got):\n%s", diff)
	}
}

// benchMarks marks 5% of the cells of a rows × 22 register (and, for one mark in
// twenty, a missing cell in column W), with comments as long as the register's
// messages, like register.WriteFlagged.
func benchMarks(rows int) ([]Mark, [][]ErrCell) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := rows * 22 / 20
	seen := map[[2]int]bool{}
	var marks []Mark
	for len(marks) < n {
		m := Mark{Col: rng.IntN(22), Row: 2 + rng.IntN(rows), Fill: red}
		if len(marks)%20 == 0 {
			m.Col = 22
		}
		if rng.IntN(4) == 0 {
			m.Fill = yellow
		}
		if seen[[2]int{m.Col, m.Row}] {
			continue
		}
		seen[[2]int{m.Col, m.Row}] = true
		m.Comment = fmt.Sprintf("[E%03d] Мән бос болмауы керек: %d жол\nЗначение не должно быть пустым: строка %d\nThe value must not be empty: row %d", rng.IntN(100), m.Row, m.Row, m.Row)
		marks = append(marks, m)
	}
	slices.SortFunc(marks, func(a, b Mark) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return a.Col - b.Col
	})
	head := []ErrCell{{Text: "Жол / Строка / Row"}, {Text: "Ұяшық / Ячейка / Cell"}, {Text: "Код / Code"}, {Text: "Деңгейі / Уровень / Severity"},
		{Text: "Өріс / Поле / Field"}, {Text: "Мәні / Значение / Value"}, {Text: "Қазақша"}, {Text: "Русский"}, {Text: "English"}}
	errs := [][]ErrCell{head}
	for _, m := range marks[:min(len(marks), excelMaxRows-1)] {
		ref := CellName(m.Col, m.Row)
		errs = append(errs, []ErrCell{{Number: float64(m.Row), IsNumber: true}, {Text: ref, Link: "'Тізілім'!" + ref},
			{Text: "E001"}, {Text: "error"}, {Text: "Поле"}, {Text: "значение"},
			{Text: "Мән бос болмауы керек"}, {Text: "Значение не должно быть пустым"}, {Text: "The value must not be empty"}})
	}
	return marks, errs
}

// BenchmarkFlag flags 5% of the cells of the 100,000-row × 22-column register.
func BenchmarkFlag(b *testing.B) {
	data := benchWorkbook(b)
	marks, errs := benchMarks(benchRows)
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	var size int
	for b.Loop() {
		cw := &countingWriter{}
		if err := Flag(cw, bytes.NewReader(data), int64(len(data)), "", marks, "Errors", errs, nil); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB-out")
}

type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// TestFlagFromEnv flags 5% of the cells of the register in $QOLDAU_XLSX_FLAG
// (made by TestFixtureFromEnv, with $QOLDAU_XLSX_ROWS data rows) into
// $QOLDAU_XLSX_FLAG.flagged.xlsx and logs the time and the heap Flag itself
// used (sampled), beyond the marks and errors rows; run the test binary under
// /usr/bin/time -v for the peak RSS of the whole process:
//
//	go test -c -o /tmp/x.test ./shared/xlsx
//	QOLDAU_XLSX_FLAG=/tmp/r1m.xlsx QOLDAU_XLSX_ROWS=1000000 /usr/bin/time -v /tmp/x.test -test.run FlagFromEnv -test.v
func TestFlagFromEnv(t *testing.T) {
	path := os.Getenv("QOLDAU_XLSX_FLAG")
	if path == "" {
		t.Skip("QOLDAU_XLSX_FLAG not set")
	}
	rows, err := strconv.Atoi(os.Getenv("QOLDAU_XLSX_ROWS"))
	if err != nil {
		t.Fatal("QOLDAU_XLSX_ROWS: ", err)
	}
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	st, _ := in.Stat()
	marks, errs := benchMarks(rows)
	out, err := os.Create(path + ".flagged.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	stop, peak := make(chan struct{}), make(chan uint64)
	go func() {
		var top uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peak <- top
				return
			case <-tick.C:
				runtime.ReadMemStats(&ms)
				top = max(top, ms.HeapInuse)
			}
		}
	}()
	start := time.Now()
	bw := bufio.NewWriterSize(out, 1<<20)
	if err := Flag(bw, in, st.Size(), "", marks, "Errors", errs, nil); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	close(stop)
	top := <-peak
	ost, _ := out.Stat()
	t.Logf("%d rows, %d marks: flagged in %v to %d MiB; heap in use before %d MiB (marks and errors rows), peak during Flag %d MiB (+%d MiB)",
		rows, len(marks), took, ost.Size()>>20, base>>20, top>>20, (top-base)>>20)
}

// ---- a generic check of a flagged workbook -----------------------------------

// xmlCell is a cell of a sheet as encoding/xml reads it.
type xmlCell struct {
	col, row, style int
}

// parseSheetXML reads a worksheet's cells with encoding/xml (namespaces
// resolved), checking that the rows and cells are in ascending order, one per
// reference, and that every element of <sheetData> is in the main namespace ns.
func parseSheetXML(t testing.TB, body, ns string, unsorted bool) ([]xmlCell, map[[2]int]int) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(body))
	var cells []xmlCell
	byRef := map[[2]int]int{}
	row, col, prevRow, inData := 0, -1, 0, false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			if ee, ok := tok.(xml.EndElement); ok && ee.Name.Local == "sheetData" {
				inData = false
			}
			continue
		}
		attr := func(name string) (string, bool) {
			for _, a := range se.Attr {
				if a.Name.Local == name && a.Name.Space == "" {
					return a.Value, true
				}
			}
			return "", false
		}
		switch se.Name.Local {
		case "sheetData":
			inData = true
		case "row":
			if !inData {
				continue
			}
			row, col = prevRow+1, -1
			if v, ok := attr("r"); ok {
				row, _ = strconv.Atoi(v)
			}
			if row <= prevRow && !unsorted {
				t.Errorf("row %d after row %d", row, prevRow)
			}
			prevRow = row
		case "c":
			if !inData {
				continue
			}
			c := col + 1
			if v, ok := attr("r"); ok {
				var r int
				c, r, ok = ParseCellName(v)
				if !ok || r != row {
					t.Errorf("cell %q in row %d", v, row)
				}
			}
			if c <= col && !unsorted {
				t.Errorf("cell %s after column %s", CellName(c, row), ColName(col))
			}
			col = c
			st := 0
			if v, ok := attr("s"); ok {
				st, _ = strconv.Atoi(v)
			}
			if _, dup := byRef[[2]int{c, row}]; dup && !unsorted {
				t.Errorf("cell %s twice", CellName(c, row))
			}
			byRef[[2]int{c, row}] = st
			cells = append(cells, xmlCell{c, row, st})
		}
		if inData && se.Name.Space != ns {
			t.Errorf("<%s> in namespace %q, want %q", se.Name.Local, se.Name.Space, ns)
		}
	}
	return cells, byRef
}

// xfList is a styles.xml's cell formats and fills, read whatever the prefix.
type xfList struct {
	XFs []struct {
		Attrs []xml.Attr `xml:",any,attr"`
		Inner string     `xml:",innerxml"`
	} `xml:"cellXfs>xf"`
	Fills []struct {
		Pattern struct {
			Type string `xml:"patternType,attr"`
			Fg   struct {
				RGB string `xml:"rgb,attr"`
			} `xml:"fgColor"`
		} `xml:"patternFill"`
	} `xml:"fills>fill"`
}

// look describes cell format i: its attributes but fillId and applyFill, its
// children, and its solid fill colour.
func (l *xfList) look(i int) (rest, fill string) {
	if i >= len(l.XFs) {
		return "missing", ""
	}
	var b strings.Builder
	for _, a := range l.XFs[i].Attrs {
		switch a.Name.Local {
		case "fillId":
			f, _ := strconv.Atoi(a.Value)
			if f < len(l.Fills) && l.Fills[f].Pattern.Type == "solid" {
				fill = l.Fills[f].Pattern.Fg.RGB
			}
		case "applyFill":
		default:
			fmt.Fprintf(&b, "%s=%s ", a.Name.Local, a.Value)
		}
	}
	return b.String() + l.XFs[i].Inner, fill
}

// flaggedParts reads a workbook's parts for checking.
type flaggedParts struct {
	wb       *Workbook
	data     []byte
	sheetXML string
	styles   xfList
	comments map[string]string
	shapes   int
}

func readFlagged(t testing.TB, data []byte, sheet string) *flaggedParts {
	t.Helper()
	wb, err := openBytes(data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	p := &flaggedParts{wb: wb, data: data, comments: map[string]string{}}
	idx := wb.findSheet(sheet)
	if idx < 0 {
		t.Fatalf("no sheet %q", sheet)
	}
	part := wb.sheetPartOf(idx)
	read := func(name string) string {
		f := wb.file(name)
		if f == nil {
			t.Fatalf("no part %s", name)
		}
		b, err := wb.readSmall(f)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	p.sheetXML = read(part)
	rels, err := wb.readRels(wb.wbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rels {
		if r.typ == "styles" {
			if err := xml.Unmarshal([]byte(read(r.target)), &p.styles); err != nil {
				t.Fatal(err)
			}
		}
	}
	srels, err := wb.readRels(part)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range srels {
		switch r.typ {
		case "comments":
			var c struct {
				List []struct {
					Ref  string `xml:"ref,attr"`
					Text string `xml:"text>t"`
				} `xml:"commentList>comment"`
			}
			if err := xml.Unmarshal([]byte(read(r.target)), &c); err != nil {
				t.Fatal(err)
			}
			for _, x := range c.List {
				p.comments[x.Ref] = x.Text
			}
		case "vmlDrawing":
			p.shapes = strings.Count(read(r.target), "<v:shape ")
		}
	}
	return p
}

// checkFlagged checks a flagged workbook against its source: every marked cell
// exists with the mark's fill and its original format otherwise (base gives the
// original format of cells that did not exist, 0 by default), every other cell
// keeps its format, the comments are the marks', the values read the same.
func checkFlagged(t testing.TB, src, out []byte, sheet string, marks []Mark, base map[string]int) {
	t.Helper()
	checkFlaggedOrder(t, src, out, sheet, marks, base, false)
}

// checkFlaggedOrder is checkFlagged for a source whose cells may be out of
// order (unsorted), which the result then keeps.
func checkFlaggedOrder(t testing.TB, src, out []byte, sheet string, marks []Mark, base map[string]int, unsorted bool) {
	t.Helper()
	checkWellFormed(t, out)
	before, after := readFlagged(t, src, sheet), readFlagged(t, out, sheet)
	ns := nsT
	if strings.Contains(after.sheetXML, nsStrict) {
		ns = nsStrict
	}
	_, cellsA := parseSheetXML(t, before.sheetXML, ns, true)
	_, cellsB := parseSheetXML(t, after.sheetXML, ns, unsorted)
	marked := map[[2]int]Mark{}
	wantComments := map[string]string{}
	for _, m := range marks {
		marked[[2]int{m.Col, m.Row}] = m
		if m.Comment != "" {
			wantComments[CellName(m.Col, m.Row)] = m.Comment
		}
	}
	for ref, st := range cellsA {
		if _, ok := marked[ref]; ok {
			continue
		}
		if got, ok := cellsB[ref]; !ok || got != st {
			t.Errorf("unmarked cell %s: style %d → %d (present %v)", CellName(ref[0], ref[1]), st, got, ok)
		}
	}
	for ref, m := range marked {
		name := CellName(ref[0], ref[1])
		orig, existed := cellsA[ref]
		if !existed {
			orig = base[name]
		}
		got, ok := cellsB[ref]
		if !ok {
			t.Errorf("marked cell %s is missing", name)
			continue
		}
		wantRest, wantFill := before.styles.look(orig)
		if len(before.styles.XFs) == 0 && orig == 0 {
			wantRest, _ = after.styles.look(0) // a new styles part
		}
		if m.Fill != "" {
			wantFill, _ = argbColour(m.Fill)
		}
		gotRest, gotFill := after.styles.look(got)
		if gotRest != wantRest || gotFill != wantFill {
			t.Errorf("cell %s: format %q fill %q, want %q fill %q", name, gotRest, gotFill, wantRest, wantFill)
		}
	}
	for ref := range cellsB {
		if _, ok := cellsA[ref]; !ok {
			if _, ok := marked[ref]; !ok {
				t.Errorf("cell %s appeared", CellName(ref[0], ref[1]))
			}
		}
	}
	if diff := cmp.Diff(wantComments, after.comments, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
	if after.shapes != len(wantComments) {
		t.Errorf("%d VML shapes for %d comments", after.shapes, len(wantComments))
	}
	// Values.
	a, err := readSheet(t, before.wb, sheet)
	if err != nil {
		t.Fatal(err)
	}
	b, err := readSheet(t, after.wb, sheet)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("sheet %s reads differently (-before +after):\n%s", sheet, diff)
	}
	// The errors sheet is the first and the only one selected.
	names := after.wb.SheetNames()
	if !strings.HasPrefix(names[0], "Errors") || !cmp.Equal(names[1:], before.wb.SheetNames()) {
		t.Errorf("sheets %q after %q", names, before.wb.SheetNames())
	}
	for i := range names {
		body := zipPart(t, out, after.wb.sheetPartOf(i))
		sel := strings.Contains(body, `tabSelected="1"`) || strings.Contains(body, `tabSelected="true"`)
		if sel != (i == 0) {
			t.Errorf("sheet %q selected: %v", names[i], sel)
		}
	}
}

// excelizeBook makes a workbook the way excelize writes one: a theme, a sheet
// with relationships (an external hyperlink), a formula, merged cells, a date
// style, a column style, a row style, defined names scoped to sheets, and the
// second sheet active.
func excelizeBook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	const s = "Реестр"
	must(f.SetSheetName("Sheet1", s))
	_, err := f.NewSheet("Справочник")
	must(err)
	must(f.SetSheetRow(s, "A1", &[]any{"Name", "IIN", "Birth", "Amount", "Link", "Merged", ""}))
	must(f.SetSheetRow(s, "A2", &[]any{"Иванов", "012345678901", 45366, 10.5, "site"}))
	must(f.SetSheetRow(s, "A3", &[]any{"Петров", nil, 45367, 20}))
	must(f.SetSheetRow(s, "A4", &[]any{"Сидоров", "777", 45368, 30}))
	must(f.SetCellFormula(s, "D5", "SUM(D2:D4)"))
	must(f.MergeCell(s, "F1", "G1"))
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14, Border: []excelize.Border{{Type: "left", Color: "000000", Style: 1}},
		Alignment: &excelize.Alignment{Horizontal: "center"}})
	must(err)
	must(f.SetCellStyle(s, "C2", "C4", date))
	colStyle, err := f.NewStyle(&excelize.Style{NumFmt: 4})
	must(err)
	must(f.SetColStyle(s, "H", colStyle))
	rowStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true}})
	must(err)
	must(f.SetRowStyle(s, 8, 8, rowStyle))
	must(f.SetCellValue(s, "A8", "styled row"))
	must(f.SetCellHyperLink(s, "E2", "https://example.com/", "External"))
	must(f.SetColWidth(s, "A", "A", 30))
	must(f.SetCellValue("Справочник", "A1", "code"))
	must(f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: "'Справочник'!$A$1:$B$5", Scope: "Справочник"}))
	must(f.SetDefinedName(&excelize.DefinedName{Name: "Amounts", RefersTo: "'Реестр'!$D$2:$D$4", Scope: s}))
	must(f.SetDefinedName(&excelize.DefinedName{Name: "Everything", RefersTo: "'Реестр'!$A$1:$E$5"}))
	f.SetActiveSheet(1)
	buf, err := f.WriteToBuffer()
	must(err)
	return buf.Bytes()
}

func TestFlagExcelizeBook(t *testing.T) {
	src := excelizeBook(t)
	marks := []Mark{
		{Col: 1, Row: 3, Fill: red, Comment: "ЖСН бос / ИИН пуст / IIN is empty"},
		{Col: 2, Row: 2, Fill: yellow, Comment: "date"},
		{Col: 3, Row: 5, Fill: red, Comment: "formula"},
		{Col: 6, Row: 1, Fill: red},
		{Col: 7, Row: 3, Fill: yellow, Comment: "column style"},
		{Col: 2, Row: 8, Fill: red, Comment: "row style"},
		{Col: 0, Row: 20, Fill: red, Comment: "no row"},
	}
	rows := errorsRows(marks, "Реестр")
	out := flagBytes(t, src, "Реестр", marks, rows, nil)
	srcF := openExcelize(t, src)
	styleID := func(cell string) int {
		col, row, _ := ParseCellName(cell)
		_ = col
		if row == 8 {
			id, _ := srcF.GetCellStyle("Реестр", "A8")
			return id
		}
		id, _ := srcF.GetCellStyle("Реестр", cell) // the column's style
		return id
	}
	checkFlagged(t, src, out, "Реестр", marks, map[string]int{"H3": styleID("H3"), "C8": styleID("C8")})

	f := openExcelize(t, out)
	if got, want := f.GetSheetList(), []string{"Errors", "Реестр", "Справочник"}; !cmp.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want 0", got)
	}
	if diff := cmp.Diff(srcF.GetDefinedName(), f.GetDefinedName()); diff != "" {
		t.Errorf("defined names (-before +after):\n%s", diff)
	}
	if ok, link, err := f.GetCellHyperLink("Реестр", "E2"); err != nil || !ok || link != "https://example.com/" {
		t.Errorf("external link %v %q %v", ok, link, err)
	}
	if ok, link, err := f.GetCellHyperLink("Errors", "B2"); err != nil || !ok || link != "'Реестр'!B3" {
		t.Errorf("errors link %v %q %v", ok, link, err)
	}
	if fm, err := f.GetCellFormula("Реестр", "D5"); err != nil || fm != "SUM(D2:D4)" {
		t.Errorf("formula %q %v", fm, err)
	}
	if mc, err := f.GetMergeCells("Реестр"); err != nil || len(mc) != 1 || mc[0].GetStartAxis() != "F1" || mc[0].GetEndAxis() != "G1" {
		t.Errorf("merged cells %v %v", mc, err)
	}
	if w, _ := f.GetColWidth("Реестр", "A"); w != 30 {
		t.Errorf("column A width %v", w)
	}
	for _, s := range []string{"Реестр", "Справочник"} {
		sameRows(t, srcF, f, s)
	}
	comments, err := f.GetComments("Реестр")
	if err != nil || len(comments) != 6 {
		t.Errorf("%d comments, %v", len(comments), err)
	}
	st := readStyles(t, out, "xl/styles.xml")
	if l := lookOf(t, f, st, "Реестр", "C2"); l.NumFmt != 14 || l.Fill != "FFFFFF66" || l.Border == 0 {
		t.Errorf("C2 looks %+v", l)
	}
	sameParts(t, src, out, "xl/theme/theme1.xml", "docProps/core.xml", "docProps/app.xml")
	// The new sheet is written in the next free name, after excelize's.
	if !strings.Contains(zipPart(t, out, "xl/workbook.xml"), `<sheet name="Errors" sheetId="3" r:id="rId`) {
		t.Errorf("workbook.xml: %s", zipPart(t, out, "xl/workbook.xml"))
	}
	wb := zipPart(t, out, "xl/workbook.xml")
	if !strings.Contains(wb, `localSheetId="2"`) || !strings.Contains(wb, `localSheetId="1"`) || strings.Contains(wb, `localSheetId="0"`) {
		t.Errorf("localSheetId not shifted: %s", wb)
	}
}

// sheetOf wraps the content of a transitional worksheet.
func sheetOf(inner string) string {
	return xmlDecl + `<worksheet xmlns="` + nsT + `" xmlns:r="` + nsTRel + `">` + inner + `</worksheet>`
}

func inl(ref, text string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
}

func TestFlagOddSheets(t *testing.T) {
	styles := stylesXMLFor(map[int]string{164: "dd.mm.yyyy"}, 0, 164, 0)
	tests := []struct {
		name     string
		sheet    string
		noStyles bool
		marks    []Mark
		base     map[string]int // original style of marked cells that did not exist
		unsorted bool
		want     []string // in the flagged sheet XML
		wantNot  []string
	}{{
		name:  "rows and cells without r",
		sheet: sheetOf(`<sheetData><row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row/><row><c><v>2</v></c></row></sheetData>`),
		marks: []Mark{{Col: 1, Row: 1, Fill: red, Comment: "implicit"}, {Col: 3, Row: 1, Fill: red}, {Col: 1, Row: 2, Fill: yellow, Comment: "empty row"},
			{Col: 2, Row: 3, Fill: yellow}, {Col: 0, Row: 4, Fill: red, Comment: "new row"}},
		want: []string{`<row><c r="B2"`, `<c r="D1"`, `<row r="4"><c r="A4"`, `<c s="`},
	}, {
		name: "comments, CDATA and processing instructions",
		sheet: sheetOf(`<sheetData><row r="1"><!-- <row r="7"> </row> --><c r="A1" t="inlineStr"><is><t><![CDATA[<row r="9"> </row> ]]]]><![CDATA[>]]></t></is></c></row>` +
			`<?pi <row r="8"/> ?><!-- w --><row r="2"><c r="B2"><v>1</v></c><!-- <c r="C2"/> --></row><row r="3" spans="1:1"><c r="A3"><v>3</v></c></row></sheetData>`),
		marks: []Mark{{Col: 0, Row: 1, Fill: red, Comment: "cdata"}, {Col: 2, Row: 2, Fill: red, Comment: "after a comment"}, {Col: 0, Row: 3, Fill: red},
			{Col: 0, Row: 7, Fill: red}, {Col: 0, Row: 8, Fill: red}, {Col: 0, Row: 9, Fill: red, Comment: "nine"}},
		want: []string{`<!-- <row r="7"> </row> -->`, `<?pi <row r="8"/> ?>`, `<row r="7"><c r="A7"`, `<row r="3" spans="1:1">`},
	}, {
		name:  "empty sheetData",
		sheet: sheetOf(`<dimension ref="A1"/><sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`),
		marks: []Mark{{Col: 2, Row: 3, Fill: red, Comment: "a"}, {Col: 0, Row: 5, Fill: yellow}},
		want:  []string{`<dimension ref="A1:C5"/>`, `<sheetData><row r="3"><c r="C3" s="`, `</row></sheetData><pageMargins`, `footer="0.3"/><legacyDrawing r:id="rId2"/></worksheet>`},
	}, {
		name:     "unsorted cells",
		sheet:    sheetOf(`<sheetData><row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c></row></sheetData>`),
		marks:    []Mark{{Col: 0, Row: 1, Fill: red}, {Col: 1, Row: 1, Fill: red}, {Col: 3, Row: 1, Fill: red}},
		unsorted: true,
		want:     []string{`<row r="1"><c r="B1" s="`, `<c r="C1"><v>3</v></c><c r="A1" s="`, `<v>1</v></c><c r="D1" s="`},
	}, {
		name:  "spans",
		sheet: sheetOf(`<sheetData><row r="1" spans="1:2" ht="20"><c r="A1"><v>1</v></c></row><row r="2" spans="1:2"><c r="A2"><v>2</v></c></row></sheetData>`),
		marks: []Mark{{Col: 3, Row: 1, Fill: red}, {Col: 1, Row: 2, Fill: red}},
		want:  []string{`<row r="1" ht="20"><c r="A1">`, `<row r="2" spans="1:2">`},
	}, {
		name: "row and column styles",
		sheet: sheetOf(`<cols><col min="2" max="3" style="1" width="10" customWidth="1"/></cols><sheetData>` +
			`<row r="2" s="2" customFormat="1"><c r="A2" s="2"><v>1</v></c></row><row r="3" s="1"><c r="A3"><v>1</v></c></row></sheetData>`),
		marks: []Mark{{Col: 2, Row: 2, Fill: red}, {Col: 1, Row: 5, Fill: red}, {Col: 3, Row: 5, Fill: yellow}, {Col: 1, Row: 3, Fill: yellow}, {Col: 1, Row: 2, Comment: "no fill"}},
		base:  map[string]int{"C2": 2, "B5": 1, "B3": 1, "B2": 2},
		want:  []string{`<c r="B2" s="2"/>`},
	}, {
		name:     "rows out of order without marks",
		sheet:    sheetOf(`<sheetData><row r="3"><c r="A3"><v>3</v></c></row><row r="1"><c r="A1"><v>1</v></c></row></sheetData>`),
		marks:    []Mark{{Col: 0, Row: 5, Fill: red}},
		unsorted: true,
	}, {
		name:     "no styles part",
		sheet:    sheetOf(`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>`),
		noStyles: true,
		marks:    []Mark{{Col: 0, Row: 1, Fill: red, Comment: "x"}, {Col: 1, Row: 1, Fill: yellow}},
	}, {
		name: "elements after sheetData",
		sheet: sheetOf(`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>` +
			`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><drawing r:id="rId9"/><legacyDrawingHF r:id="rId8"/>` +
			`<tableParts count="0"/><extLst><ext uri="{X}"><x14:legacyDrawing xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"/></ext></extLst>`),
		marks: []Mark{{Col: 0, Row: 1, Fill: red, Comment: "x"}},
		want:  []string{`<drawing r:id="rId9"/><legacyDrawing r:id="rId2"/><legacyDrawingHF r:id="rId8"/>`},
	}, {
		name: "alternate content",
		sheet: sheetOf(`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
			`<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x14"><controls/></mc:Choice></mc:AlternateContent>`),
		marks: []Mark{{Col: 0, Row: 1, Fill: red, Comment: "x"}},
		want:  []string{`footer="0.3"/><legacyDrawing r:id="rId2"/><mc:AlternateContent`},
	}, {
		name:  "no relationships namespace on the root",
		sheet: xmlDecl + `<worksheet xmlns="` + nsT + `"><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`,
		marks: []Mark{{Col: 0, Row: 1, Fill: red, Comment: "x"}},
		want:  []string{`<legacyDrawing xmlns:r="` + nsTRel + `" r:id="rId2"/></worksheet>`, `<sheetView workbookViewId="0"/>`},
	}, {
		name:  "a row larger than the buffer",
		sheet: sheetOf(`<sheetData><row r="1">` + inl("A1", strings.Repeat("w&lt;&gt;&amp;", 30000)) + inl("C1", "x") + `</row><row r="2">` + inl("A2", strings.Repeat("row ", 40000)) + `</row></sheetData>`),
		marks: []Mark{{Col: 1, Row: 1, Fill: red, Comment: "big"}, {Col: 2, Row: 1, Fill: red}, {Col: 0, Row: 2, Fill: yellow}, {Col: 5, Row: 2, Fill: red}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bk := oneSheet("")
			bk.sheets[0].xml = tc.sheet
			if strings.Contains(tc.name, "larger") {
				bk.sheets[0].xml = noise(bk.sheets[0].xml)
			}
			if !tc.noStyles {
				bk.styles = styles
			}
			src := bk.zip(t)
			out := flagBytes(t, src, "Data", tc.marks, errorsRows(tc.marks, "Data"), nil)
			checkFlaggedOrder(t, src, out, "Data", tc.marks, tc.base, tc.unsorted)
			body := zipPart(t, out, "xl/worksheets/sheet1.xml")
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("no %s in\n%.3000s", w, body)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("%s in\n%.3000s", w, body)
				}
			}
			// excelize reads it.
			f := openExcelize(t, out)
			if _, err := f.GetRows("Data"); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestFlagStrictPrefixed flags a strict OOXML workbook whose parts use
// prefixed elements.
func TestFlagStrictPrefixed(t *testing.T) {
	sheet := xmlDecl + `<x:worksheet xmlns:x="` + nsStrict + `" xmlns:rel="` + nsSRel + `"><x:dimension ref="A1:B3"/>` +
		`<x:sheetViews><x:sheetView tabSelected="true" workbookViewId="0"/></x:sheetViews><x:sheetData>` +
		`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c r="B1" s="1"><x:v>45000</x:v></x:c></x:row>` +
		`<x:row r="3" spans="1:2"><x:c r="B3"><x:f>B1*2</x:f><x:v>90000</x:v></x:c></x:row></x:sheetData>` +
		`<x:pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><x:tableParts count="0"/></x:worksheet>`
	styles := xmlDecl + `<s:styleSheet xmlns:s="` + nsStrict + `"><s:fonts count="1"><s:font><s:b val="0"/><s:sz val="10"/><s:name val="Arial"/></s:font></s:fonts>` +
		`<s:fills count="2"><s:fill><s:patternFill patternType="none"/></s:fill><s:fill><s:patternFill patternType="gray125"/></s:fill></s:fills>` +
		`<s:borders count="1"><s:border/></s:borders><s:cellXfs count="2"><s:xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>` +
		`<s:xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="true"><s:alignment horizontal="left"/></s:xf></s:cellXfs></s:styleSheet>`
	bk := book{strict: true, styles: styles, sheets: []sheetDef{{"Реестр", "worksheets/sheet1.xml", sheet}}}
	src := bk.zip(t)
	marks := []Mark{{Col: 1, Row: 1, Fill: red, Comment: "date"}, {Col: 0, Row: 2, Fill: red, Comment: "row 2"}, {Col: 0, Row: 3, Fill: yellow},
		{Col: 1, Row: 3, Fill: yellow, Comment: "formula"}, {Col: 2, Row: 3, Fill: red}}
	out := flagBytes(t, src, "", marks, errorsRows(marks, "Реестр"), []float64{10})
	checkFlagged(t, src, out, "Реестр", marks, nil)
	body := zipPart(t, out, "xl/worksheets/sheet1.xml")
	for _, w := range []string{`<x:row r="2"><x:c r="A2" s="`, `<x:row r="3"><x:c r="A3" s="`, `<x:f>B1*2</x:f>`, `<x:legacyDrawing rel:id="rId2"/><x:tableParts`, `<x:sheetView workbookViewId="0"/>`} {
		if !strings.Contains(body, w) {
			t.Errorf("no %s in %s", w, body)
		}
	}
	st := zipPart(t, out, "xl/styles.xml")
	for _, w := range []string{`<s:fonts count="3">`, `<s:font><s:b/><s:sz val="10"/><s:name val="Arial"/></s:font>`, `<s:fgColor rgb="FFFF8080"/>`,
		`<s:xf numFmtId="14" fontId="0" fillId="3" borderId="0" applyNumberFormat="true" applyFill="1"><s:alignment horizontal="left"/></s:xf>`} {
		if !strings.Contains(st, w) {
			t.Errorf("no %s in %s", w, st)
		}
	}
	for part, w := range map[string]string{
		"xl/worksheets/_rels/sheet1.xml.rels": nsSRel + "/comments",
		"xl/_rels/workbook.xml.rels":          nsSRel + "/worksheet",
		"xl/comments1.xml":                    `<comments xmlns="` + nsStrict + `">`,
		"xl/worksheets/sheet2.xml":            `<worksheet xmlns="` + nsStrict + `" xmlns:r="` + nsSRel + `">`,
		"xl/workbook.xml":                     `<sheet name="Errors" sheetId="2" r:id="rId`,
	} {
		if body := zipPart(t, out, part); !strings.Contains(body, w) {
			t.Errorf("%s has no %s:\n%s", part, w, body)
		}
	}
}

func TestFlagNames(t *testing.T) {
	bk := book{sheets: []sheetDef{
		{"errors", "worksheets/sheet1.xml", sheetXML(`<row r="1"><c r="A1"><v>1</v></c></row>`)},
		{"Errors (2)", "worksheets/sheet2.xml", sheetXML(`<row r="1"><c r="A1"><v>2</v></c></row>`)},
		{"Data", "worksheets/sheet3.xml", sheetXML(`<row r="1"><c r="A1"><v>3</v></c></row>`)},
	}}
	src := bk.zip(t)
	marks := []Mark{{Col: 0, Row: 1, Fill: red, Comment: "c"}}
	out := flagBytes(t, src, "data", marks, errorsRows(marks, "Data"), nil)
	checkFlagged(t, src, out, "Data", marks, nil)
	wb, err := openBytes(out, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := wb.SheetNames(), []string{"Errors (3)", "errors", "Errors (2)", "Data"}; !cmp.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
	// A name near 31 characters is cut to fit the suffix.
	long := strings.Repeat("Қ", 31)
	bk.sheets[0].name = long
	src = bk.zip(t)
	var buf bytes.Buffer
	if err := Flag(&buf, bytes.NewReader(src), int64(len(src)), "Data", marks, long, nil, nil); err != nil {
		t.Fatal(err)
	}
	if wb, err = openBytes(buf.Bytes(), Limits{}); err != nil {
		t.Fatal(err)
	}
	if got := wb.SheetNames()[0]; got != strings.Repeat("Қ", 27)+" (2)" {
		t.Errorf("first sheet %q", got)
	}
}

func TestFlagRefusals(t *testing.T) {
	src := writeBook(t, "Реестр", [][]Value{{Text("a"), Text("b")}}, nil)
	withComment := func() []byte {
		f, err := excelize.OpenReader(bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.AddComment("Реестр", excelize.Comment{Cell: "A1", Author: "me", Text: "old"}); err != nil {
			t.Fatal(err)
		}
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	outOfOrder := oneSheet(`<row r="3"><c r="A3"><v>3</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>`).zip(t)
	tests := []struct {
		name    string
		src     []byte
		sheet   string
		marks   []Mark
		errName string
		want    string // in the error
		problem Problem
	}{
		{name: "two marks for a cell", src: src, marks: []Mark{{Col: 1, Row: 1}, {Col: 1, Row: 1}}, want: "two marks for cell B1"},
		{name: "bad colour", src: src, marks: []Mark{{Col: 1, Row: 1, Fill: "red"}}, want: `bad fill colour "red"`},
		{name: "past the last column", src: src, marks: []Mark{{Col: 16384, Row: 1}}, want: "outside the sheet"},
		{name: "row 0", src: src, marks: []Mark{{Col: 0, Row: 0}}, want: "outside the sheet"},
		{name: "bad sheet name", src: src, errName: "a/b", want: "invalid sheet name"},
		{name: "unknown sheet", src: src, sheet: "Nope", problem: SheetNotFound},
		{name: "not a workbook", src: []byte("hello"), problem: NotZip},
		{name: "comments already", src: withComment, marks: []Mark{{Col: 1, Row: 1, Comment: "x"}}, want: "already has comments", problem: Corrupt},
		{name: "a marked row out of order", src: outOfOrder, marks: []Mark{{Col: 1, Row: 1, Fill: red}}, want: "rows out of order", problem: Corrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Flag(io.Discard, bytes.NewReader(tc.src), int64(len(tc.src)), tc.sheet, tc.marks, tc.errName, nil, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want %q in it", err, tc.want)
			}
			if tc.problem != 0 {
				if got := problemOf(t, err); got != tc.problem {
					t.Errorf("problem %v, want %v", got, tc.problem)
				}
			}
		})
	}
	// Marks without comments are fine on a sheet with comments.
	marks := []Mark{{Col: 1, Row: 1, Fill: red}}
	out := flagBytes(t, withComment, "", marks, nil, nil)
	f := openExcelize(t, out)
	if c, err := f.GetComments("Реестр"); err != nil || len(c) != 1 || c[0].Text != "old" {
		t.Errorf("comments %+v %v", c, err)
	}
}

// TestFlagUnsortedMarks: marks in any order give the same file.
func TestFlagUnsortedMarks(t *testing.T) {
	src := writeBook(t, "S", [][]Value{{Text("a"), Text("b")}, {Num(1), Num(2)}}, nil)
	marks := []Mark{{Col: 0, Row: 1, Fill: red, Comment: "1"}, {Col: 1, Row: 1, Fill: red, Comment: "2"}, {Col: 0, Row: 2, Fill: yellow, Comment: "3"}, {Col: 4, Row: 7, Fill: red}}
	rows := errorsRows(marks, "S")
	sorted := flagBytes(t, src, "", marks, rows, nil)
	shuffled := []Mark{marks[3], marks[1], marks[0], marks[2]}
	again := flagBytes(t, src, "", shuffled, rows, nil)
	if !bytes.Equal(sorted, again) {
		t.Error("unsorted marks give another file")
	}
	if shuffled[0] != marks[3] {
		t.Error("Flag sorted the caller's slice")
	}
	checkFlagged(t, src, sorted, "S", marks, nil)
}

// TestFlagRandom flags random sheets (prefixes, rows and cells without r, long
// texts across the buffer, comments and CDATA, gaps) at random cells.
func TestFlagRandom(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 99))
		p := ""
		if rng.IntN(3) == 0 {
			p = "x:"
		}
		var b strings.Builder
		ns := `xmlns="` + nsT + `"`
		if p != "" {
			ns = `xmlns:x="` + nsT + `"`
		}
		b.WriteString(xmlDecl + `<` + p + `worksheet ` + ns + ` xmlns:r="` + nsTRel + `"><` + p + `sheetData>`)
		type cell struct{ col, row int }
		var cells []cell
		row := 0
		nrows := 1 + rng.IntN(300)
		for range nrows {
			gap := rng.IntN(4) == 0
			if gap {
				row += 1 + rng.IntN(5)
			}
			row++
			explicit := gap || rng.IntN(5) != 0
			if explicit {
				fmt.Fprintf(&b, `<%srow r="%d"`, p, row)
			} else {
				fmt.Fprintf(&b, `<%srow`, p)
			}
			if rng.IntN(4) == 0 {
				b.WriteString(` spans="1:3"`)
			}
			ncells := rng.IntN(8)
			if ncells == 0 && rng.IntN(2) == 0 {
				b.WriteString(`/>`)
				continue
			}
			b.WriteString(`>`)
			col := -1
			for range ncells {
				cgap := rng.IntN(3) == 0
				if cgap {
					col += 1 + rng.IntN(3)
				}
				col++
				ref := ""
				if cgap || rng.IntN(4) != 0 {
					ref = ` r="` + CellName(col, row) + `"`
				}
				switch rng.IntN(6) {
				case 0:
					n := rng.IntN(20)
					if rng.IntN(8) == 0 {
						n = rng.IntN(9000)
					}
					text := []byte(strings.Repeat("w&lt;row&gt; ", n))
					for i := range text {
						if text[i] == 'w' && rng.IntN(2) == 0 {
							text[i] = byte('a' + rng.IntN(26))
						}
					}
					fmt.Fprintf(&b, `<%sc%s t="inlineStr"><%sis><%st>%s</%st></%sis></%sc>`, p, ref, p, p, text, p, p, p)
				case 1:
					fmt.Fprintf(&b, `<!-- <%srow r="%d"> --><%sc%s t="inlineStr"><%sis><%st><![CDATA[</%srow><%srow>]]></%st></%sis></%sc>`, p, row+1, p, ref, p, p, p, p, p, p, p)
				case 2:
					fmt.Fprintf(&b, `<%sc%s s="%d"/>`, p, ref, rng.IntN(3))
				default:
					fmt.Fprintf(&b, `<%sc%s s="%d"><%sv>%d</%sv></%sc>`, p, ref, rng.IntN(3), p, rng.IntN(1000), p, p)
				}
				cells = append(cells, cell{col, row})
			}
			fmt.Fprintf(&b, `</%srow>`, p)
		}
		b.WriteString(`</` + p + `sheetData></` + p + `worksheet>`)
		bk := oneSheet("")
		bk.sheets[0].xml = b.String()
		bk.styles = stylesXMLFor(nil, 0, 14, 2)
		src := bk.zip(t)

		seen := map[[2]int]bool{}
		var marks []Mark
		add := func(col, row int) {
			if seen[[2]int{col, row}] {
				return
			}
			seen[[2]int{col, row}] = true
			m := Mark{Col: col, Row: row}
			switch rng.IntN(4) {
			case 0:
				m.Fill = red
			case 1:
				m.Fill = yellow
			case 2:
				m.Fill, m.Comment = red, fmt.Sprintf("comment %d\n%s", len(marks), strings.Repeat("ә", rng.IntN(40)))
			default:
				m.Comment = "only a comment"
			}
			marks = append(marks, m)
		}
		for _, c := range cells {
			if rng.IntN(3) == 0 {
				add(c.col, c.row)
			}
		}
		for range rng.IntN(30) {
			add(rng.IntN(12), 1+rng.IntN(row+10))
		}
		rng.Shuffle(len(marks), func(i, j int) { marks[i], marks[j] = marks[j], marks[i] })
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			out := flagBytes(t, src, "", marks, errorsRows(marks, "Data"), nil)
			checkFlagged(t, src, out, "Data", marks, nil)
		})
	}
}

// noise replaces the letters of long texts by random ones, so that the part does
// not compress like a zip bomb.
func noise(s string) string {
	rng := rand.New(rand.NewPCG(5, 5))
	b := []byte(s)
	in := false
	for i, c := range b {
		switch {
		case c == '>':
			in = true
		case c == '<' || c == '&':
			in = false
		case in && c == 'w' && rng.IntN(2) == 0:
			b[i] = byte('a' + rng.IntN(26))
		}
	}
	return string(b)
}

type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n -= len(p); w.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestFlagWriteError: a failing output is reported, wrapped, wherever it fails.
func TestFlagWriteError(t *testing.T) {
	src := benchWorkbookSmall(t)
	marks, rows := benchMarks(2000)
	full := &countingWriter{}
	if err := Flag(full, bytes.NewReader(src), int64(len(src)), "", marks, "", rows, nil); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 100, 5000, full.n / 3, full.n - 10} {
		err := Flag(&failAfter{n: n}, bytes.NewReader(src), int64(len(src)), "", marks, "", rows, nil)
		if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.HasPrefix(err.Error(), "xlsx: flag: write: ") {
			t.Errorf("after %d bytes: %v", n, err)
		}
	}
}

func benchWorkbookSmall(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, "Тізілім")
	if err := registerRows(w, 2000); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFlagManyLinks: Excel keeps 65,530 hyperlinks on a sheet; the cells past
// them are plain text.
func TestFlagManyLinks(t *testing.T) {
	src := benchWorkbookSmall(t)
	rows := [][]ErrCell{{{Text: "Cell"}}}
	for i := range maxHyperlinks + 10 {
		ref := CellName(0, 2+i%2000)
		rows = append(rows, []ErrCell{{Text: ref, Link: "'Тізілім'!" + ref}})
	}
	out := flagBytes(t, src, "", nil, rows, nil)
	body := zipPart(t, out, "xl/worksheets/sheet2.xml")
	if n := strings.Count(body, "<hyperlink "); n != maxHyperlinks {
		t.Errorf("%d hyperlinks", n)
	}
	f := openExcelize(t, out)
	last := CellName(0, maxHyperlinks+1)
	if ok, _, _ := f.GetCellHyperLink("Errors", last); !ok {
		t.Errorf("%s has no link", last)
	}
	if ok, _, _ := f.GetCellHyperLink("Errors", CellName(0, maxHyperlinks+2)); ok {
		t.Errorf("a link past the limit")
	}
	st := readStyles(t, out, "xl/styles.xml")
	if l := lookOf(t, f, st, "Errors", CellName(0, maxHyperlinks+2)); l != (cellLook{}) {
		t.Errorf("plain cell past the limit looks %+v", l)
	}
}
