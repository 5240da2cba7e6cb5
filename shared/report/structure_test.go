package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/report"
)

// TestFormStructure checks the report against the form of Annex 3 in every
// language: the title and the four numbered sections with the form's headings
// (testdata/structure.txt, the seed's Kazakh and English word for word, and our
// Russian), in that order, and nothing else as a section: in the JSON, in the
// section headings the workbook's sheets open with, and in the PDF's text.
func TestFormStructure(t *testing.T) {
	h, _ := quarter(t)
	r := h.build("2026-Q3")
	var want strings.Builder
	for _, lang := range report.Langs {
		js, xl, pdf := renderAll(t, r, lang)
		var doc struct {
			Title    string `json:"title"`
			Sections []struct {
				Number  string `json:"number"`
				Heading string `json:"heading"`
			} `json:"sections"`
		}
		if err := json.Unmarshal(js, &doc); err != nil {
			t.Fatal(err)
		}
		want.WriteString("[" + lang + "]\n" + doc.Title + "\n")
		var headings []string
		for i, s := range doc.Sections {
			if want := string(rune('1' + i)); s.Number != want || !strings.HasPrefix(s.Heading, want+". ") {
				t.Errorf("%s: section %d is numbered %q: %q", lang, i+1, s.Number, s.Heading)
			}
			headings = append(headings, s.Heading)
			want.WriteString(s.Heading + "\n")
		}
		if len(headings) != 4 {
			t.Fatalf("%s: %d sections, want the form's 4", lang, len(headings))
		}
		// The workbook: every sheet but the data's opens with one of the four
		// headings, in order.
		f, err := excelize.OpenReader(bytes.NewReader(xl))
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, name := range f.GetSheetList() {
			a1, _ := f.GetCellValue(name, "A1")
			k := indexOf(headings, a1)
			switch {
			case strings.HasPrefix(name, sheetData[lang]):
				continue
			case k < 0:
				t.Errorf("%s: sheet %q opens with %q, not a section of the form", lang, name, a1)
			case k < seen:
				t.Errorf("%s: sheet %q is in section %d after section %d", lang, name, k+1, seen+1)
			default:
				seen = k
			}
		}
		f.Close()
		if seen != 3 {
			t.Errorf("%s: the workbook's last section is %d, want 4", lang, seen+1)
		}
		// The PDF: the title, then the four headings in order.
		text := strings.Join(strings.Fields(shownText(t, pdf)), " ")
		at := strings.Index(text, strings.Join(strings.Fields(doc.Title), " "))
		if at < 0 {
			t.Errorf("%s: the PDF lacks the title %q", lang, doc.Title)
		}
		for _, hd := range headings {
			i := strings.Index(text[max(at, 0):], strings.Join(strings.Fields(hd), " "))
			if i < 0 {
				t.Errorf("%s: the PDF lacks, or misorders, the heading %q", lang, hd)
				continue
			}
			at += i
		}
	}
	golden(t, "structure.txt", []byte(want.String()))
}

var sheetData = map[string]string{"kk": "Деректер", "ru": "Данные", "en": "Data"}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}
