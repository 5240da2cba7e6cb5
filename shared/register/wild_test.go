package register

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/officeconv"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Registers as clerks make them, in every header language and in .xlsx, .ods and
// .xls, made by LibreOffice from a workbook written here and committed under
// testdata/registers (go test -run TestWildFixtures -wild-fixtures remakes them;
// it needs libreoffice). Each has a cover sheet first, a title merged across the
// columns, column numbers under the header, a region merged down three rows, a
// row with two cells merged across columns, an IIN that Excel made a number, a
// footer (a total, a signature, a date) and a second sheet holding a header too.
var wildFixtures = flag.Bool("wild-fixtures", false, "remake testdata/registers with LibreOffice")

// WildDir is where the fixtures live, from this package.
const wildDir = "../../testdata/registers"

var wildLangs = []struct {
	lang, cover, sheet, copy string
	header                   []string
}{
	{"kk", "Мұқаба", "Тізілім", "Тізілім (көшірме)", kkHeader},
	{"ru", "Титул", "Реестр", "Реестр (копия)", testHeader},
	{"en", "Cover", "Register", "Register (copy)", enHeader},
}

// wildRows are the data rows of a wild register, from row 5.
func wildRows(t *testing.T) [][]xlsx.Value {
	var rows [][]xlsx.Value
	for i := 0; i < 6; i++ {
		m := baseRow(t)
		m[FEndDate] = date(2026, 10, 7+i)
		switch i {
		case 1, 2:
			delete(m, FRegion) // under the region merged over rows 5 to 7
		case 3:
			delete(m, FServicePlace) // under the settlement merged across B8:C8
		case 4:
			m[FBinIIN] = xlsx.Num(5031550123*10 + float64(withCheck(t, "05031550123")[11]-'0'))
		case 5:
			m[FEndDate] = xlsx.Text("12.10.2026")
		}
		rows = append(rows, rowValues(m))
	}
	return rows
}

func TestWildFixtures(t *testing.T) {
	if !*wildFixtures {
		t.Skip("remakes the committed fixtures: -wild-fixtures")
	}
	if _, err := officeconv.Find(); err != nil {
		t.Skip(err)
	}
	for _, l := range wildLangs {
		if err := os.WriteFile(filepath.Join(wildDir, l.lang+".csv"), excelCSV(t, l.header), 0o644); err != nil {
			t.Fatal(err)
		}
		src := filepath.Join(t.TempDir(), l.lang+".xlsx")
		writeWildSource(t, src, l.cover, l.sheet, l.copy, l.header)
		if err := officeconv.Save(src, wildDir, "xlsx", "ods", "xls"); err != nil {
			t.Fatal(err)
		}
	}
}

// excelCSV is a register as Excel saves "CSV (Macintosh)": semicolons, lines
// ended by a lone CR, IINs that Excel made numbers (leading zero dropped, exponent
// notation with a decimal comma), and a total under the rows.
func excelCSV(t *testing.T, header []string) []byte {
	var b bytes.Buffer
	writeCSVLine(&b, ";", header)
	for i, id := range []string{validIIN(t), withCheck(t, "05031550123")[1:], "1,90840E+11"} {
		m := baseRow(t)
		m[FBinIIN] = xlsx.Text(id)
		m[FEndDate] = date(2026, 10, 7+i)
		writeCSVLine(&b, ";", csvRow(m))
	}
	b.WriteString("Итого;3 услуги\r\n")
	return bytes.ReplaceAll(b.Bytes(), []byte("\r\n"), []byte("\r"))
}

// writeWildSource writes the workbook LibreOffice converts.
func writeWildSource(t *testing.T, path, cover, sheet, copySheet string, header []string) {
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", cover))
	must(f.SetCellValue(cover, "B3", "Информация о ходе реализации сервисной поддержки"))
	must(f.SetCellValue(cover, "B4", "за октябрь 2026 г."))
	must(f.SetCellValue(cover, "B6", "Оператор: ТОО «Даму-Сервис»"))
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(err)
	put := func(sh string, row int, vals []xlsx.Value) {
		for c, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			switch v.Kind {
			case xlsx.TextValue:
				must(f.SetCellStr(sh, cell, v.Text))
			case xlsx.NumberValue:
				must(f.SetCellValue(sh, cell, v.Number))
			case xlsx.DateValue:
				tm := v.Date.In(time.UTC)
				must(f.SetCellValue(sh, cell, tm))
				must(f.SetCellStyle(sh, cell, cell, dateStyle))
			}
		}
	}
	numbers := make([]xlsx.Value, 22)
	for i := range numbers {
		numbers[i] = xlsx.Num(float64(i + 1))
	}
	for _, sh := range []string{sheet, copySheet} {
		_, err := f.NewSheet(sh)
		must(err)
		must(f.SetCellStr(sh, "A1", "Информация о ходе реализации сервисной поддержки за октябрь 2026 г."))
		must(f.MergeCell(sh, "A1", "V1"))
		put(sh, 3, textRow(header))
		put(sh, 4, numbers)
	}
	for i, r := range wildRows(t) {
		put(sheet, 5+i, r)
	}
	must(f.MergeCell(sheet, "A5", "A7"))
	must(f.MergeCell(sheet, "B8", "C8"))
	must(f.SetCellStr(sheet, "A12", "Итого"))
	must(f.SetCellStr(sheet, "B12", "6 услуг"))
	must(f.SetCellStr(sheet, "A14", "Исполнитель: Иванова А."))
	must(f.MergeCell(sheet, "A14", "E14"))
	must(f.SetCellStr(sheet, "A15", "02.11.2026"))
	put(copySheet, 5, wildRows(t)[0])
	must(f.SaveAs(path))
}

