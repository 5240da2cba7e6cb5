package workflow_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// harness is a workflow on an embedded store with a clock the test moves.
type harness struct {
	t   *testing.T
	dir string
	svc *workflow.Service
	now time.Time
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	return openHarness(t, dir)
}

func openHarness(t *testing.T, dir string) *harness {
	t.Helper()
	store, err := sqlite.Open(context.Background(), filepath.Join(dir, "qoldau.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return harnessOn(t, dir, store)
}

// harnessOn is a harness on store, with its files in dir.
func harnessOn(t *testing.T, dir string, store qoldau.Store) *harness {
	t.Helper()
	blobs, err := dirblob.New(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, dir: dir}
	h.svc = workflow.New(store, blobs)
	h.svc.Clock = func() time.Time { return h.now }
	return h
}

// at sets the clock to an Almaty wall time "2006-01-02 15:04".
func (h *harness) at(s string) time.Time {
	h.t.Helper()
	t, err := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
	if err != nil {
		h.t.Fatal(err)
	}
	h.now = t
	return t
}

func month(s string) civil.Month {
	m, err := civil.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// register writes a sample register and returns its path.
func (h *harness) register(period string, rows int, seed uint64, rate float64) string {
	h.t.Helper()
	p := filepath.Join(h.t.TempDir(), fmt.Sprintf("r-%s-%d-%v.xlsx", period, seed, rate))
	f, err := os.Create(p)
	if err != nil {
		h.t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if _, err := sample.Write(w, sample.Options{Period: month(period), Rows: rows, Seed: seed, ErrorRate: rate}); err != nil {
		h.t.Fatal(err)
	}
	w.Flush()
	f.Close()
	return p
}

func (h *harness) upload(period, path string) *workflow.UploadResult {
	h.t.Helper()
	res, err := h.svc.Upload(context.Background(), workflow.UploadRequest{Period: month(period), Path: path, Actor: "operator"})
	if err != nil {
		h.t.Fatal(err)
	}
	return res
}

func (h *harness) status(period string) *workflow.Status {
	h.t.Helper()
	st, err := h.svc.Status(context.Background(), month(period))
	if err != nil {
		h.t.Fatal(err)
	}
	return st
}

func intp(n int) *int { return &n }

// TestYear plays a year of registers: on time, late, missing, corrected in time,
// corrected late, a letter sent late, and a holiday-shifted due date.
func TestYear(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()

	// January 2026: on time (due Monday 2 February), clean.
	h.at("2026-02-02 17:30")
	r := h.upload("2026-01", h.register("2026-01", 50, 1, 0))
	if r.Late || r.Version != 1 || r.Letter != nil || r.Due != day("2026-02-02") {
		t.Fatalf("January: %+v", r)
	}

	// February: late. Due Monday 2 March; received Wednesday 4 March: 2 working days late.
	h.at("2026-03-04 09:00")
	r = h.upload("2026-02", h.register("2026-02", 50, 2, 0))
	st := h.status("2026-02")
	if !r.Late || !st.Late || st.CountedVersion != nil || st.WorkingDaysLate != 2 {
		t.Fatalf("February: late %v/%v counted %v working days late %d", r.Late, st.Late, st.CountedVersion, st.WorkingDaysLate)
	}
	if st.Rows.Received != 50 {
		t.Errorf("a late register still shows its rows: %+v", st.Rows)
	}

	// March: missing. Due 1 April; nothing by then.
	h.at("2026-04-02 10:00")
	if st := h.status("2026-03"); !st.Missing || len(st.Versions) != 0 {
		t.Fatalf("March: %+v", st)
	}

	// April: errors, a letter sent in time, corrected in time.
	h.at("2026-05-01 11:00") // 1 May is a holiday: due moves; received before anyway
	r = h.upload("2026-04", h.register("2026-04", 200, 4, 0.1))
	if r.Letter == nil || r.Late || r.Rows.Rejected == 0 {
		t.Fatalf("April v1: %+v", r)
	}
	ls, _ := h.svc.Letters(ctx, month("2026-04"))
	if len(ls) != 1 || ls[0].SendDue != h.svc.Cal.AddWorking(day("2026-05-01"), 1) {
		t.Fatalf("April letter: %+v", ls)
	}
	h.at("2026-05-04 16:00")
	lv, err := h.svc.Send(ctx, *r.Letter, workflow.SendRequest{Number: "07-1/1", Actor: "agency"})
	if err != nil {
		t.Fatal(err)
	}
	if lv.SentLate || lv.CorrectionDue != h.svc.Cal.AddWorking(day("2026-05-04"), 3) {
		t.Fatalf("April letter sent: %+v", lv)
	}
	h.at("2026-05-06 12:00")
	r2 := h.upload("2026-04", h.register("2026-04", 200, 4, 0))
	st = h.status("2026-04")
	if r2.Version != 2 || st.CountedVersion == nil || *st.CountedVersion != 2 || st.EffectiveDeadline != lv.CorrectionDue {
		t.Fatalf("April corrected in time: counted %v effective %v", st.CountedVersion, st.EffectiveDeadline)
	}
	d, err := h.svc.Diff(ctx, month("2026-04"), 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Errors.Fixed) == 0 || len(d.Errors.New) != 0 || len(d.Errors.Open) != 0 || len(d.Added)+len(d.Removed) != 0 {
		t.Errorf("April diff: %d fixed %d open %d new, %d added %d removed", len(d.Errors.Fixed), len(d.Errors.Open), len(d.Errors.New), len(d.Added), len(d.Removed))
	}

	// May: errors, letter sent, correction after the correction deadline: v1 counts.
	h.at("2026-06-01 10:00")
	r = h.upload("2026-05", h.register("2026-05", 100, 5, 0.2))
	h.at("2026-06-01 15:00")
	lv, err = h.svc.Send(ctx, *r.Letter, workflow.SendRequest{Number: "07-1/1", Actor: "agency"})
	if err != nil {
		t.Fatal(err)
	}
	h.at(lv.CorrectionDue.AddDays(1).String() + " 10:00")
	h.upload("2026-05", h.register("2026-05", 100, 5, 0))
	st = h.status("2026-05")
	if st.CountedVersion == nil || *st.CountedVersion != 1 || st.Late {
		t.Fatalf("May corrected late: counted %v late %v", st.CountedVersion, st.Late)
	}
	if st.Rows.Rejected == 0 {
		t.Errorf("May: rows still in error stay excluded: %+v", st.Rows)
	}

	// June: the agency sends its letter two working days after detection: late.
	h.at("2026-07-01 10:00")
	r = h.upload("2026-06", h.register("2026-06", 60, 6, 0.2))
	h.at("2026-07-03 09:00") // Friday: the deadline was Thursday 2 July
	ls, _ = h.svc.Letters(ctx, month("2026-06"))
	if !ls[0].Overdue {
		t.Errorf("June letter not flagged overdue before sending: %+v", ls[0])
	}
	lv, err = h.svc.Send(ctx, *r.Letter, workflow.SendRequest{Number: "07-1/1", Actor: "agency"})
	if err != nil {
		t.Fatal(err)
	}
	if !lv.SentLate {
		t.Errorf("June letter sent late not flagged: %+v", lv)
	}
	if _, err := h.svc.Send(ctx, *r.Letter, workflow.SendRequest{Number: "07-1/1", Actor: "agency"}); qoldau.CodeOf(err) != qoldau.Conflict {
		t.Errorf("second send: %v, want conflict", err)
	}
}

// TestDecember2024 is the holiday-shifted due date: 1-2 January 2025 are holidays,
// 3 January a transferred day off, 4 January a Saturday, and Sunday 5 January a
// working day by decree.
func TestDecember2024(t *testing.T) {
	h := newHarness(t)
	if got := h.svc.Due(month("2024-12")); got != day("2025-01-05") {
		t.Fatalf("due %v, want 2025-01-05", got)
	}
	h.at("2025-01-05 18:00")
	r := h.upload("2024-12", h.register("2024-12", 20, 9, 0))
	if r.Late {
		t.Errorf("received on the decree working day: late")
	}
	h2 := newHarness(t)
	h2.at("2025-01-06 09:00")
	h2.upload("2024-12", h2.register("2024-12", 20, 9, 0))
	st := h2.status("2024-12")
	if !st.Late || st.WorkingDaysLate != 1 {
		t.Errorf("received Monday 6 January: late %v by %d, want late by 1", st.Late, st.WorkingDaysLate)
	}
}

func TestUploadRules(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.at("2026-10-15 10:00")
	path := h.register("2026-09", 30, 3, 0)
	// A month after the current one is refused.
	if _, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-11"), Path: path}); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("future month: %v", err)
	}
	// The current month is accepted with a warning.
	r, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-10"), Path: h.register("2026-10", 5, 3, 0)})
	if err != nil || len(r.Warnings) != 1 {
		t.Errorf("current month: %v %+v", err, r)
	}
	// The same file twice: one version; an older version again: a new version.
	a := h.upload("2026-09", path)
	b := h.upload("2026-09", path)
	if a.Version != 1 || !b.Duplicate || b.Version != 1 {
		t.Fatalf("duplicate: %+v %+v", a, b)
	}
	other := h.register("2026-09", 30, 4, 0)
	c := h.upload("2026-09", other)
	d := h.upload("2026-09", path)
	if c.Version != 2 || d.Version != 3 || d.Duplicate || d.SHA256 != a.SHA256 {
		t.Fatalf("re-upload of an older version: %+v", d)
	}
	vs, _ := h.svc.Store.Versions(ctx, month("2026-09"))
	if len(vs) != 3 {
		t.Errorf("%d versions", len(vs))
	}
	// The original is kept unchanged under its hash.
	rc, err := h.svc.Blobs.Get(ctx, "uploads/"+a.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	// A backfilled receipt time is recorded and audited.
	rt := time.Date(2026, 9, 30, 10, 0, 0, 0, time.UTC)
	e, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-08"), Path: h.register("2026-08", 5, 5, 0), Received: rt})
	if err != nil || !e.Received.Equal(rt) || !e.Late {
		t.Errorf("backfill: %v %+v", err, e)
	}
	audit, _ := h.svc.Store.Audit(ctx, time.Time{}, 0)
	found := false
	for _, a := range audit {
		if a.Action == "upload" && a.Detail["backfill"] != "" {
			found = true
		}
	}
	if !found {
		t.Error("the audit log does not note the backfill")
	}
}

// TestConcurrentSameUpload: the same file uploaded at once by two processes (two
// store handles on one database) yields one version.
func TestConcurrentSameUpload(t *testing.T) {
	dir := t.TempDir()
	a, b := openHarness(t, dir), openHarness(t, dir)
	a.at("2026-10-01 10:00")
	b.at("2026-10-01 10:00")
	path := a.register("2026-09", 300, 8, 0.05)
	var wg sync.WaitGroup
	res := make([]*workflow.UploadResult, 2)
	errs := make([]error, 2)
	for i, h := range []*harness{a, b} {
		wg.Add(1)
		go func(i int, h *harness) {
			defer wg.Done()
			res[i], errs[i] = h.svc.Upload(context.Background(), workflow.UploadRequest{Period: month("2026-09"), Path: path})
		}(i, h)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	vs, _ := a.svc.Store.Versions(context.Background(), month("2026-09"))
	if len(vs) != 1 || res[0].Version != 1 || res[1].Version != 1 || res[0].Duplicate == res[1].Duplicate {
		t.Fatalf("versions %d; results %+v %+v", len(vs), res[0], res[1])
	}
	ls, _ := a.svc.Letters(context.Background(), 0)
	if len(ls) != 1 {
		t.Errorf("%d letters", len(ls))
	}
}

// TestActsReasons: acts confirm rows, and every unconfirmed reason is counted.
func TestActsReasons(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.at("2026-10-01 10:00")
	h.upload("2026-09", h.register("2026-09", 12, 11, 0))
	var rows []qoldau.Row
	h.svc.Store.Rows(ctx, month("2026-09"), 1, func(r *qoldau.Row) error { rows = append(rows, *r); return nil })
	other := "tax"
	var b strings.Builder
	b.WriteString("act_number;act_date;bin_iin;service;service_date;confirmation\n")
	line := func(n int, r qoldau.Row, service string, d civil.Date, conf string) {
		fmt.Fprintf(&b, "A-%d;%s;%s;%s;%s;%s\n", n, d.AddDays(1).DMY(), r.BinIIN, service, d.DMY(), conf)
	}
	// Offline rows of enterprises with one row each, so that an act meant for one
	// row cannot concern another.
	perBIN := map[string]int{}
	for _, r := range rows {
		perBIN[r.BinIIN]++
	}
	offline := []qoldau.Row{}
	for _, r := range rows {
		if !r.Online && perBIN[r.BinIIN] == 1 {
			offline = append(offline, r)
		}
	}
	if len(offline) < 5 {
		t.Fatalf("only %d offline rows", len(offline))
	}
	line(1, offline[0], offline[0].Service, offline[0].EndDate, "eds")             // confirmed
	line(2, offline[1], offline[1].Service, offline[1].EndDate, "none")            // unsigned
	line(3, offline[2], offline[2].Service, offline[2].EndDate.AddDays(40), "eds") // date-mismatch
	svc := other
	if offline[3].Service == other {
		svc = "legal"
	}
	line(4, offline[3], svc, offline[3].EndDate, "eds")                // service-mismatch
	line(5, offline[4], offline[4].Service, offline[4].EndDate, "2fa") // unsigned: 2fa for an offline service
	actsPath := filepath.Join(t.TempDir(), "acts.csv")
	os.WriteFile(actsPath, []byte(b.String()), 0o644)
	// An act dated after the file was received is an error of its line: received
	// on 1 October, the act 40 days on is refused (its act and service dates).
	early, err := h.svc.ImportActs(ctx, actsPath, "", time.Time{}, "agency")
	if err != nil || early.Added != 4 || early.Counts["future-date"] != 2 {
		t.Fatalf("import received before its act's date: %v %+v", err, early)
	}
	h.at("2026-11-20 10:00")
	res, err := h.svc.ImportActs(ctx, actsPath, "", time.Time{}, "agency")
	if err != nil || res.Added != 1 || res.Rejected != 0 {
		t.Fatalf("import: %v %+v", err, res)
	}
	again, err := h.svc.ImportActs(ctx, actsPath, "", time.Time{}, "agency")
	if err != nil || again.Added != 0 {
		t.Fatalf("second import added %d (%v)", again.Added, err)
	}
	st := h.status("2026-09")
	want := map[string]int{"no-act": len(rows) - 5, "unsigned": 2, "date-mismatch": 1, "service-mismatch": 1}
	if diff := cmp.Diff(want, st.UnconfirmedBy); diff != "" || st.Rows.Confirmed != 1 {
		t.Errorf("confirmed %d; by reason (-want +got):\n%s", st.Rows.Confirmed, diff)
	}
	if st.Rows.Received != st.Rows.Rejected+st.Rows.Unconfirmed+st.Rows.Confirmed {
		t.Errorf("rows do not add up: %+v", st.Rows)
	}
	// A file with a missing column is refused whole.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("act_number;act_date;bin_iin;service\nA-9;01.10.2026;123;tax\n"), 0o644)
	br, err := h.svc.ImportActs(ctx, bad, "", time.Time{}, "agency")
	if err != nil || !br.FileError || br.Added != 0 {
		t.Errorf("bad acts file: %v %+v", err, br)
	}
}

// TestWrongPeriod: a September register uploaded as December is refused with the
// month it is for, and nothing is stored (no version, no file, no letter); with
// Force it is stored, its rows out of period.
func TestWrongPeriod(t *testing.T) {
	h := newHarness(t)
	h.at("2027-01-05 10:00")
	reg := h.register("2026-09", 50, 4, 0)
	ctx := context.Background()
	_, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-12"), Path: reg, Actor: "operator"})
	if qoldau.CodeOf(err) != qoldau.Invalid {
		t.Fatalf("upload: %v, want refused", err)
	}
	msg := qoldau.MessageOf(err)
	for _, want := range []string{msg.EN, msg.RU, msg.KK} {
		if !strings.Contains(want, "2026-09") || !strings.Contains(want, "2026-12") || !strings.Contains(want, "50") {
			t.Errorf("message %q does not name both months and the count", want)
		}
	}
	if st := h.status("2026-12"); len(st.Versions) != 0 {
		t.Errorf("a refused upload stored versions %+v", st.Versions)
	}
	files, _ := filepath.Glob(filepath.Join(h.dir, "files", "uploads", "*"))
	if len(files) != 0 {
		t.Errorf("a refused upload kept files %v", files)
	}
	res, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-12"), Path: reg, Actor: "operator", Force: true})
	if err != nil || res.Version != 1 || res.Counts["out-of-period"] != 50 || res.Letter == nil {
		t.Fatalf("forced upload: %v %+v", err, res)
	}
	if files, _ := filepath.Glob(filepath.Join(h.dir, "files", "uploads", "*")); len(files) != 1 {
		t.Errorf("a forced upload keeps its file: %v", files)
	}
	// The right period, or a register half in it, is not refused.
	if _, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-09"), Path: reg, Actor: "operator"}); err != nil {
		t.Errorf("right period: %v", err)
	}
}
