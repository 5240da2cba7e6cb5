package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/workday"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in             string
		id, kind       string
		from, to       string
		due            string // "" for none
		previous, asOf string
	}{
		{"2026-Q3", "2026-Q3", report.KindQuarter, "2026-07", "2026-09", "2026-10-12", "2026-Q2", ""},
		{"2026-q1", "2026-Q1", report.KindQuarter, "2026-01", "2026-03", "2026-04-13", "2025-Q4", ""}, // 12 April 2026 is a Sunday
		{"2026-Q4", "2026-Q4", report.KindQuarter, "2026-10", "2026-11", "2026-12-10", "2026-Q3", "2026-12-01"},
		{"2026", "2026", report.KindAnnual, "2026-01", "2026-11", "2026-12-10", "2025", "2026-12-01"},
		{"2025", "2025", report.KindAnnual, "2025-01", "2025-11", "2025-12-10", "2024", "2025-12-01"},
		{"2026-07..2026-09", "2026-07..2026-09", report.KindRange, "2026-07", "2026-09", "", "2026-04..2026-06", ""},
		{"2026-01..2026-12", "2026-01..2026-12", report.KindRange, "2026-01", "2026-12", "", "2025-01..2025-12", ""},
		{"2026-12", "2026-12..2026-12", report.KindRange, "2026-12", "2026-12", "", "2026-11..2026-11", ""},
	}
	cal := workday.Default()
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := report.ParsePeriod(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			due := ""
			if d, ok := p.Due(cal); ok {
				due = d.String()
			}
			asOf := ""
			if d := p.AsOf(); d != 0 {
				asOf = d.String()
			}
			got := []string{p.ID, p.Kind, p.From.String(), p.To.String(), due, p.Previous().ID, asOf}
			want := []string{tt.id, tt.kind, tt.from, tt.to, tt.due, tt.previous, tt.asOf}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{"", "2026-Q5", "2026-Q0", "26", "2026-13", "2026-09..2026-07", "Q3-2026", "2026-07..x"} {
		if _, err := report.ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) gave no error", bad)
		}
	}
}

// TestAnnualAsOfDecember1 checks the boundary of the fourth quarter and the annual
// report: November counts, December does not, and the JSON says "as of December 1";
// a range that names December counts it.
func TestAnnualAsOfDecember1(t *testing.T) {
	h := newHarness(t)
	a := person{"Омарова Дина Маратқызы", "12.12.1988", false}
	b := person{"Лебедев Антон Павлович", "03.03.1979", true}
	rowOf := func(p person, id, start, end string) row {
		return row{"Павлодарская область", "ЦОП Павлодар", "ИП «Тест»", p, id, "нет", "ИП", "малое", "G", "47.11", "legal", start, end, ""}
	}
	idA, idB := iinOf(a, 7), iinOf(b, 8)
	h.at("2025-12-01 10:00")
	h.upload("2025-11", h.register("nov", []row{rowOf(a, idA, "27.11.2025", "28.11.2025")}))
	h.at("2026-01-05 10:00")
	h.upload("2025-12", h.register("dec", []row{rowOf(b, idB, "01.12.2025", "02.12.2025")}))
	h.acts("A-1;28.11.2025;"+idA+";legal;28.11.2025;eds", "A-2;02.12.2025;"+idB+";legal;02.12.2025;eds")
	h.at("2026-01-20 10:00")
	for _, tt := range []struct {
		period  string
		months  int
		counted int
		asOf    string
	}{
		{"2025", 11, 1, "2025-12-01"},
		{"2025-Q4", 2, 1, "2025-12-01"},
		{"2025-10..2025-12", 3, 2, ""},
		{"2025-01..2025-12", 12, 2, ""},
	} {
		r := h.build(tt.period)
		if len(r.Registers) != tt.months || r.Reconciliation.Counted != tt.counted || r.Table("S1").Total[0] != tt.counted {
			t.Errorf("%s: %d registers, %d counted, S1 %d; want %d, %d", tt.period, len(r.Registers),
				r.Reconciliation.Counted, r.Table("S1").Total[0], tt.months, tt.counted)
		}
		var js bytes.Buffer
		if err := report.WriteJSON(&js, r, "en", refdata.Default()); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Period struct {
				From, To string
				AsOf     string `json:"as_of"`
			}
		}
		if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Period.AsOf != tt.asOf || doc.Period.From != r.Period.From.String() || doc.Period.To != r.Period.To.String() {
			t.Errorf("%s: JSON period = %+v, want as_of %q", tt.period, doc.Period, tt.asOf)
		}
	}
	// The annual report's registers: January to October are missing (nothing by
	// their due dates), November is on time.
	r := h.build("2025")
	if got := r.Registers[10]; got.Period != month("2025-11") || got.Status != report.StatusOnTime {
		t.Errorf("November = %+v", got)
	}
	if got := len(r.Violations.Registers); got != 10 {
		t.Errorf("%d register violations, want 10 missing months", got)
	}
}

