package report_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/workflow"
)

// The clients of the quarter scenario (made up).
var (
	aliyev   = person{"Әлиев Нұрлан Серікұлы", "10.05.1990", true}
	ivanova  = person{"Иванова Мария Петровна", "02.03.1975", false}
	seitkali = person{"Сейткали Айгерім Болатқызы", "15.01.2000", false}
	kim      = person{"Ким Ольга Викторовна", "30.11.1985", false}
	petrov   = person{"Петров Сергей Иванович", "20.08.1960", true}
	nurlanov = person{"Нұрланов Бекзат Асқарұлы", "04.04.1995", true}
)

// quarter loads the 2026-Q3 scenario and sets the clock to the build time:
//
//   - July (on time): Aliyev with two enterprises (his IP in Almaty, row 2, and an
//     LLP in Almaty, row 3, online, which starts first and says disability yes);
//     Ivanova in Astana (row 4, disabled); Seitkali (row 5) with a bad phone in
//     version 1, fixed by version 2 within the correction time after the letter;
//     Kim (row 6) with an unsigned act.
//   - August (on time): Ivanova again, in Karaganda region (row 2, disability no);
//     Petrov in Shymkent (row 3) with no act.
//   - September: late (received 2026-10-05, due 2026-10-01): Nurlanov in Abai.
func quarter(t *testing.T) (*harness, map[string]string) {
	t.Helper()
	h := newHarness(t)
	ids := map[string]string{
		"aliyev": iinOf(aliyev, 11), "llp1": binOf(101), "llp2": binOf(202), "seitkali": iinOf(seitkali, 33),
		"kim": iinOf(kim, 44), "petrov": iinOf(petrov, 55), "nurlanov": iinOf(nurlanov, 66),
	}
	july := func(seitkaliPhone string) []row {
		return []row{
			{"750000000", "ЦОП Алматы", "ИП «Әлиев»", aliyev, ids["aliyev"], "нет", "ИП", "микро", "G", "47.11", "accounting", "05.07.2026", "07.07.2026", ""},
			{"г. Алматы", "Онлайн", "ТОО «Алма»", aliyev, ids["llp1"], "да", "ТОО", "малое", "C", "10.71", "tax", "03.07.2026", "10.07.2026", ""},
			{"Астана", "ЦПП Астана", "ТОО «Есіл»", ivanova, ids["llp2"], "II группа", "ТОО", "малое", "G", "46.90", "legal", "15.07.2026", "15.07.2026", ""},
			{"750000000", "ЦОП Алматы", "ИП «Айгерім»", seitkali, ids["seitkali"], "нет", "ИП", "микро", "I", "56.10", "marketing", "20.07.2026", "21.07.2026", seitkaliPhone},
			{"750000000", "МЦПП", "ИП «Ким»", kim, ids["kim"], "нет", "ИП", "микро", "S", "96.02", "state_support", "25.07.2026", "25.07.2026", ""},
		}
	}
	h.at("2026-08-03 10:00") // due 2026-08-01 is a Saturday: 2026-08-03
	res := h.upload("2026-07", h.register("july-v1", july("8 123 45")))
	if res.Letter == nil || res.Rows.Rejected != 1 {
		t.Fatalf("July v1: %+v", res)
	}
	h.at("2026-08-04 10:00")
	if _, err := h.svc.Send(context.Background(), *res.Letter, workflow.SendRequest{Number: "07-1/1", Actor: "agency"}); err != nil {
		t.Fatal(err)
	}
	h.at("2026-08-06 15:00") // correction due 2026-08-07
	if res := h.upload("2026-07", h.register("july-v2", july("+7 702 111 22 33"))); res.Rows.Rejected != 0 || res.Version != 2 {
		t.Fatalf("July v2: %+v", res)
	}
	h.at("2026-09-01 11:00")
	h.upload("2026-08", h.register("august", []row{
		{"Карагандинская область", "ЦОП Караганда", "ТОО «Есіл»", ivanova, ids["llp2"], "нет", "ТОО", "малое", "G", "46.90", "export", "12.08.2026", "14.08.2026", ""},
		{"Шымкент", "ЦПП Шымкент", "ИП «Петров»", petrov, ids["petrov"], "нет", "ИП", "среднее", "A", "01.11", "procurement", "10.08.2026", "11.08.2026", ""},
	}))
	h.at("2026-10-05 09:00")
	if res := h.upload("2026-09", h.register("september", []row{
		{"Абай облысы", "ЦОП Семей", "ИП «Бекзат»", nurlanov, ids["nurlanov"], "нет", "ИП", "микро", "G", "47.11", "accounting", "03.09.2026", "04.09.2026", ""},
	})); !res.Late {
		t.Fatalf("September: %+v", res)
	}
	h.at("2026-10-08 10:00")
	h.acts(
		"АКТ-1;08.07.2026;"+ids["aliyev"]+";accounting;07.07.2026;eds",
		"АКТ-2;11.07.2026;"+ids["llp1"]+";tax;10.07.2026;2fa",
		"АКТ-3;15.07.2026;"+ids["llp2"]+";legal;15.07.2026;eds",
		"АКТ-4;22.07.2026;"+ids["seitkali"]+";marketing;21.07.2026;eds",
		"АКТ-5;25.07.2026;"+ids["kim"]+";state_support;25.07.2026;none",
		"АКТ-6;14.08.2026;"+ids["llp2"]+";export;14.08.2026;eds",
		"АКТ-7;04.09.2026;"+ids["nurlanov"]+";accounting;04.09.2026;eds",
	)
	h.at("2026-10-09 10:00")
	return h, ids
}

