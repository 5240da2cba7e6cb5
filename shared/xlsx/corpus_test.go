package xlsx_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// corpusDir holds workbooks made by several producers (its README.md says how each
// was made).
const corpusDir = "../../testdata/corpus"

// book is what a reader saw of a workbook: sheet names, the date system, and the
// non-empty cells of every sheet by "Sheet!A1".
type book struct {
	names    []string
	date1904 bool
	cells    map[string]string
	dates    map[string]string // cells shown as dates: the date, or "not a date"
}

func readOurs(t *testing.T, path string) book {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	wb, err := xlsx.Open(f, st.Size(), xlsx.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	bk := book{names: wb.SheetNames(), date1904: wb.Date1904(), cells: map[string]string{}, dates: map[string]string{}}
	for _, name := range bk.names {
		sh, err := wb.Sheet(name)
		if err != nil {
			t.Fatal(err)
		}
		for sh.Next() {
			for _, c := range sh.Cells() {
				ref := name + "!" + xlsx.CellName(c.Col, sh.RowNum())
				bk.cells[ref] = c.Value
				if c.Date {
					bk.dates[ref] = "not a date"
					if d, ok := xlsx.ExcelDate(c.Value, bk.date1904); ok {
						bk.dates[ref] = d.String()
					}
				}
			}
		}
		if err := sh.Err(); err != nil {
			t.Fatal(err)
		}
		sh.Close()
	}
	return bk
}

// readExcelize reads the workbook with excelize's raw values; dates are the serials
// of the cells ours shows as dates, converted by excelize.
func readExcelize(t *testing.T, path string, ours book) book {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	props, err := f.GetWorkbookProps()
	if err != nil {
		t.Fatal(err)
	}
	bk := book{names: f.GetSheetList(), date1904: props.Date1904 != nil && *props.Date1904,
		cells: map[string]string{}, dates: map[string]string{}}
	for _, name := range bk.names {
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v != "" {
					bk.cells[name+"!"+xlsx.CellName(c, r+1)] = v
				}
			}
		}
	}
	for ref := range ours.dates {
		bk.dates[ref] = "not a date"
		n, err := strconv.ParseFloat(bk.cells[ref], 64)
		if err != nil {
			continue
		}
		if tm, err := excelize.ExcelDateToTime(n, bk.date1904); err == nil {
			bk.dates[ref] = civil.D(tm.Year(), tm.Month(), tm.Day()).String()
		}
	}
	return bk
}

// differences lists where two readings differ, one line each, sorted.
func differences(ours, theirs book) []string {
	var out []string
	if !cmp.Equal(ours.names, theirs.names) {
		out = append(out, fmt.Sprintf("sheets: ours %q, excelize %q", ours.names, theirs.names))
	}
	if ours.date1904 != theirs.date1904 {
		out = append(out, fmt.Sprintf("date1904: ours %v, excelize %v", ours.date1904, theirs.date1904))
	}
	refs := map[string]bool{}
	for r := range ours.cells {
		refs[r] = true
	}
	for r := range theirs.cells {
		refs[r] = true
	}
	for r := range refs {
		if o, e := ours.cells[r], theirs.cells[r]; o != e {
			out = append(out, fmt.Sprintf("%s: ours %q, excelize %q", r, o, e))
		}
	}
	for r, d := range ours.dates {
		if e := theirs.dates[r]; e != d {
			out = append(out, fmt.Sprintf("%s as a date: ours %s, excelize %s", r, d, e))
		}
	}
	sort.Strings(out)
	return out
}

