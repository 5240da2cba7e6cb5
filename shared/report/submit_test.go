package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/workday"
)

// TestSubmissions records the agency's submissions and checks their lateness, the
// reports listed in Section 4, the reminder check and the audit log.
func TestSubmissions(t *testing.T) {
	h, _ := quarter(t)
	ctx := context.Background()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	submitted := h.svc.Submitted
	if ok, err := submitted(ctx, "2026-Q2"); ok || err != nil {
		t.Fatalf("Submitted before any submission = %v, %v", ok, err)
	}
	h.at("2026-12-15 10:00")
	tests := []struct {
		period, at string
		late       bool
		wdl        int
	}{
		{"2026-Q1", "2026-04-13 17:00", false, 0}, // due 12 April, a Sunday: 13 April
		{"2026-Q2", "2026-07-15 11:00", true, 2},  // due 13 July
		{"2026-Q3", "2026-10-12 16:00", false, 0},
	}
	for _, tt := range tests {
		res, err := report.Submit(ctx, h.svc, report.SubmitRequest{Period: tt.period, At: at(tt.at),
			LetterNo: "01-12/1", RegNo: "ЖТ-1", Media: "usb", Actor: "agency"})
		if err != nil {
			t.Fatalf("%s: %v", tt.period, err)
		}
		if res.Late != tt.late || res.WorkingDaysLate != tt.wdl {
			t.Errorf("%s: late %v by %d, want %v by %d", tt.period, res.Late, res.WorkingDaysLate, tt.late, tt.wdl)
		}
	}
	_, err := report.Submit(ctx, h.svc, report.SubmitRequest{Period: "2026-Q2", At: at("2026-07-20 10:00"),
		LetterNo: "x", RegNo: "y", Media: "cd"})
	if qoldau.CodeOf(err) != qoldau.Conflict {
		t.Errorf("a second submission = %v, want a conflict", err)
	}
	for _, bad := range []report.SubmitRequest{
		{Period: "2026-Q4", LetterNo: "x", RegNo: "y", Media: "floppy"},
		{Period: "2026-Q4", Media: "usb"},
		{Period: "2026-Q9", LetterNo: "x", RegNo: "y", Media: "usb"},
		{Period: "2026-Q4", LetterNo: "x", RegNo: "y", Media: "usb", At: at("2026-12-16 10:00")},
	} {
		if _, err := report.Submit(ctx, h.svc, bad); qoldau.CodeOf(err) != qoldau.Invalid {
			t.Errorf("Submit(%+v) = %v, want invalid", bad, err)
		}
	}
	if ok, err := submitted(ctx, "2026-Q2"); !ok || err != nil {
		t.Errorf("Submitted(2026-Q2) = %v, %v; want true: its reminders stop", ok, err)
	}

	r := h.build("2026")
	type row struct {
		Period string
		Status string
		WDL    int
	}
	var got []row
	for _, x := range r.Violations.Reports {
		got = append(got, row{x.Period, x.Status, x.WorkingDaysLate})
	}
	want := []row{{"2026-Q1", "on_time", 0}, {"2026-Q2", "late", 2}, {"2026-Q3", "on_time", 0},
		{"2026-Q4", "missing", 3}, {"2026", "missing", 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the agency's reports (-want +got):\n%s", diff)
	}
	last := r.Conclusion[len(r.Conclusion)-1].Text.EN
	if !strings.Contains(last, "Q2 2026") || !strings.Contains(last, "Q4 2026") {
		t.Errorf("the conclusion's last sentence = %q, want the late and missing reports", last)
	}

	audit, err := h.store.Audit(ctx, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range audit {
		if e.Action == "submit" && strings.HasPrefix(e.Subject, "report 2026-Q") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d submissions in the audit log, want 3", n)
	}
}

// TestPublishAndPrevious publishes a quarter, then compares the next quarter with
// it; the agency's own conclusion replaces the generated one.
func TestPublishAndPrevious(t *testing.T) {
	h, _ := quarter(t)
	ctx := context.Background()
	r := h.build("2026-Q3")
	dir := t.TempDir()
	pub, err := report.Publish(ctx, h.svc, r, "ru", []string{"xlsx", "pdf"}, dir, "agency")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"xlsx", "pdf"} {
		if _, err := os.Stat(pub.Files[f]); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, ok := pub.Files["json"]; ok || pub.Blobs["json"] == "" {
		t.Errorf("files %v, blobs %v: want the JSON kept as a blob only", pub.Files, pub.Blobs)
	}
	builds, err := h.store.Builds(ctx, "2026-Q3")
	if err != nil || len(builds) != 1 || builds[0].Counts["counted"] != 5 || builds[0].Lang != "ru" {
		t.Fatalf("builds = %+v, %v", builds, err)
	}
	audit, err := h.store.Audit(ctx, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if last := audit[len(audit)-1]; last.Action != "build" || last.Subject != "report 2026-Q3" || last.Actor != "agency" || last.Detail["counted"] != "5" {
		t.Errorf("the audit log's last entry = %+v, want the build", last)
	}

	h.at("2026-12-05 10:00")
	q4 := h.build("2026-Q4")
	if q4.Previous == nil || q4.Previous.Period != "2026-Q3" || q4.Previous.Clients != 3 || q4.Previous.Regions["750000000"] != 2 {
		t.Fatalf("previous = %+v", q4.Previous)
	}
	found := false
	for _, s := range q4.Conclusion {
		if strings.HasPrefix(s.Text.EN, "Clients: 3 in the previous period (Q3 2026), 0 in this one (-100.0%).") {
			found = true
		}
	}
	if !found {
		t.Errorf("no comparison with the previous period in %+v", q4.Conclusion)
	}

	path := filepath.Join(t.TempDir(), "conclusion.txt")
	os.WriteFile(path, []byte("\ufeffПервый абзац,\nпродолжение.\n\n\nВторой абзац.\n"), 0o644)
	paras, err := report.ReadConclusion(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Первый абзац, продолжение.", "Второй абзац."}, paras); diff != "" {
		t.Errorf("paragraphs (-want +got):\n%s", diff)
	}
	own, err := report.Build(ctx, h.svc, report.Options{Keys: testKeys, Period: report.Quarter(2026, 3), Conclusion: paras})
	if err != nil {
		t.Fatal(err)
	}
	if !own.ConclusionReplaced || len(own.Conclusion) != 2 || own.Conclusion[1].Text.KK != "Второй абзац." || own.Conclusion[0].Refs != nil {
		t.Errorf("conclusion = %+v", own.Conclusion)
	}
}

// TestSubmissionBuild: a submission names the build that was signed: the one the
// agency names, else the period's latest built by the submission's time; a build
// the period never had is refused.
func TestSubmissionBuild(t *testing.T) {
	h, _ := quarter(t)
	ctx := context.Background()
	at := func(s string) time.Time {
		v, _ := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
		return v.UTC()
	}
	h.at("2026-12-15 10:00")
	for _, p := range []string{"2026-Q3", "2026-07..2026-08"} {
		for _, b := range []string{"2026-10-05 10:00", "2026-10-08 10:00", "2026-10-20 10:00"} {
			if err := h.svc.RecordBuild(ctx, &qoldau.ReportBuild{Period: p, Built: at(b), Lang: "kk",
				Files: map[string]string{"json": "reports/" + p + "/" + b + ".json"}}, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	req := report.SubmitRequest{Period: "2026-Q3", At: at("2026-10-12 16:00"), LetterNo: "1", RegNo: "2", Media: "usb",
		Build: at("2026-10-07 10:00")}
	if _, err := report.Submit(ctx, h.svc, req); qoldau.CodeOf(err) != qoldau.Invalid ||
		qoldau.MessageOf(err).EN != "Period 2026-Q3 has no report build 2026-10-07T05:00:00Z: name the build that was submitted by its build time." {
		t.Errorf("a build the period never had = %v, want invalid, naming the period and build", err)
	}
	req.Build = time.Time{}
	res, err := report.Submit(ctx, h.svc, req)
	if err != nil || !res.Build.Equal(at("2026-10-08 10:00")) {
		t.Errorf("by default the latest build before the submission: %+v, %v", res, err)
	}
	req.Period, req.Build = "2026-07..2026-08", at("2026-10-05 10:00")
	if res, err = report.Submit(ctx, h.svc, req); err != nil || !res.Build.Equal(req.Build) {
		t.Errorf("the build named: %+v, %v", res, err)
	}
	// A build time to the second names the one build of that second; two in one
	// second need the fraction.
	for _, b := range []time.Duration{250 * time.Millisecond, 1750 * time.Millisecond, 1900 * time.Millisecond} {
		if err := h.svc.RecordBuild(ctx, &qoldau.ReportBuild{Period: "2026-Q1", Built: at("2026-04-06 10:00").Add(b), Lang: "kk",
			Files: map[string]string{"json": "reports/2026-Q1/" + b.String() + ".json"}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	stamp, err := report.ParseBuild("20260406T050000Z")
	if err != nil || !stamp.Equal(at("2026-04-06 10:00")) {
		t.Fatalf("ParseBuild(stamp) = %v, %v", stamp, err)
	}
	req = report.SubmitRequest{Period: "2026-Q1", At: at("2026-04-10 16:00"), LetterNo: "1", RegNo: "2", Media: "usb",
		Build: stamp.Add(time.Second)}
	_, err = report.Submit(ctx, h.svc, req)
	if msg := qoldau.MessageOf(err); qoldau.CodeOf(err) != qoldau.Invalid || !strings.Contains(msg.EN, "several report builds in the second 2026-04-06T05:00:01Z") ||
		!strings.Contains(msg.RU, "2026-Q1") || !strings.Contains(msg.KK, "2026-04-06T05:00:01Z") {
		t.Errorf("two builds in the second named = %v, want invalid, naming the period and second", err)
	}
	if _, err := report.ParseBuild("2026-04-06 10:00"); qoldau.CodeOf(err) != qoldau.Invalid ||
		!strings.Contains(qoldau.MessageOf(err).RU, "не время сборки отчёта и не задание на отчёт") {
		t.Errorf("ParseBuild of no build time = %v", err)
	}
	req.Build = stamp
	if res, err = report.Submit(ctx, h.svc, req); err != nil || !res.Build.Equal(stamp.Add(250*time.Millisecond)) {
		t.Errorf("the one build of the second named: %+v, %v", res, err)
	}
	subs, err := h.svc.Store.Submissions(ctx)
	builds := map[string]time.Time{}
	for _, s := range subs {
		builds[s.Period] = s.Build
	}
	if err != nil || len(subs) != 3 || !builds["2026-Q3"].Equal(at("2026-10-08 10:00")) ||
		!builds["2026-Q1"].Equal(stamp.Add(250*time.Millisecond)) {
		t.Errorf("stored submissions %+v, %v", subs, err)
	}
}
