package register

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// TestRegisterFromEveryProducer: one register validates exactly alike whoever
// wrote the workbook: the same period, counts, findings and rows (dates included),
// with or without a given period. In particular a register kept in the 1904 date
// system and saved by current Excel (x15:workbookPr in the workbook's extLst)
// validates like the same register in the 1900 system. The files are in
// testdata/corpus (its README says how each was made): hand-made as Excel saves
// (1900 and 1904), our writer's, LibreOffice's (.xlsx, .ods and .xls), openpyxl's
// and excelize's StreamWriter's.
func TestRegisterFromEveryProducer(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "corpus")
	received := time.Date(2026, 10, 2, 10, 0, 0, 0, time.UTC)
	opts := map[string]Options{
		"period given":   {Period: civil.MonthOf(2026, 9), HasPeriod: true, Received: received},
		"period guessed": {Received: received},
	}
	type reading struct {
		res  *Result
		json string // the JSON report
		rows []qoldau.Row
	}
	for optName, opt := range opts {
		t.Run(optName, func(t *testing.T) {
			read := func(name string) reading {
				var rows []qoldau.Row
				res, err := ValidateFile(filepath.Join(dir, name), opt, func(r *qoldau.Row) { rows = append(rows, *r) })
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { res.Close() })
				var b bytes.Buffer
				if err := res.WriteJSON(&b); err != nil {
					t.Fatal(err)
				}
				// The file's hash is the only thing that may differ.
				return reading{res, strings.ReplaceAll(b.String(), res.SHA256, "SHA256"), rows}
			}
			want := read("hand-register-1900.xlsx")
			if want.res.Date1904 || want.res.Rows.Read != 40 || want.res.Period != "2026-09" {
				t.Fatalf("1900 register: date1904 %v, %+v, period %q", want.res.Date1904, want.res.Rows, want.res.Period)
			}
			if want.res.Rows.Rejected == 0 || want.res.Rows.Accepted == 0 {
				t.Fatalf("1900 register: %+v, want rows accepted and rejected", want.res.Rows)
			}
			for _, name := range []string{"hand-register-1904.xlsx", "qoldau-register.xlsx", "libreoffice-register.xlsx", "openpyxl-register.xlsx", "excelize-stream.xlsx", "libreoffice-register.ods", "libreoffice-register.xls"} {
				got := read(name)
				if got.res.Date1904 != (name == "hand-register-1904.xlsx") {
					t.Errorf("%s: Date1904 = %v", name, got.res.Date1904)
				}
				if diff := cmp.Diff(want.json, got.json); diff != "" {
					t.Errorf("%s: JSON report differs from the 1900 register's (-1900 +%s):\n%s", name, name, diff)
				}
				if diff := cmp.Diff(want.rows, got.rows); diff != "" {
					t.Errorf("%s: rows differ from the 1900 register's (-1900 +%s):\n%s", name, name, diff)
				}
			}
		})
	}
}