// The CSV fixtures as Excel saves them: lone-CR lines, IINs made numbers, a total.
func TestWildCSV(t *testing.T) {
	for _, l := range wildLangs {
		t.Run(l.lang, func(t *testing.T) {
			res := validate(t, wildPath(l.lang, "csv"), octOpts())
			want := []brief{e("bin-iin-format", "F3"), e("bin-iin-format", "F4"), {"footer", "warning", ""}}
			if diff := cmp.Diff(want, briefs(all(t, res))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if res.Rows != (qoldau.RowCounts{Read: 3, Accepted: 1, Rejected: 2}) || res.Kind != "csv" || res.Sheet != "" {
				t.Errorf("rows %+v, kind %q, sheet %q", res.Rows, res.Kind, res.Sheet)
			}
		})
	}
}

// wildPath is the fixture of a language and format.
func wildPath(lang, format string) string { return filepath.Join(wildDir, lang+"."+format) }

func TestWildRegisters(t *testing.T) {
	for _, l := range wildLangs {
		for _, format := range []string{"xlsx", "ods", "xls"} {
			t.Run(l.lang+"."+format, func(t *testing.T) {
				res := validate(t, wildPath(l.lang, format), octOpts())
				if res.Kind != format || res.Sheet != l.sheet {
					t.Errorf("kind %q, sheet %q", res.Kind, res.Sheet)
				}
				want := []string{
					"header-repeat/warning/ 1 row(s) under the header repeat",
					"merged-cells/warning/ Cells A5:A7 are merged",
					"footer/warning/ Rows 12, 14–15 under the data",
					"sheet-choice/warning/ Several sheets hold a header («" + l.sheet + "», «" + l.copy + "»): the first, «" + l.sheet + "»",
					"merged-cells/warning/B8 B8: cells B8:C8 are merged across columns",
					"required-missing/error/C8 C8: \"Place of service\" is required",
					"bin-iin-format/error/F9 F9: the IIN/BIN is stored as a number of 11 digits",
				}
				var got []string
				for _, f := range all(t, res) {
					got = append(got, f.Code+"/"+string(f.Severity)+"/"+f.Cell+" "+prefixOf(f.Message.EN, want))
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("findings (-want +got):\n%s", diff)
				}
				if want := (qoldau.RowCounts{Read: 6, Accepted: 4, Rejected: 2, Warned: 0}); res.Rows != want {
					t.Errorf("rows %+v, want %+v", res.Rows, want)
				}
			})
		}
	}
}

// prefixOf returns the start of msg as long as the want entry it begins like, so
// that a comparison shows whole messages only when they differ.
func prefixOf(msg string, wants []string) string {
	for _, w := range wants {
		if _, p, ok := strings.Cut(w, " "); ok && strings.HasPrefix(msg, p) {
			return p
		}
	}
	return msg
}

// Each vertical merge gives its value to the rows it covers: the rows stored have
// the region of the merge's first cell.
func TestWildRegisterRows(t *testing.T) {
	for _, format := range []string{"xlsx", "ods", "xls"} {
		var got []string
		_, err := ValidateFile(wildPath("ru", format), octOpts(), func(r *qoldau.Row) {
			got = append(got, fmt.Sprintf("%d %s %s %s", r.Num, r.Region, r.EndDate, r.BinIIN))
		})
		if err != nil {
			t.Fatal(err)
		}
		iin := validIIN(t)
		want := []string{"5 350000000 2026-10-07 " + iin, "6 350000000 2026-10-08 " + iin, "7 350000000 2026-10-09 " + iin, "8 350000000 2026-10-10 " + iin,
			"9 350000000 2026-10-11 ", "10 350000000 2026-10-12 " + iin}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", format, diff)
		}
	}
}