// TestRegionsFrom2022 checks the regions that exist from 2022-06-08 (Abai,
// Zhetisu, Ulytau): a row there that ends before is an error and counts nowhere; a
// report of a period before has no row for them; a period that reaches the date
// lists them.
func TestRegionsFrom2022(t *testing.T) {
	h := newHarness(t)
	a := person{"Жұмабекова Әсел Ерланқызы", "01.02.1992", false}
	b := person{"Сәрсенов Қайрат Бақытұлы", "09.09.1970", true}
	idA, idB := iinOf(a, 21), iinOf(b, 22)
	h.at("2022-06-01 10:00")
	res := h.upload("2022-05", h.register("may", []row{
		{"Абай облысы", "ЦОП Семей", "ИП «Әсел»", a, idA, "нет", "ИП", "микро", "G", "47.11", "tax", "20.05.2022", "20.05.2022", ""},
		{"Восточно-Казахстанская область", "ЦОП Семей", "ИП «Қайрат»", b, idB, "нет", "ИП", "микро", "G", "47.11", "tax", "23.05.2022", "24.05.2022", ""},
	}))
	if res.Rows.Rejected != 1 || res.Counts["unknown-value"] != 1 {
		t.Fatalf("May 2022: %+v, want the Abai row rejected as unknown-value", res)
	}
	h.at("2022-07-01 10:00")
	h.upload("2022-06", h.register("june", []row{
		{"Ұлытау облысы", "ЦОП Жезқазған", "ИП «Әсел»", a, idA, "нет", "ИП", "микро", "G", "47.11", "tax", "10.06.2022", "10.06.2022", ""},
	}))
	h.acts("A-1;20.05.2022;"+idA+";tax;20.05.2022;eds", "A-2;24.05.2022;"+idB+";tax;24.05.2022;eds",
		"A-3;10.06.2022;"+idA+";tax;10.06.2022;eds")
	h.at("2022-07-20 10:00")

	may := h.build("2022-05")
	for _, code := range []string{"100000000", "330000000", "620000000"} {
		for _, reg := range may.Regions {
			if reg == code {
				t.Errorf("the May 2022 report lists region %s, which did not exist yet", code)
			}
		}
	}
	if len(may.Regions) != 17 {
		t.Errorf("May 2022: %d regions, want 17", len(may.Regions))
	}
	if got := may.Reconciliation; got.Rejected != 1 || got.Counted != 1 {
		t.Errorf("May 2022 reconciliation = %+v, want 1 rejected (Abai), 1 counted", got)
	}
	if want := map[string]map[string]int{"630000000": {"clients": 1}, "total": {"clients": 1}}; !cmp.Equal(want, cells(may.Table("S1"), may.Regions)) {
		t.Errorf("May 2022 S1 = %v", cells(may.Table("S1"), may.Regions))
	}
	if got := may.Violations.Errors; len(got) != 1 || got[0].Code != "unknown-value" || got[0].Rows != 1 {
		t.Errorf("May 2022 rows in error = %+v", got)
	}

	q2 := h.build("2022-Q2")
	if len(q2.Regions) != 20 {
		t.Errorf("2022-Q2: %d regions, want 20 (Abai, Zhetisu and Ulytau from 8 June)", len(q2.Regions))
	}
	want := map[string]map[string]int{"630000000": {"clients": 1}, "620000000": {"clients": 1}, "total": {"clients": 2}}
	if diff := cmp.Diff(want, cells(q2.Table("S1"), q2.Regions)); diff != "" {
		t.Errorf("2022-Q2 S1 (-want +got):\n%s", diff)
	}
}