// TestQuarterTables checks every indicator of the quarter scenario against tables
// computed by hand.
func TestQuarterTables(t *testing.T) {
	h, _ := quarter(t)
	r := h.build("2026-Q3")

	wantRec := report.Reconciliation{Received: 8, Late: 1, Rejected: 0, Unconfirmed: 2, Counted: 5,
		UnconfirmedBy: map[string]int{"unsigned": 1, "date-mismatch": 0, "service-mismatch": 0, "no-act": 1}}
	if diff := cmp.Diff(wantRec, r.Reconciliation); diff != "" {
		t.Errorf("reconciliation (-want +got):\n%s", diff)
	}
	const almaty, astana, karaganda = "750000000", "710000000", "350000000"
	want := map[string]map[string]map[string]int{
		// Aliyev counts once in Almaty though he has two enterprises; Ivanova once
		// in Astana, once in Karaganda, and once in the total.
		"S1": {almaty: {"clients": 2}, astana: {"clients": 1}, karaganda: {"clients": 1}, "total": {"clients": 3}},
		"S2": {almaty: {"G": 1, "C": 1, "I": 1}, astana: {"G": 1}, karaganda: {"G": 1}, "total": {"G": 2, "C": 1, "I": 1}},
		// Aliyev's two enterprises count twice; Ivanova's LLP once in each region
		// and once in the total.
		"S3": {almaty: {"ip": 2, "llp": 1}, astana: {"llp": 1}, karaganda: {"llp": 1}, "total": {"ip": 2, "llp": 2}},
		"S4": {almaty: {"male": 1, "female": 1}, astana: {"female": 1}, karaganda: {"female": 1}, "total": {"male": 1, "female": 2}},
		// Ages at each client's first row: Aliyev 36 (2026-07-03), Ivanova 51,
		// Seitkali 26.
		"S5": {almaty: {"30-39": 1, "14-29": 1}, astana: {"50-59": 1}, karaganda: {"50-59": 1}, "total": {"14-29": 1, "30-39": 1, "50-59": 1}},
		"S6": {almaty: {"micro": 2, "small": 1}, astana: {"small": 1}, karaganda: {"small": 1}, "total": {"micro": 2, "small": 2}},
		"S7": {almaty: {"accounting": 1, "tax": 1, "marketing": 1}, astana: {"legal": 1}, karaganda: {"export": 1},
			"total": {"accounting": 1, "tax": 1, "marketing": 1, "legal": 1, "export": 1}},
		"S8": {almaty: {"service_center": 2, "online": 1}, astana: {"support_center": 1}, karaganda: {"service_center": 1},
			"total": {"service_center": 3, "online": 1, "support_center": 1}},
		"S9": {almaty: {"online": 1}, "total": {"online": 1}},
		// Disability from each client's first row: Aliyev's LLP row (yes), and
		// Ivanova's July row (yes) even in Karaganda, where her row says no.
		"S10": {almaty: {"clients": 1}, astana: {"clients": 1}, karaganda: {"clients": 1}, "total": {"clients": 2}},
	}
	for id, w := range want {
		tab := r.Table(id)
		if tab == nil {
			t.Fatalf("no table %s", id)
		}
		if diff := cmp.Diff(w, cells(tab, r.Regions)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", id, diff)
		}
	}
	for id, differs := range map[string]bool{"S1": true, "S2": true, "S3": true, "S4": true, "S7": false, "S10": true} {
		if got := r.Table(id).Differs; got != differs {
			t.Errorf("%s.Differs = %v, want %v", id, got, differs)
		}
	}
	// Every region of the period is a row, in report order; Abai's late row counts
	// nowhere.
	if len(r.Regions) != 20 || r.Regions[0] != "110000000" || r.Regions[19] != "790000000" {
		t.Errorf("regions = %v", r.Regions)
	}

	wantRegs := []report.Register{
		{Period: month("2026-07"), Version: 2, Status: report.StatusOnTime, Rows: 5, Counted: 4, Versions: 2},
		{Period: month("2026-08"), Version: 1, Status: report.StatusOnTime, Rows: 2, Counted: 1, Versions: 1},
		{Period: month("2026-09"), Version: 1, Status: report.StatusLate, Rows: 1, Counted: 0, Versions: 1},
	}
	for i := range r.Registers {
		g := r.Registers[i]
		g.Due, g.Effective, g.Received = 0, 0, time.Time{}
		if diff := cmp.Diff(wantRegs[i], g); diff != "" {
			t.Errorf("register %d (-want +got):\n%s", i, diff)
		}
	}
	if got, want := r.Registers[0].Effective.String(), "2026-08-07"; got != want {
		t.Errorf("July's effective deadline = %s, want %s", got, want)
	}

	v := r.Violations
	if len(v.Registers) != 1 || v.Registers[0].Period != month("2026-09") || v.Registers[0].WorkingDaysLate != 2 ||
		v.Registers[0].Status != report.StatusLate {
		t.Errorf("late registers = %+v, want September, 2 working days late", v.Registers)
	}
	if len(v.Letters) != 1 || v.Letters[0].Status != report.StatusOnTime || len(v.Corrections) != 1 ||
		v.Corrections[0].Status != report.StatusOnTime || v.Corrections[0].Version != 2 {
		t.Errorf("letters %+v, corrections %+v: want one letter sent on time, corrected on time by v2", v.Letters, v.Corrections)
	}
	if v.ErrorRows != 0 || len(v.Errors) != 0 {
		t.Errorf("rows in error = %d %v, want none (the correction fixed the row)", v.ErrorRows, v.Errors)
	}
	if !r.Quality.NoAnswers {
		t.Errorf("quality has answers: %+v", r.Quality)
	}
	if r.Counted() != 5 {
		t.Errorf("Data rows = %d, want 5", r.Counted())
	}
}

