package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/langtest"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/report"
)

// codesOf are the single-word codes of the reference data and the questionnaire
// (accounting, online, micro …): shown instead of a label, they are English.
func codesOf() []string {
	ref := refdata.Default()
	var out []string
	for _, x := range ref.Services() {
		out = append(out, x.Code)
	}
	for _, x := range ref.Places() {
		out = append(out, x.Code)
	}
	for _, x := range ref.LegalForms() {
		out = append(out, x.Code)
	}
	for _, x := range ref.Categories() {
		out = append(out, x.Code)
	}
	out = append(out, report.PurposeOptions...)
	out = append(out, report.FinSupportOptions...)
	out = append(out, report.NonfinOptions...)
	return append(out, "male", "female", "answered", "refused", "yes", "no", "partly", "phone", "import", "xlsx_sheet")
}

// TestNoEnglishInKazakhAndRussian runs the agency's and the operator's commands in
// Kazakh and in Russian (QOLDAU_LANG, and --lang for one of them) and reads what
// they print and the report files they write (.xlsx cells and sheet names, the
// PDF's text, the JSON's texts and labels): no English word of the product's own
// vocabulary and no code may show.
func TestNoEnglishInKazakhAndRussian(t *testing.T) {
	codes := codesOf()
	for _, lang := range []string{"kk", "ru"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			data := filepath.Join(dir, "data")
			t.Setenv("QOLDAU_DATA", data)
			t.Setenv("QOLDAU_LANG", lang)
			t.Setenv("QOLDAU_SECRET", "")
			check := func(what, text string) {
				t.Helper()
				if bad := langtest.English(text, codes...); len(bad) > 0 {
					t.Errorf("%s shows %q:\n%s", what, bad, text)
				}
			}
			cmd := func(want int, args ...string) {
				t.Helper()
				code, out, errs := run(t, args...)
				if code != want {
					t.Fatalf("qoldau %s: exit %d, want %d\n%s\n%s", strings.Join(args, " "), code, want, out, errs)
				}
				check("qoldau "+strings.Join(args, " "), out+errs)
			}
			reg, fixed := filepath.Join(dir, "r.xlsx"), filepath.Join(dir, "r2.xlsx")
			cmd(0, "sample", "--period", "2026-09", "--rows", "300", "--seed", "5", "--error-rate", "0.08", "--lang", lang, "--out", reg)
			cmd(0, "sample", "--period", "2026-09", "--rows", "300", "--seed", "5", "--error-rate", "0.01", "--lang", lang, "--out", fixed)
			cmd(1, "validate", "--received", "2026-10-01T10:00:00+05:00", "--out", filepath.Join(dir, "flagged.xlsx"), reg)
			t.Setenv("QOLDAU_NOW", "2026-10-01T12:00:00+05:00")
			cmd(1, "upload", "--period", "2026-09", reg)
			cmd(0, "status", "--period", "2026-09")
			cmd(0, "letters", "list")
			t.Setenv("QOLDAU_NOW", "2026-10-02T12:00:00+05:00")
			cmd(0, "letters", "send", "2026-09-v1", "--number", "07-1/245")
			cmd(1, "upload", "--period", "2026-09", fixed)
			cmd(0, "diff", "--period", "2026-09")
			acts := filepath.Join(dir, "acts.csv")
			os.WriteFile(acts, []byte("act_number;act_date;bin_iin;service;service_date;confirmation\nA-1;05.09.2026;123;accounting;04.09.2026;eds\n"), 0o600)
			cmd(1, "acts", "import", acts)
			t.Setenv("QOLDAU_NOW", "2026-10-06T10:00:00+05:00")
			cmd(0, "invitations", "create", "--period", "2026-09", "--sample", "20", "--seed", "3")
			cmd(0, "invitations", "export", "--period", "2026-09", "--bot", "qoldau_bot", "--out", filepath.Join(dir, "inv.xlsx"))
			calls := filepath.Join(dir, "calls.xlsx")
			cmd(0, "calls", "export", "--period", "2026-09", "--per-region", "2", "--seed", "4", "--out", calls)
			check("the call list", callListTexts(t, calls))
			cmd(0, "calls", "import", calls)
			q := filepath.Join(dir, "q.csv")
			writeQuestionnaires(t, data, q)
			cmd(1, "questionnaires", "import", q)
			cmd(0, "surveys", "summary", "--period", "2026-09")
			cmd(0, "users", "add", "--name", "Айгүл", "--role", "agency")
			cmd(0, "users", "list")
			out := filepath.Join(dir, "reports")
			cmd(0, "report", "build", "--period", "2026-Q3", "--out", out)
			t.Setenv("QOLDAU_NOW", "2026-10-13T10:00:00+05:00")
			cmd(0, "report", "submit", "--period", "2026-Q3", "--at", "2026-10-12T16:00:00+05:00", "--letter-no", "01-12/345",
				"--reg-no", "ЖТ-987", "--media", "usb")
			// One-line reasons.
			cmd(2, "upload", "--period", "2026-9", reg)
			cmd(2, "letters", "send", "2026-09-v9", "--number", "1")
			cmd(2, "report", "build", "--period", "2026-Q7")
			cmd(2, "report", "submit", "--period", "2026-Q2", "--letter-no", "1", "--reg-no", "2", "--media", "cd",
				"--build", "2026-07-01T10:00:00+05:00")
			cmd(2, "frobnicate")
			// English chosen on the command line wins over QOLDAU_LANG.
			if _, o, _ := run(t, "status", "--period", "2026-09", "--lang", "en"); !strings.Contains(o, "register September 2026: due") {
				t.Errorf("status --lang en:\n%s", o)
			}

			// The report files.
			for _, f := range []string{"xlsx", "pdf", "json"} {
				b, err := os.ReadFile(filepath.Join(out, report.FileName(report.Quarter(2026, 3), lang, f)))
				if err != nil {
					t.Fatal(err)
				}
				var text string
				switch f {
				case "xlsx":
					if text, err = langtest.XLSXText(b); err != nil {
						t.Fatal(err)
					}
				case "pdf":
					text = langtest.PDFText(b)
				case "json":
					text = jsonTexts(t, b)
				}
				if len(text) < 1000 {
					t.Errorf("the %s report holds almost no text: %q", f, text)
				}
				check("the "+f+" report", text)
			}
		})
	}
}

