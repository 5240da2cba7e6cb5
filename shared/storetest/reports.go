package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// RunReports runs the ReportStore contract; open returns a fresh, empty store for
// each subtest.
//
//	func TestReportStore(t *testing.T) {
//		storetest.RunReports(t, func(t *testing.T) qoldau.Store { … })
//	}
func RunReports(t *testing.T, open func(t *testing.T) qoldau.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s qoldau.Store)
	}{
		{"SubmissionRoundTrip", testSubmissionRoundTrip},
		{"SubmissionFirstStands", testSubmissionFirstStands},
		{"SubmissionRace", testSubmissionRace},
		{"SubmissionInvalid", testSubmissionInvalid},
		{"Builds", testBuilds},
		{"ReportScanner", testReportScanner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// testReportScanner checks the fast path against Rows and Acts: the same fields,
// in the same order.
func testReportScanner(t *testing.T, s qoldau.Store) {
	sc := qoldau.ReportScanner(s)
	p := month(2026, time.September)
	rows := Rows(40)
	must(t, s.PutVersion(ctx(t), Version(p, 1), qoldau.RowsOf(rows)))
	var acts []qoldau.Act
	for i := range 30 {
		acts = append(acts, act(fmt.Sprintf("A-%d", 30-i), rows[i].BinIIN, "tax", []string{"", "online-course"}[i%2], 1+i%28, "src", i+2))
	}
	_, err := s.PutActs(ctx(t), acts)
	must(t, err)
	project := func(r qoldau.Row) qoldau.Row {
		return qoldau.Row{Num: r.Num, Region: r.Region, Settlement: r.Settlement, Place: r.Place, Centre: r.Centre,
			ClientName: r.ClientName, BinIIN: r.BinIIN, Gender: r.Gender, BirthDate: r.BirthDate, Disability: r.Disability,
			LegalForm: r.LegalForm, Category: r.Category, OKEDSection: r.OKEDSection, Service: r.Service, Subtype: r.Subtype,
			Manager: r.Manager, StartDate: r.StartDate, EndDate: r.EndDate, Mobile: r.Mobile, Online: r.Online,
			ClientKey: r.ClientKey, Errors: r.Errors, Codes: append([]string(nil), r.Codes...)}
	}
	projectLeads := func(r qoldau.Row) qoldau.Row {
		return qoldau.Row{Num: r.Num, Region: r.Region, Settlement: r.Settlement, Place: r.Place, Centre: r.Centre,
			ClientName: r.ClientName, BinIIN: r.BinIIN, BirthDate: r.BirthDate, Service: r.Service, Subtype: r.Subtype,
			Manager: r.Manager, StartDate: r.StartDate, EndDate: r.EndDate, Mobile: r.Mobile, Online: r.Online, Errors: r.Errors}
	}
	for _, f := range []struct {
		name    string
		fields  qoldau.RowFields
		project func(qoldau.Row) qoldau.Row
	}{{"ReportFields", qoldau.ReportFields, project}, {"LeadsFields", qoldau.LeadsFields, projectLeads}} {
		var want, got []qoldau.Row
		must(t, s.Rows(ctx(t), p, 1, func(r *qoldau.Row) error { want = append(want, f.project(*r)); return nil }))
		must(t, sc.ScanRows(ctx(t), p, 1, f.fields, func(r *qoldau.Row) error { got = append(got, f.project(*r)); return nil }))
		if diff := cmp.Diff(want, got, equateEmpty); diff != "" || len(got) != len(rows) {
			t.Errorf("ScanRows with %s (-Rows +ScanRows):\n%s", f.name, diff)
		}
		wantCode(t, sc.ScanRows(ctx(t), p, 2, f.fields, func(*qoldau.Row) error { return nil }), qoldau.NotFound)
	}
	projectAct := func(a qoldau.Act) qoldau.Act {
		return qoldau.Act{Number: a.Number, BinIIN: a.BinIIN, Service: a.Service, Subtype: a.Subtype,
			ServiceDate: a.ServiceDate, Confirmation: a.Confirmation}
	}
	var wantActs, gotActs []qoldau.Act
	must(t, s.Acts(ctx(t), func(a *qoldau.Act) error { wantActs = append(wantActs, projectAct(*a)); return nil }))
	must(t, sc.ScanActs(ctx(t), func(a *qoldau.Act) error { gotActs = append(gotActs, projectAct(*a)); return nil }))
	if diff := cmp.Diff(wantActs, gotActs); diff != "" || len(gotActs) != 30 {
		t.Errorf("ScanActs (-Acts +ScanActs):\n%s", diff)
	}
}

// Submission returns a submission of the report of period, every field set.
func Submission(period string) *qoldau.Submission {
	return &qoldau.Submission{
		Period:    period,
		Submitted: time.Date(2026, 10, 12, 16, 45, 0, 0, almaty),
		LetterNo:  "01-12/345",
		RegNo:     "ЖТ-2026-0987",
		Media:     qoldau.MediaUSB,
		Actor:     "agency@example.kz",
		Recorded:  time.Date(2026, 10, 12, 11, 50, 1, 500, time.UTC),
		Build:     time.Date(2026, 10, 9, 5, 0, 0, 250, time.UTC),
	}
}

func testSubmissionRoundTrip(t *testing.T, s qoldau.Store) {
	got, err := s.Submissions(ctx(t))
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("Submissions of an empty store = %v, want none", got)
	}
	for _, p := range []string{"2026-Q3", "2026", "2026-01..2026-12"} {
		sub := Submission(p)
		if p == "2026" {
			sub.LetterNo, sub.RegNo, sub.Media, sub.Build = "", "", qoldau.MediaDVD, time.Time{}
		}
		must(t, s.PutSubmission(ctx(t), sub))
	}
	got, err = s.Submissions(ctx(t))
	must(t, err)
	w2026 := Submission("2026")
	w2026.LetterNo, w2026.RegNo, w2026.Media, w2026.Build = "", "", qoldau.MediaDVD, time.Time{}
	want := []qoldau.Submission{*w2026, *Submission("2026-01..2026-12"), *Submission("2026-Q3")}
	if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
		t.Errorf("Submissions (-want +got):\n%s", diff)
	}
}