// Why our reader differs from excelize, where it does on purpose (the package doc
// lists the same).
const (
	whyNamespace = "SpreadsheetML elements only, in their namespace; an mc:AlternateContent's Fallback (excelize reads elements of any namespace by local name)"
	whySurrogate = "_xHHHH_ escapes of a UTF-16 surrogate pair are one character, a lone surrogate is U+FFFD (excelize drops them)"
	whyStrEscape = "_xHHHH_ escapes are decoded in a formula's cached text (t=str) as in shared and inline strings"
	whyBool      = "a boolean is 1 or 0, also when written true or false"
	whyTrim      = "a number's text is trimmed of spaces"
	whyTime      = "a serial under 1 in the 1900 system is a time without a date: no date (excelize: 1899-12-30; in the 1904 system both read 1904-01-01, as Excel shows it)"
	whySerial60  = "serial 60 is Excel's fictitious 29 February 1900: no date (excelize: 1900-02-28)"
	whyPast9999  = "a serial past 2958465 is after 9999-12-31: no date"
)

// deliberate lists, by file and difference (up to its first colon), every
// difference that is a choice.
var deliberate = map[string]map[string]string{
	"hand-compat.xlsx": {
		"Compat!A2": whyNamespace, "Compat!A4": whyNamespace, "Compat!B1": whyNamespace, "Compat!B2": whyNamespace,
		"Compat!B4": whyNamespace, "Compat!C1": whyNamespace, "Compat!C3": whyNamespace,
	},
	"hand-escapes.xlsx": {
		"Escapes!A1": whySurrogate, "Escapes!B1": whySurrogate, "Escapes!A2": whyStrEscape,
		"Escapes!B2": whyBool, "Escapes!C2": whyBool, "Escapes!D2": whyTrim,
		"Escapes!A3 as a date": whySerial60, "Escapes!B3 as a date": whyTime, "Escapes!D3 as a date": whyPast9999,
	},
	// LibreOffice writes 1900-02-28 as serial 60 (its serials before March 1900
	// are one more than Excel's), which Excel shows as 29 February 1900.
	"libreoffice-edge.xlsx": {"Edge!B21 as a date": whySerial60, "Edge!B26 as a date": whyTime},
	"excelize-edge.xlsx":    {"Edge!B26 as a date": whyTime},
	"hand-excel-edge.xlsx":  {"Edge!B26 as a date": whyTime},
	"hand-prefixed.xlsx":    {"Edge!B26 as a date": whyTime},
	"hand-strict.xlsx":      {"Edge!B26 as a date": whyTime},
	"openpyxl-edge.xlsx":    {"Edge!B26 as a date": whyTime},
}

// TestCorpusAgainstExcelize reads every .xlsx of the corpus with our reader and with
// excelize (raw values) and compares sheet names, the date system, every cell, and
// the date of every cell shown as a date. A difference is a bug unless deliberate
// lists it; an entry there that no longer differs fails too.
func TestCorpusAgainstExcelize(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.xlsx"))
	if err != nil || len(paths) < 15 {
		t.Fatalf("corpus: %d files, %v", len(paths), err)
	}
	cells := 0
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			ours := readOurs(t, p)
			theirs := readExcelize(t, p, ours)
			cells += len(ours.cells)
			want := deliberate[name]
			seen := map[string]bool{}
			for _, d := range differences(ours, theirs) {
				key := d[:strings.IndexByte(d, ':')]
				seen[key] = true
				if want[key] == "" {
					t.Errorf("%s", d)
				}
			}
			for key, why := range want {
				if !seen[key] {
					t.Errorf("%s: listed as deliberate (%s) but reads alike now", key, why)
				}
			}
		})
	}
	for name := range deliberate {
		if _, err := os.Stat(filepath.Join(corpusDir, name)); err != nil {
			t.Errorf("deliberate lists %s: %v", name, err)
		}
	}
	t.Logf("%d files, %d cells", len(paths), cells)
}

// TestCorpusSmall keeps the corpus small: the whole folder under 1 MiB.
func TestCorpusSmall(t *testing.T) {
	var total int64
	err := filepath.Walk(corpusDir, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			total += fi.Size()
		}
		return err
	})
	if err != nil || total > 1<<20 {
		t.Fatalf("corpus: %d bytes, %v", total, err)
	}
}