// jsonTexts returns the texts of a JSON report meant for people: the title,
// headings, methodology, introduction, conclusion and every label.
func jsonTexts(t *testing.T, b []byte) string {
	t.Helper()
	var doc struct {
		Title        string            `json:"title"`
		Methodology  string            `json:"methodology"`
		Sections     []json.RawMessage `json:"sections"`
		Introduction json.RawMessage   `json:"introduction"`
		Conclusion   json.RawMessage   `json:"conclusion"`
		Labels       json.RawMessage   `json:"labels"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var parts []string
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch x := v.(type) {
		case string:
			if key != "number" && key != "table" && key != "row" && key != "column" {
				parts = append(parts, x)
			}
		case []any:
			for _, y := range x {
				walk(y, key)
			}
		case map[string]any:
			for k, y := range x {
				walk(y, k)
			}
		}
	}
	for _, raw := range append([]json.RawMessage{doc.Introduction, doc.Conclusion, doc.Labels}, doc.Sections...) {
		var v any
		json.Unmarshal(raw, &v)
		walk(v, "")
	}
	return doc.Title + "\n" + doc.Methodology + "\n" + strings.Join(parts, "\n")
}

// callListTexts returns the texts of a call list meant for the call centre: the
// sheets' names, the headers, the answers the drop-downs offer and the help sheet
// but for its English wording of the questions (the rows' data are names,
// phones and pseudonymous ids).
func callListTexts(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var b strings.Builder
	for i, sh := range f.GetSheetList() {
		b.WriteString(sh + "\n")
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for j, r := range rows {
			if i == 0 && j > 0 {
				break // the calls: the header only
			}
			for k, c := range r {
				if i == 2 && k == 3 {
					continue // the questions in English, beside Kazakh and Russian
				}
				b.WriteString(c + "\t")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