// TestLeadsSheet: asked for, the audit leads come from the same pass over the rows
// and fill a sheet of the workbook beside the form, in each language; the JSON and
// the form's sheets do not change.
func TestLeadsSheet(t *testing.T) {
	h, _ := quarter(t)
	plain := h.build("2026-Q3")
	p, _ := report.ParsePeriod("2026-Q3")
	set := leads.Defaults()
	r, err := report.Build(context.Background(), h.svc, report.Options{Keys: testKeys, Period: p, Leads: &set})
	if err != nil {
		t.Fatal(err)
	}
	// Aliyev's service at the Almaty centre started on Sunday 5 July, Kim's at the
	// mobile centre on Saturday 25 July (and no act confirms it: unsigned).
	if r.Leads == nil || r.Leads.Counts[leads.KindNonWorkingDay] != 2 {
		t.Fatalf("leads = %+v", r.Leads)
	}
	var kim *leads.Lead
	for i, l := range r.Leads.Leads {
		if l.Kind == leads.KindNonWorkingDay && l.Subject.Date == civil.D(2026, time.July, 25) {
			kim = &r.Leads.Leads[i]
		}
	}
	if kim == nil || len(kim.Rows) != 1 || kim.Rows[0].Excluded != "unsigned" || kim.Subject.Place != "mobile_center" {
		t.Errorf("Kim's lead = %+v", kim)
	}
	for _, lang := range report.Langs {
		js, xl, _ := renderAll(t, r, lang)
		pjs, pxl, _ := renderAll(t, plain, lang)
		if !bytes.Equal(js, pjs) {
			t.Errorf("%s: the leads changed the JSON", lang)
		}
		text, ptext := string(sheetText(t, xl)), string(sheetText(t, pxl))
		name := "=== " + leads.SheetName(lang) + "\n"
		i := strings.Index(text, name)
		if i < 0 || text[:i] != ptext {
			t.Fatalf("%s: the leads sheet is not a sheet after the others:\n%s", lang, text)
		}
		sheet := text[i:]
		if !strings.Contains(sheet, r.Leads.Leads[0].Message.In(lang)) || !strings.Contains(sheet, leads.Text("excluded.unsigned").In(lang)) ||
			strings.Contains(sheet, "§") || strings.Contains(sheet, aliyev.name) {
			t.Errorf("%s leads sheet:\n%s", lang, sheet)
		}
	}
}