func testSubmissionFirstStands(t *testing.T, s qoldau.Store) {
	first := Submission("2026-Q2")
	must(t, s.PutSubmission(ctx(t), first))
	second := Submission("2026-Q2")
	second.Submitted = first.Submitted.Add(48 * time.Hour)
	second.LetterNo = "другой"
	wantCode(t, s.PutSubmission(ctx(t), second), qoldau.Conflict)
	got, err := s.Submissions(ctx(t))
	must(t, err)
	if diff := cmp.Diff([]qoldau.Submission{*first}, got); diff != "" {
		t.Errorf("after a second submission (-want +got):\n%s", diff)
	}
}

func testSubmissionRace(t *testing.T, s qoldau.Store) {
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sub := Submission("2026-Q1")
			sub.LetterNo = fmt.Sprintf("L-%d", i)
			errs[i] = s.PutSubmission(ctx(t), sub)
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch qoldau.CodeOf(err) {
		case "":
			won++
		case qoldau.Conflict:
		default:
			t.Errorf("concurrent PutSubmission: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d concurrent submissions succeeded, want 1", won)
	}
	got, err := s.Submissions(ctx(t))
	must(t, err)
	if len(got) != 1 {
		t.Errorf("Submissions = %d entries, want 1", len(got))
	}
}

func testSubmissionInvalid(t *testing.T, s qoldau.Store) {
	wantCode(t, s.PutSubmission(ctx(t), &qoldau.Submission{Period: "2026-Q3"}), qoldau.Invalid)
	wantCode(t, s.PutSubmission(ctx(t), &qoldau.Submission{Submitted: time.Now()}), qoldau.Invalid)
	wantCode(t, s.PutBuild(ctx(t), &qoldau.ReportBuild{Period: "2026-Q3"}), qoldau.Invalid)
}

func testBuilds(t *testing.T, s qoldau.Store) {
	got, err := s.Builds(ctx(t), "2026-Q3")
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("Builds of an empty store = %v, want none", got)
	}
	at := time.Date(2026, 10, 9, 10, 0, 0, 0, almaty)
	b := func(period string, h int, lang string) *qoldau.ReportBuild {
		return &qoldau.ReportBuild{Period: period, Built: at.Add(time.Duration(h) * time.Hour), Lang: lang,
			Files:  map[string]string{"json": fmt.Sprintf("reports/%s/%d.json", period, h), "xlsx": "reports/x.xlsx"},
			Counts: map[string]int{"received": 10, "counted": 7, "late": 0}, Actor: "agency"}
	}
	// Stored out of order; the same instant twice is two builds.
	for _, x := range []*qoldau.ReportBuild{b("2026-Q3", 2, "ru"), b("2026-Q3", 1, "kk"), b("2026", 1, "en"), b("2026-Q3", 2, "ru")} {
		must(t, s.PutBuild(ctx(t), x))
	}
	got, err = s.Builds(ctx(t), "2026-Q3")
	must(t, err)
	want := []qoldau.ReportBuild{*b("2026-Q3", 1, "kk"), *b("2026-Q3", 2, "ru"), *b("2026-Q3", 2, "ru")}
	if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
		t.Errorf("Builds (-want +got):\n%s", diff)
	}
}
