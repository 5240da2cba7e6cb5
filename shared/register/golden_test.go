package register

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/goldenfile"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/xlsx"
)

// smallRegister writes a six-row register with errors and warnings of several kinds.
func smallRegister(t *testing.T) string {
	t.Helper()
	clean := baseRow(t)
	email := baseRow(t)
	email[FEmail] = xlsx.Text("ahmetov@mail")
	email[FEndDate] = date(2026, 10, 8)
	ageWarn := baseRow(t)
	ageWarn[FAge] = xlsx.Num(42)
	ageWarn[FEndDate] = date(2026, 10, 9)
	noContact := baseRow(t)
	delete(noContact, FMobilePhone)
	delete(noContact, FEmail)
	noContact[FEndDate] = date(2026, 10, 10)
	dup := baseRow(t)
	two := baseRow(t)
	two[FRegion] = xlsx.Text("Северная область")
	two[FStartDate], two[FEndDate] = date(2026, 10, 9), date(2026, 10, 2)
	title := textRow([]string{"Информация о ходе реализации сервисной поддержки за октябрь 2026 г."})
	return writeBook(t, title, textRow(testHeader), rowValues(clean), rowValues(email), rowValues(ageWarn),
		rowValues(noContact), rowValues(dup), rowValues(two))
}

func TestGoldenJSON(t *testing.T) {
	res := validate(t, smallRegister(t), octOpts())
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	golden(t, "small.json", b.Bytes())
}

func TestGoldenFlaggedWorkbook(t *testing.T) {
	src := smallRegister(t)
	res := validate(t, src, octOpts())
	out := filepath.Join(t.TempDir(), "flagged.xlsx")
	if err := WriteFlagged(src, res, out); err != nil {
		t.Fatal(err)
	}
	golden(t, "small.flagged.txt", []byte(dumpWorkbook(t, out)))
	// The original cells are kept: the flagged sheet reads the same as the source.
	a, b := sheetText(t, src, ""), sheetText(t, out, "Реестр")
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("the flagged sheet changed the original cells (-src +flagged):\n%s", diff)
	}
}

// TestFlaggedOneLanguage checks a workbook flagged in one language: its sheet
// names, headers, errors (by description, not code), severities, field names and
// messages are all in that language.
func TestFlaggedOneLanguage(t *testing.T) {
	src := smallRegister(t)
	res := validate(t, src, octOpts())
	for lang, want := range map[string][]string{
		"kk": {"sheet Қателер", "Жол", "Қате", "Деңгейі", "Өріс", "Түсіндірме", "қате", "ескерту", "Электрондық пошта мекенжайы дұрыс емес"},
		"ru": {"sheet Ошибки", "Строка", "Ошибка", "Уровень", "Поле", "Пояснение", "ошибка", "замечание", "Неверный адрес электронной почты"},
	} {
		out := filepath.Join(t.TempDir(), "flagged.xlsx")
		if err := WriteFlagged(src, res, out, lang); err != nil {
			t.Fatal(err)
		}
		dump := dumpWorkbook(t, out)
		for _, w := range want {
			if !strings.Contains(dump, w) {
				t.Errorf("%s: the flagged workbook lacks %q", lang, w)
			}
		}
		for _, bad := range []string{"Errors", "Severity", "Field", " | error | ", " | warning | ", "email-format", "no-contact", "duplicate-row",
			"age-mismatch", "The ", "English"} {
			if strings.Contains(dump, bad) {
				t.Errorf("%s: the flagged workbook shows %q", lang, bad)
			}
		}
		if t.Failed() {
			t.Logf("%s:\n%s", lang, dump)
		}
	}
}

func TestFlaggedCSV(t *testing.T) {
	var b bytes.Buffer
	writeCSVLine(&b, ";", testHeader)
	m := baseRow(t)
	m[FEmail] = xlsx.Text("bad")
	writeCSVLine(&b, ";", csvRow(m))
	src := writeFile(t, "r.csv", b.Bytes())
	res := validate(t, src, octOpts())
	out := filepath.Join(t.TempDir(), "flagged.xlsx")
	if err := WriteFlagged(src, res, out); err != nil {
		t.Fatal(err)
	}
	dump := dumpWorkbook(t, out)
	for _, want := range []string{"sheet Қателер — Ошибки — Errors", "V2 fill=" + ErrorFill, "link 'Тізілім — Реестр — Register'!V2",
		"sheet Тізілім — Реестр — Register"} {
		if !strings.Contains(dump, want) {
			t.Errorf("flagged CSV workbook lacks %q:\n%s", want, dump)
		}
	}
}

// dumpWorkbook renders what a user sees of a flagged workbook as text: the sheets in
// order, the Errors sheet's cells and links, and each flagged cell's fill and comment.
func dumpWorkbook(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	list := f.GetSheetList()
	fmt.Fprintf(&b, "sheets %q, active %q\n", list, list[f.GetActiveSheetIndex()])
	rows, _ := f.GetRows(list[0])
	fmt.Fprintf(&b, "sheet %s\n", list[0])
	for i, r := range rows {
		fmt.Fprintf(&b, "  %d: %s\n", i+1, strings.Join(r, " | "))
		if i > 0 {
			if ok, target, _ := f.GetCellHyperLink(list[0], xlsx.CellName(1, i+1)); ok {
				fmt.Fprintf(&b, "     link %s\n", target)
			}
		}
	}
	fills, numFmts := styleFills(t, path)
	for _, sheet := range list[1:] {
		fmt.Fprintf(&b, "sheet %s\n", sheet)
		comments, _ := f.GetComments(sheet)
		for _, c := range comments {
			id, _ := f.GetCellStyle(sheet, c.Cell)
			fill, numFmt := fills[id], numFmts[id]
			text := c.Text
			for _, p := range c.Paragraph {
				text += p.Text
			}
			fmt.Fprintf(&b, "  %s fill=%s numfmt=%d comment=%q\n", c.Cell, fill, numFmt, text)
		}
	}
	return b.String()
}

func sheetText(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheet == "" {
		sheet = f.GetSheetList()[0]
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// styleFills reads xl/styles.xml: for each cell format, its solid fill colour (RGB,
// without alpha) and number format id.
func styleFills(t *testing.T, path string) (fills []string, numFmts []int) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var ss struct {
		Fills []struct {
			FG struct {
				RGB string `xml:"rgb,attr"`
			} `xml:"patternFill>fgColor"`
		} `xml:"fills>fill"`
		Xfs []struct {
			FillID   int `xml:"fillId,attr"`
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	for _, zf := range zr.File {
		if zf.Name != "xl/styles.xml" {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		err = xml.NewDecoder(rc).Decode(&ss)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range ss.Xfs {
		rgb := ""
		if x.FillID < len(ss.Fills) {
			rgb = ss.Fills[x.FillID].FG.RGB
			if len(rgb) == 8 {
				rgb = rgb[2:]
			}
		}
		fills = append(fills, rgb)
		numFmts = append(numFmts, x.NumFmtID)
	}
	return fills, numFmts
}

// golden compares got with testdata/name (go test -update rewrites it).
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}
