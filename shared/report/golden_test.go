package report_test

import (
	"archive/zip"
	"bytes"
	"sort"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/goldenfile"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/report"
)

// sheetText dumps every sheet of a workbook as text: a line per row, cells as
// Excel shows them, separated by tabs.
func sheetText(t *testing.T, data []byte) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("=== " + name + "\n")
		for _, r := range rows {
			b.WriteString(strings.TrimRight(strings.Join(r, "\t"), "\t") + "\n")
		}
	}
	return []byte(b.String())
}

func renderAll(t *testing.T, r *report.Report, lang string) (js, xl, pdf []byte) {
	t.Helper()
	var a, b, c bytes.Buffer
	if err := report.WriteJSON(&a, r, lang, refdata.Default()); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteXLSX(&b, r, lang, refdata.Default()); err != nil {
		t.Fatal(err)
	}
	if err := report.WritePDF(&c, r, lang, refdata.Default()); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes(), c.Bytes()
}

// TestGolden checks the JSON report and the text of every sheet of the workbook in
// the three languages against golden files, and that two builds of the same data
// give byte-identical files.
func TestGolden(t *testing.T) {
	h, _ := quarter(t)
	r := h.build("2026-Q3")
	for _, lang := range report.Langs {
		t.Run(lang, func(t *testing.T) {
			js, xl, pdf := renderAll(t, r, lang)
			if lang == "en" {
				golden(t, "quarter.json", js)
			}
			text := sheetText(t, xl)
			if bytes.Contains(text, []byte("§")) || bytes.Contains(js, []byte("§")) {
				t.Errorf("a catalogue key is missing: %s", text)
			}
			golden(t, "quarter.xlsx."+lang+".txt", text)
			// The same data, built again: the same bytes.
			r2 := h.build("2026-Q3")
			js2, xl2, pdf2 := renderAll(t, r2, lang)
			for _, x := range []struct {
				name string
				a, b []byte
			}{{"json", js, js2}, {"xlsx", xl, xl2}, {"pdf", pdf, pdf2}} {
				if !bytes.Equal(x.a, x.b) {
					t.Errorf("two builds of the same data give different %s files", x.name)
				}
			}
		})
	}
}

// TestXLSXParts checks what the text cannot show: native charts for S1, S4, S7 and
// the quality means, frozen panes, page setup fitted to width.
func TestXLSXParts(t *testing.T) {
	h, _ := quarter(t)
	r := h.build("2026-Q3")
	_, xl, _ := renderAll(t, r, "kk")
	z, err := zip.NewReader(bytes.NewReader(xl), int64(len(xl)))
	if err != nil {
		t.Fatal(err)
	}
	var charts []string
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "xl/charts/chart") {
			charts = append(charts, f.Name)
		}
	}
	sort.Strings(charts)
	if len(charts) != 4 {
		t.Errorf("charts = %v, want 4 (S1, S4, S7, quality means)", charts)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range []string{"2.1", "2.4", "2.7"} {
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 6 || panes.XSplit != 1 {
			t.Errorf("%s panes = %+v, %v; want frozen below the header row 6 and right of column A", sheet, panes, err)
		}
		props, err := f.GetSheetProps(sheet)
		if err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s is not fitted to the page: %+v %v", sheet, props, err)
		}
		pl, err := f.GetPageLayout(sheet)
		if err != nil || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.Orientation == nil || *pl.Orientation != "landscape" {
			t.Errorf("%s page layout = %+v, %v", sheet, pl, err)
		}
	}
	dp, err := f.GetPanes("Деректер")
	if err != nil || !dp.Freeze || dp.YSplit != 1 {
		t.Errorf("Data panes = %+v, %v", dp, err)
	}
	// Number formats: a count cell of S1 uses #,##0.
	st, err := f.GetCellStyle("2.1", "B7")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(st)
	if err != nil || style.NumFmt != 3 {
		t.Errorf("2.1!B7 (S1) number format = %+v, %v; want 3 (#,##0)", style, err)
	}
	// The Data sheet traces rows without personal data.
	rows, err := f.GetRows("Деректер")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+r.Counted() {
		t.Fatalf("Data has %d rows, want %d", len(rows), 1+r.Counted())
	}
	all := string(sheetText(t, xl))
	for _, personal := range []string{aliyev.name, "Әлиев", ivanova.name, "+7701", "+77015551234"} {
		if strings.Contains(all, personal) {
			t.Errorf("the workbook shows personal data %q", personal)
		}
	}
}

// golden compares got with testdata/name (go test -update rewrites it).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}