// The flagged workbook of an .ods or .xls register is an .xlsx of its sheet, with
// what the clerk sees marked: a finding in a cell hidden by a merge is on the
// merge's first cell.
func TestWildFlagged(t *testing.T) {
	for _, format := range []string{"xlsx", "ods", "xls"} {
		t.Run(format, func(t *testing.T) {
			src := wildPath("en", format)
			res := validate(t, src, octOpts())
			out := filepath.Join(t.TempDir(), "flagged.xlsx")
			if err := WriteFlagged(src, res, out, "en"); err != nil {
				t.Fatal(err)
			}
			dump := dumpWorkbook(t, out)
			for _, want := range []string{`sheets ["Errors" `, `"Register"`, "link 'Register'!C8", "sheet Register",
				"B8 fill=" + ErrorFill, "F9 fill=" + ErrorFill} {
				if !strings.Contains(dump, want) {
					t.Errorf("flagged workbook lacks %q:\n%s", want, dump)
				}
			}
			if strings.Contains(dump, "  C8 fill") {
				t.Errorf("C8 (hidden by the merge B8:C8) is marked:\n%s", dump)
			}
			// The cells read are the cells written.
			got := sheetText(t, out, "Register")
			if got[7][1] != "г. Караганда" || got[8][5] == "" || got[3][0] != "1" {
				t.Errorf("rows 4, 8, 9: %q, %q, %q", got[3], got[7], got[8])
			}
		})
	}
}

// A region merged down three rows whose value is wrong: three findings, one mark
// on the merge's first cell, and one warning naming the range.
func TestMergedRegionFlagged(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	put := func(row int, vals []xlsx.Value) {
		for c, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(c+1, row)
			switch v.Kind {
			case xlsx.TextValue:
				f.SetCellStr("Sheet1", cell, v.Text)
			case xlsx.NumberValue:
				f.SetCellValue("Sheet1", cell, v.Number)
			case xlsx.DateValue:
				f.SetCellStr("Sheet1", cell, v.Date.DMY())
			}
		}
	}
	put(1, textRow(testHeader))
	for i := 0; i < 3; i++ {
		m := baseRow(t)
		m[FRegion] = xlsx.Text("Северная область")
		m[FEndDate] = date(2026, 10, 7+i)
		if i > 0 {
			delete(m, FRegion)
		}
		put(2+i, rowValues(m))
	}
	if err := f.MergeCell("Sheet1", "A2", "A4"); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "merged.xlsx")
	if err := f.SaveAs(src); err != nil {
		t.Fatal(err)
	}
	res := validate(t, src, octOpts())
	want := []brief{{"merged-cells", "warning", ""}, e("unknown-value", "A2"), e("unknown-value", "A3"), e("unknown-value", "A4")}
	if diff := cmp.Diff(want, briefs(all(t, res))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	marks, _, _, err := flagMarks(res, "Sheet1", []string{"en"})
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 1 || marks[0].Col != 0 || marks[0].Row != 2 || strings.Count(marks[0].Comment, "is not in the reference list") != 3 {
		t.Errorf("marks %+v", marks)
	}
}

// A sheet named in the upload is read (exactly or ignoring case); an unknown name
// is refused listing the sheets; a workbook with no header anywhere says which
// sheets it looked at.
func TestWildSheets(t *testing.T) {
	for _, format := range []string{"xlsx", "ods", "xls"} {
		t.Run(format, func(t *testing.T) {
			opt := octOpts()
			opt.Sheet = "реестр (КОПИЯ)"
			res := validate(t, wildPath("ru", format), opt)
			if res.Sheet != "Реестр (копия)" || res.Rows.Read != 1 || res.ExitCode() != 0 {
				t.Errorf("sheet %q, rows %+v, findings %v", res.Sheet, res.Rows, fileCodes(res))
			}
			opt.Sheet = "Лист1"
			res = validate(t, wildPath("ru", format), opt)
			if want := `The workbook has no sheet "Лист1". Its sheets: «Титул», «Реестр», «Реестр (копия)».`; res.ExitCode() != 2 || res.Reason() != want {
				t.Errorf("exit %d, reason %q", res.ExitCode(), res.Reason())
			}
			opt.Sheet = "Титул"
			res = validate(t, wildPath("ru", format), opt)
			if want := "Sheets looked at: «Титул»."; res.ExitCode() != 2 || !strings.HasSuffix(res.Reason(), want) ||
				!strings.Contains(all(t, res)[0].Message.RU, "Просмотрены листы: «Титул».") {
				t.Errorf("exit %d, reason %q", res.ExitCode(), res.Reason())
			}
		})
	}
}
