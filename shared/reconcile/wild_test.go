package reconcile

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/officeconv"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Acts files as an operator's office makes them, in every header language and in
// .xlsx, .ods and .xls, made by LibreOffice from a workbook written here and
// committed under testdata/acts (go test -run TestWildActsFixtures
// -wild-fixtures remakes them; it needs libreoffice): a cover sheet first, a title,
// two act lines, a total and a signature under them.
var wildFixtures = flag.Bool("wild-fixtures", false, "remake testdata/acts with LibreOffice")

const actsDir = "../../testdata/acts"

var actsLangs = []struct {
	lang, cover, sheet string
	header             []string
}{
	{"kk", "Мұқаба", "Актілер", kkHeader}, {"ru", "Титул", "Акты", ruHeader}, {"en", "Cover", "Acts", enHeader},
}

func TestWildActsFixtures(t *testing.T) {
	if !*wildFixtures {
		t.Skip("remakes the committed fixtures: -wild-fixtures")
	}
	if _, err := officeconv.Find(); err != nil {
		t.Skip(err)
	}
	tmp := t.TempDir()
	for _, l := range actsLangs {
		f := excelize.NewFile()
		f.SetSheetName("Sheet1", l.cover)
		f.SetCellStr(l.cover, "B2", "Акты выполненных работ за октябрь 2026 г.")
		f.NewSheet(l.sheet)
		f.SetCellStr(l.sheet, "A1", "Акты выполненных работ за октябрь 2026 г.")
		f.MergeCell(l.sheet, "A1", "G1")
		dates, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		second := with(line(t), fNumber, xlsx.Text("А-18"))
		for r, vals := range [][]xlsx.Value{textRow(l.header...), line(t), second} {
			for c, v := range vals {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+3)
				switch v.Kind {
				case xlsx.TextValue:
					f.SetCellStr(l.sheet, cell, v.Text)
				case xlsx.DateValue:
					f.SetCellValue(l.sheet, cell, v.Date.In(time.UTC))
					f.SetCellStyle(l.sheet, cell, cell, dates)
				}
			}
		}
		f.SetCellStr(l.sheet, "A7", "Итого: 2 акта")
		f.SetCellStr(l.sheet, "A9", "Исполнитель")
		f.SetCellStr(l.sheet, "C9", "Иванова А.")
		src := filepath.Join(tmp, l.lang+".xlsx")
		if err := f.SaveAs(src); err != nil {
			t.Fatal(err)
		}
		if err := officeconv.Save(src, actsDir, "xlsx", "ods", "xls"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWildActs(t *testing.T) {
	for _, l := range actsLangs {
		for _, format := range []string{"xlsx", "ods", "xls"} {
			t.Run(l.lang+"."+format, func(t *testing.T) {
				b, err := os.ReadFile(filepath.Join(actsDir, l.lang+"."+format))
				if err != nil {
					t.Fatal(err)
				}
				res, err := ReadActs(bytes.NewReader(b), int64(len(b)), "acts", "", time.Time{}, nil, xlsx.Limits{})
				if err != nil {
					t.Fatal(err)
				}
				if res.Kind != format || res.Sheet != l.sheet || res.Read != 2 || len(res.Acts) != 2 || res.ExitCode() != 0 {
					t.Errorf("kind %q, sheet %q, read %d, acts %d, exit %d, findings %v", res.Kind, res.Sheet, res.Read, len(res.Acts), res.ExitCode(), codes(res))
				}
				if diff := cmp.Diff([]string{"footer/warning/"}, codes(res)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				if res.Acts[0].Number != "А-17" || res.Acts[1].Number != "А-18" || res.Acts[0].ServiceDate != day(7) {
					t.Errorf("acts %+v", res.Acts)
				}
				// The sheet named: the cover holds no header.
				res, _ = ReadActs(bytes.NewReader(b), int64(len(b)), "acts", l.cover, time.Time{}, nil, xlsx.Limits{})
				if res.ExitCode() != 2 || res.Findings[0].Code != "header-not-found" {
					t.Errorf("cover: exit %d, findings %v", res.ExitCode(), codes(res))
				}
			})
		}
	}
}
