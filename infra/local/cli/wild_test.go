package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
)

// The registers and acts files of testdata (made by LibreOffice, every header
// language, .xlsx/.ods/.xls: a cover sheet, merged cells, a footer, a second sheet
// with a header) through validate, upload and acts import.
const wild = "../../../testdata"

func TestWildFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("QOLDAU_DATA", filepath.Join(dir, "data"))
	t.Setenv("QOLDAU_NOW", "2026-11-02T10:00:00+05:00")
	sheets := map[string]string{"kk": "Тізілім", "ru": "Реестр", "en": "Register"}
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, format := range []string{"xlsx", "ods", "xls"} {
			file := filepath.Join(wild, "registers", lang+"."+format)
			code, out, errs := run(t, "validate", "--lang", lang, file)
			sheetWord := map[string]string{"kk": "Парақ", "ru": "Лист", "en": "Sheet"}[lang]
			title := func(code string) string { return register.Title(code, qoldau.SevWarning).In(lang) }
			if code != 1 || !strings.Contains(out, sheetWord+": "+sheets[lang]) || !strings.Contains(out, title("footer")) ||
				!strings.Contains(out, title("merged-cells")) || !strings.Contains(out, title("sheet-choice")) {
				t.Errorf("validate %s: %d\n%s%s", file, code, out, errs)
			}
			code, out, _ = run(t, "validate", "--json", "--sheet", "Нет такого", file)
			if code != 2 || !strings.Contains(out, `Its sheets: «`) {
				t.Errorf("validate --sheet unknown %s: %d %.300s", file, code, out)
			}
		}
	}
	// CSV saved by Excel: lone-CR lines, IINs made numbers, a total under the rows.
	for _, lang := range []string{"kk", "ru", "en"} {
		file := filepath.Join(wild, "registers", lang+".csv")
		code, out, errs := run(t, "validate", "--lang", lang, file)
		if code != 1 || !strings.Contains(out, "3 ") || !strings.Contains(out, "1,90840E+11") ||
			!strings.Contains(out, register.Title("footer", qoldau.SevWarning).In(lang)) {
			t.Errorf("validate %s: %d\n%s%s", file, code, out, errs)
		}
	}
	code, out, errs := run(t, "upload", "--period", "2026-10", "--json", filepath.Join(wild, "registers", "ru.csv"))
	if code != 1 || !strings.Contains(out, `"read":3,"accepted":1,"rejected":2`) {
		t.Errorf("upload CSV: %d\n%s%s", code, out, errs)
	}
	// Uploads: the sheet holding the header, or the one named.
	code, out, errs = run(t, "upload", "--period", "2026-10", filepath.Join(wild, "registers", "kk.ods"))
	if code != 1 || !strings.Contains(out, `sheet "Тізілім"`) || !strings.Contains(out, "version 2") ||
		!strings.Contains(out, "6 read, 4 accepted, 2 rejected") {
		t.Errorf("upload: %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "upload", "--period", "2026-10", "--sheet", "Register (copy)", "--json", filepath.Join(wild, "registers", "en.xls"))
	if code != 0 || !strings.Contains(out, `"version":3`) || !strings.Contains(out, `"read":1`) {
		t.Errorf("upload --sheet: %d\n%s%s", code, out, errs)
	}
	// The October register uploaded as September: refused, nothing stored; --force
	// stores it.
	code, out, errs = run(t, "upload", "--period", "2026-09", filepath.Join(wild, "registers", "ru.xlsx"))
	if code != 2 || !strings.Contains(errs, "fall in 2026-10, not in the period 2026-09") || out != "" {
		t.Errorf("wrong period: %d %q %s", code, out, errs)
	}
	if code, out, _ := run(t, "status", "--period", "2026-09"); code != 0 || !strings.Contains(out, "not submitted") {
		t.Errorf("status after a refused upload: %d %s", code, out)
	}
	code, out, errs = run(t, "upload", "--period", "2026-09", "--force", filepath.Join(wild, "registers", "ru.xlsx"))
	if code != 1 || !strings.Contains(out, "version 1") || !strings.Contains(out, "6 rejected") {
		t.Errorf("upload --force: %d\n%s%s", code, out, errs)
	}
	// Acts: the sheet holding the header, or the one named.
	for _, format := range []string{"xlsx", "ods", "xls"} {
		file := filepath.Join(wild, "acts", "ru."+format)
		code, out, errs := run(t, "acts", "import", file)
		if code != 0 || !strings.Contains(out, `sheet "Акты"`) || !strings.Contains(out, "2 lines read") || !strings.Contains(out, "footer") {
			t.Errorf("acts import %s: %d\n%s%s", file, code, out, errs)
		}
		code, _, errs = run(t, "acts", "import", "--sheet", "Титул", file)
		if code != 2 || !strings.Contains(errs, "Sheets looked at: «Титул»") {
			t.Errorf("acts import --sheet Титул %s: %d %s", file, code, errs)
		}
	}
	// Every header language in every format through upload (a data folder of its
	// own): the footer, the merges and the IIN made a number, as validate reports them.
	data := filepath.Join(dir, "every")
	version := 0
	for _, lang := range []string{"kk", "ru", "en"} {
		for _, format := range []string{"xlsx", "ods", "xls", "csv"} {
			file := filepath.Join(wild, "registers", lang+"."+format)
			version++
			code, out, errs := run(t, "upload", "--data", data, "--period", "2026-10", "--json", file)
			want := []string{fmt.Sprintf(`"version":%d`, version), `"read":6,"accepted":4,"rejected":2`,
				`"footer":1`, `"merged-cells":2`, `"sheet-choice":1`, `"bin-iin-format":1`}
			if format == "csv" {
				want = []string{fmt.Sprintf(`"version":%d`, version), `"read":3,"accepted":1,"rejected":2`, `"footer":1`, `"bin-iin-format":2`}
			}
			for _, w := range want {
				if code != 1 || !strings.Contains(out, w) {
					t.Errorf("upload %s: %d, no %s in\n%s%s", file, code, w, out, errs)
					break
				}
			}
		}
	}
}
