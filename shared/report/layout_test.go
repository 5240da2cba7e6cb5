package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/workday"
)

// readable builds a quarter of 3,000 counted rows with answers about a few
// services only, so that most regions have no answers.
func readable(t *testing.T) *report.Report {
	t.Helper()
	svc := fillStore(t, t.TempDir(), civil.MonthOf(2026, time.July), 3, 3000)
	done := time.Date(2026, 11, 2, 12, 0, 0, 0, workday.Almaty())
	sv := &surveys{}
	for i := range 6 {
		ref := qoldau.ServiceRef{Period: civil.MonthOf(2026, time.July), Version: 1, Row: 3 + i}
		sv.answers = append(sv.answers, qoldau.Answer{ID: "phone:" + ref.Key(), Channel: "phone", Client: "c",
			Service: ref, Started: done, Completed: done, Received: "yes", Rating: 4, Useful: "yes", FinInterest: "no",
			Usefulness: 5, Organisation: 4, Expectations: 4, Satisfaction: 5})
	}
	r, err := report.Build(context.Background(), svc, report.Options{Keys: testKeys, Period: report.Quarter(2026, 3), Surveys: sv})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestPDFKeepsTogether checks the PDF as people read it, in every language: no
// heading or title alone at a page's foot, a chart (with its title and legend)
// on one page, a table part that fits on a page not split across two.
func TestPDFKeepsTogether(t *testing.T) {
	r := readable(t)
	for _, lang := range report.Langs {
		var b bytes.Buffer
		evs, err := report.WritePDFEvents(&b, r, lang, refdata.Default())
		if err != nil {
			t.Fatal(err)
		}
		charts, rows := 0, 0
		pageOf := map[int]int{}
		for i, e := range evs {
			switch e.Kind {
			case "heading", "title":
				if i+1 < len(evs) && evs[i+1].Page != e.Page {
					t.Errorf("%s: a %s alone at the foot of page %d (then %+v)", lang, e.Kind, e.Page, evs[i+1])
				}
			case "chart":
				charts++
				pageOf[e.Group] = e.Page
			case "chart-end":
				if pageOf[e.Group] != e.Page {
					t.Errorf("%s: a chart runs from page %d to page %d", lang, pageOf[e.Group], e.Page)
				}
			case "row":
				rows++
				p, seen := pageOf[e.Group]
				if !seen {
					pageOf[e.Group] = e.Page
				} else if e.Fits && p != e.Page {
					t.Errorf("%s: a table that fits on a page runs from page %d to page %d", lang, p, e.Page)
					pageOf[e.Group] = e.Page
				}
			}
		}
		if charts != 4 || rows < 200 {
			t.Errorf("%s: %d charts and %d table rows drawn, want 4 charts and hundreds of rows", lang, charts, rows)
		}
	}
}

// TestNoAnswers checks that a region with no answers has no mean and says so:
// "no answers" in the tables and the PDF's chart, and an empty cell (no bar, never
// a bar of 0 on a 1-5 scale) in the data of the workbook's chart.
func TestNoAnswers(t *testing.T) {
	r := readable(t)
	answered := 0
	for _, row := range r.Quality.ByRegion {
		if row.Key != "total" && row.Rating != nil {
			answered++
		}
	}
	if answered == 0 || answered > 6 {
		t.Fatalf("%d regions have answers, want 1 to 6", answered)
	}
	want := map[string]string{"kk": "жауап жоқ", "ru": "нет ответов", "en": "no answers"}
	for _, lang := range report.Langs {
		var x bytes.Buffer
		if err := report.WriteXLSX(&x, r, lang, refdata.Default()); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&x)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("3.6")
		if err != nil {
			t.Fatal(err)
		}
		empty, values := 0, 0
		// The chart's data is the first table; the same means split by channel
		// follow it, where "no answers" is text.
		seen := map[string]bool{}
		for _, row := range rows {
			if len(row) == 0 || seen[row[0]] {
				continue
			}
			if _, ok := refdata.Default().Region(row[0]); !ok {
				continue
			}
			seen[row[0]] = true
			for len(row) < 6 {
				row = append(row, "")
			}
			for _, c := range row[1:6] {
				switch {
				case c == "":
					empty++
				case c == "0" || c == "0.00" || c == "0,00" || c == want[lang]:
					t.Errorf("%s: the chart's data has %q for a region with no answers", lang, c)
				default:
					values++
				}
			}
		}
		if empty == 0 || values == 0 {
			t.Errorf("%s: the means' data has %d empty cells and %d values, want both", lang, empty, values)
		}
		f.Close()
		var p bytes.Buffer
		if err := report.WritePDF(&p, r, lang, refdata.Default()); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(shownText(t, p.Bytes()), want[lang]); n < 15 {
			t.Errorf("%s: the PDF says %q %d times, want it for every region without answers", lang, want[lang], n)
		}
	}
}

// TestSubtypesLeftOut checks that the table by subtype is left out with a note when
// no row names a subtype (it would repeat S7), and shown when rows do.
func TestSubtypesLeftOut(t *testing.T) {
	r := readable(t)
	var x bytes.Buffer
	if err := report.WriteXLSX(&x, r, "ru", refdata.Default()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if idx, _ := f.GetSheetIndex("2.7.1"); idx >= 0 {
		t.Error("the table by subtype is shown though no row names a subtype")
	}
	text := string(sheetText(t, x.Bytes()))
	if !strings.Contains(text, "В данных нет подвидов услуг") {
		t.Error("2.7 has no note saying why the table by subtype is left out")
	}
}

// TestWrapWholeWords checks that table text wraps between words only: a date with
// its time, a number with its digit groups and every word stay whole at the
// narrowest width a column takes (its longest word).
func TestWrapWholeWords(t *testing.T) {
	for _, s := range []string{
		"06.08.2026\u00a015:00 Отправлено с опозданием",
		"Исправление не представлено",
		"Түзету мерзімі өтпеген 12.08.2026",
		"Получено строк: 1\u00a0048\u00a0575",
		"    Акт не подписан (или офлайн-услуга подтверждена двухфакторной аутентификацией)",
	} {
		words := strings.Fields(strings.NewReplacer("\u00a0", "_").Replace(s))
		lines := report.Wrap(s, report.LongestWord(s))
		var got []string
		for _, l := range lines {
			got = append(got, strings.Fields(strings.NewReplacer("\u00a0", "_").Replace(l))...)
		}
		if strings.TrimLeft(strings.Join(got, " "), "_") != strings.Join(words, " ") || len(lines) < 2 {
			t.Errorf("Wrap(%q) = %q: a word was cut, or nothing wrapped", s, lines)
		}
	}
}
