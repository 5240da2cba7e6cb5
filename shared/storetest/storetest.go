// Package storetest is the contract of qoldau.Store and qoldau.Blobs: one suite that
// every implementation's tests run, so the embedded default and DynamoDB (or a local
// folder and S3) behave alike.
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) qoldau.Store { … a fresh, empty store … })
//	}
//
// open must return a new empty store for each call and arrange its closing with
// t.Cleanup. No test data is personal: names, IINs and phones are made up.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// almaty is UTC+5 without the host's tz database: stores may give times back in
// UTC, and the suite compares them with time.Time.Equal (cmp does).
var almaty = time.FixedZone("Asia/Almaty", 5*3600)

// equateEmpty: a store may give back nil for an empty map or list and the reverse.
var equateEmpty = cmpopts.EquateEmpty()

// Run runs the Store contract; open returns a fresh, empty store for each subtest.
func Run(t *testing.T, open func(t *testing.T) qoldau.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s qoldau.Store)
	}{
		{"VersionRoundTrip", testVersionRoundTrip},
		{"VersionsOrder", testVersionsOrder},
		{"Periods", testPeriods},
		{"RowsOrderAndStop", testRowsOrder},
		{"RowsNotFound", testRowsNotFound},
		{"PutVersionConflict", testPutVersionConflict},
		{"PutVersionRace", testPutVersionRace},
		{"Letters", testLetters},
		{"LettersList", testLettersList},
		{"Acts", testActs},
		{"Audit", testAudit},
		{"Claim", testClaim},
		{"ClaimRace", testClaimRace},
		{"Release", testRelease},
		{"InputsRevision", testInputsRevision},
		{"PeriodRecords", testPeriodRecords},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

func ctx(t *testing.T) context.Context {
	t.Helper()
	return t.Context()
}

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, err error, code qoldau.ErrorCode) {
	t.Helper()
	if got := qoldau.CodeOf(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// must fails the test on a non-nil error.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func month(y int, m time.Month) civil.Month { return civil.MonthOf(y, m) }

// Version returns a version of period with number n, every field set.
func Version(period civil.Month, n int) *qoldau.Version {
	return &qoldau.Version{
		Period:    period,
		Number:    n,
		SHA256:    fmt.Sprintf("%064x", n*7919+int(period)),
		FileName:  fmt.Sprintf("Реестр %s v%d.xlsx", period, n),
		Size:      123456 + int64(n),
		Kind:      "xlsx",
		Received:  time.Date(2026, 10, 1, 9, 30, 15, 123456789, almaty),
		Recorded:  time.Date(2026, 10, 1, 4, 30, 16, 0, time.UTC),
		Backfill:  n%2 == 0,
		FileError: false,
		Rows:      qoldau.RowCounts{Read: 3, Accepted: 2, Rejected: 1, Warned: 1},
		Counts:    map[string]int{"iin-checksum": 1, "phone-format": 2},
		RowCount:  3,
		Actor:     "operator@example.kz",
	}
}

// Rows returns n rows with every field set (a few left zero, as after a failed
// parse), their Num starting at 2 as in a workbook with one header row.
func Rows(n int) []qoldau.Row {
	rows := make([]qoldau.Row, n)
	for i := range rows {
		r := &rows[i]
		*r = qoldau.Row{
			Num:           i + 2,
			Region:        "751110000",
			Settlement:    "Алматы қ.",
			Place:         "centre",
			Centre:        "ЦОП №3",
			Enterprise:    fmt.Sprintf("ТОО «Пример %d»", i),
			ClientName:    "Тестова Айгүл Серікқызы",
			BinIIN:        fmt.Sprintf("%012d", 900101400000+i),
			Gender:        "female",
			BirthDate:     civil.D(1990, time.January, 1+i%28),
			Age:           36,
			Disability:    i%5 == 0,
			LegalForm:     "too",
			Category:      "small",
			OKEDSection:   "G",
			OKEDCode:      "47190",
			Service:       "consulting",
			Subtype:       "",
			Manager:       "Менеджер Тест",
			StartDate:     civil.D(2026, time.September, 1),
			EndDate:       civil.D(2026, time.September, 1+i%30),
			WorkPhone:     "+77270000000",
			Mobile:        "+77010000000",
			Email:         "client@example.kz",
			Online:        i%3 == 0,
			ClientKey:     "тестова айгүл серікқызы|1990-01-01",
			EnterpriseKey: fmt.Sprintf("%012d", 900101400000+i),
			Errors:        i % 2,
			Warnings:      i % 3,
		}
		switch i % 4 {
		case 0:
			r.Codes = []string{"iin-checksum", "phone-format"}
		case 1:
			r.Subtype = "online-course"
			r.Codes = []string{"age-mismatch"}
		case 2:
			r.BirthDate = 0 // did not parse
			r.EndDate = 0
		}
	}
	return rows
}

// collect reads a version's rows.
func collect(t *testing.T, s qoldau.Store, p civil.Month, v int) []qoldau.Row {
	t.Helper()
	var got []qoldau.Row
	must(t, s.Rows(ctx(t), p, v, func(r *qoldau.Row) error {
		got = append(got, *r)
		return nil
	}))
	return got
}

func testVersionRoundTrip(t *testing.T, s qoldau.Store) {
	p := month(2026, time.September)
	v1 := Version(p, 1)
	rows := Rows(7)
	must(t, s.PutVersion(ctx(t), v1, qoldau.RowsOf(rows)))

	// A version with no rows (an unreadable file) and nil maps.
	v2 := &qoldau.Version{Period: p, Number: 2, SHA256: "ab", Kind: "", FileError: true,
		Received: time.Date(2026, 10, 2, 0, 0, 0, 0, almaty), Recorded: time.Date(2026, 10, 1, 19, 0, 0, 1, time.UTC)}
	must(t, s.PutVersion(ctx(t), v2, nil))

	got, err := s.Versions(ctx(t), p)
	must(t, err)
	if diff := cmp.Diff([]qoldau.Version{*v1, *v2}, got, equateEmpty); diff != "" {
		t.Errorf("Versions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(rows, collect(t, s, p, 1), equateEmpty); diff != "" {
		t.Errorf("Rows (-want +got):\n%s", diff)
	}
	if got := collect(t, s, p, 2); len(got) != 0 {
		t.Errorf("Rows of an empty version: %d rows, want 0", len(got))
	}
}

func testVersionsOrder(t *testing.T, s qoldau.Store) {
	p := month(2026, time.October)
	got, err := s.Versions(ctx(t), p)
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("Versions of an empty period = %d, want 0", len(got))
	}
	for _, n := range []int{3, 1, 10, 2} {
		must(t, s.PutVersion(ctx(t), Version(p, n), qoldau.RowsOf(Rows(1))))
	}
	must(t, s.PutVersion(ctx(t), Version(p.Add(1), 4), nil)) // another period
	got, err = s.Versions(ctx(t), p)
	must(t, err)
	var nums []int
	for _, v := range got {
		nums = append(nums, v.Number)
		if v.Period != p {
			t.Errorf("version %d has period %s, want %s", v.Number, v.Period, p)
		}
	}
	if diff := cmp.Diff([]int{1, 2, 3, 10}, nums); diff != "" {
		t.Errorf("version numbers (-want +got):\n%s", diff)
	}
}

func testPeriods(t *testing.T, s qoldau.Store) {
	got, err := s.Periods(ctx(t))
	must(t, err)
	if len(got) != 0 {
		t.Fatalf("Periods of an empty store = %v, want none", got)
	}
	ps := []civil.Month{month(2026, time.March), month(2025, time.December), month(2026, time.January), month(2026, time.March)}
	for i, p := range ps {
		must(t, s.PutVersion(ctx(t), Version(p, i+1), nil))
	}
	got, err = s.Periods(ctx(t))
	must(t, err)
	want := []civil.Month{month(2025, time.December), month(2026, time.January), month(2026, time.March)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Periods (-want +got):\n%s", diff)
	}
}

func testRowsOrder(t *testing.T, s qoldau.Store) {
	p := month(2026, time.November)
	// Enough rows to need more than one page of a paginated read (DynamoDB: 1 MB).
	rows := Rows(2500)
	rows[10].Num, rows[11].Num = rows[11].Num, rows[10].Num // order is the stored order
	must(t, s.PutVersion(ctx(t), Version(p, 1), qoldau.RowsOf(rows)))
	got := collect(t, s, p, 1)
	if len(got) != len(rows) {
		t.Fatalf("Rows gave %d rows, want %d", len(got), len(rows))
	}
	for i := range rows {
		if diff := cmp.Diff(rows[i], got[i], equateEmpty); diff != "" {
			t.Fatalf("row %d (-want +got):\n%s", i, diff)
		}
	}

	stop := errors.New("stop")
	calls := 0
	err := s.Rows(ctx(t), p, 1, func(*qoldau.Row) error {
		calls++
		if calls == 5 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Errorf("Rows returned %v, want the callback's error", err)
	}
	if calls != 5 {
		t.Errorf("callback ran %d times after stopping at 5", calls)
	}
}

func testRowsNotFound(t *testing.T, s qoldau.Store) {
	p := month(2026, time.May)
	must(t, s.PutVersion(ctx(t), Version(p, 1), qoldau.RowsOf(Rows(2))))
	tests := []struct {
		name    string
		period  civil.Month
		version int
	}{
		{"unknown version", p, 2},
		{"unknown period", p.Add(1), 1},
		{"version zero", p, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			err := s.Rows(ctx(t), tt.period, tt.version, func(*qoldau.Row) error { called = true; return nil })
			wantCode(t, err, qoldau.NotFound)
			if called {
				t.Error("callback called for a missing version")
			}
		})
	}
}

func testPutVersionConflict(t *testing.T, s qoldau.Store) {
	p := month(2026, time.June)
	first := Version(p, 1)
	must(t, s.PutVersion(ctx(t), first, qoldau.RowsOf(Rows(3))))
	second := Version(p, 1)
	second.SHA256 = "other"
	err := s.PutVersion(ctx(t), second, qoldau.RowsOf(Rows(5)))
	wantCode(t, err, qoldau.Conflict)

	got, err := s.Versions(ctx(t), p)
	must(t, err)
	if diff := cmp.Diff([]qoldau.Version{*first}, got, equateEmpty); diff != "" {
		t.Errorf("after a conflict, Versions (-want +got):\n%s", diff)
	}
	if n := len(collect(t, s, p, 1)); n != 3 {
		t.Errorf("after a conflict, the first version has %d rows, want 3", n)
	}
	wantCode(t, s.PutVersion(ctx(t), Version(p, 0), nil), qoldau.Invalid)
}

func testPutVersionRace(t *testing.T, s qoldau.Store) {
	p := month(2026, time.July)
	const n = 4
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := Version(p, 1)
			v.SHA256 = fmt.Sprintf("racer-%d", i)
			v.RowCount = 50 + i
			<-start
			errs[i] = s.PutVersion(context.WithoutCancel(ctx(t)), v, qoldau.RowsOf(Rows(50+i)))
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch qoldau.CodeOf(err) {
		case "":
			if winner >= 0 {
				t.Fatalf("racers %d and %d both stored version 1", winner, i)
			}
			winner = i
		case qoldau.Conflict:
		default:
			t.Fatalf("racer %d: %v, want nil or a conflict", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no racer stored version 1")
	}
	got, err := s.Versions(ctx(t), p)
	must(t, err)
	if len(got) != 1 || got[0].SHA256 != fmt.Sprintf("racer-%d", winner) {
		t.Fatalf("stored versions = %+v, want the winner's (racer %d)", got, winner)
	}
	if diff := cmp.Diff(Rows(50+winner), collect(t, s, p, 1), equateEmpty); diff != "" {
		t.Errorf("rows are not the winner's (-want +got):\n%s", diff)
	}
}

// Letter returns a draft letter for version n of period.
func Letter(period civil.Month, n int) *qoldau.Letter {
	return &qoldau.Letter{
		ID:      fmt.Sprintf("%s-v%d", period, n),
		Period:  period,
		Version: n,
		Drafted: time.Date(2026, 10, 2, 10, 0, 0, 0, almaty),
		SendDue: civil.D(2026, time.October, 5),
		Errors:  map[string]int{"iin-checksum": 2},
		Files:   map[string]string{"docx": "letters/" + period.String() + ".docx", "pdf": "letters/x.pdf"},
	}
}

func testLetters(t *testing.T, s qoldau.Store) {
	p := month(2026, time.September)
	l := Letter(p, 1)
	must(t, s.PutLetter(ctx(t), l))
	wantCode(t, s.PutLetter(ctx(t), Letter(p, 1)), qoldau.Conflict)

	got, err := s.Letter(ctx(t), l.ID)
	must(t, err)
	if diff := cmp.Diff(l, got, equateEmpty); diff != "" {
		t.Errorf("Letter (-want +got):\n%s", diff)
	}
	if got.IsSent() {
		t.Error("a draft reads as sent")
	}
	_, err = s.Letter(ctx(t), "2026-09-v9")
	wantCode(t, err, qoldau.NotFound)
	_, err = s.SendLetter(ctx(t), "2026-09-v9", qoldau.Sending{At: time.Now(), By: "agency", CorrectionDue: civil.D(2026, 10, 8)})
	wantCode(t, err, qoldau.NotFound)

	// A sending a store could not read back is refused before anything is written
	// (the DynamoDB store once wrote it and answered an error).
	for _, bad := range []qoldau.Sending{
		{Number: "x", At: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), CorrectionDue: civil.D(10000, time.January, 5)},
		{Number: "x", At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), CorrectionDue: civil.D(2026, 10, 8)},
		{Number: "x", At: time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC), Received: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		_, err = s.SendLetter(ctx(t), l.ID, bad)
		wantCode(t, err, qoldau.Invalid)
	}
	got, err = s.Letter(ctx(t), l.ID)
	must(t, err)
	if got.IsSent() {
		t.Errorf("a refused sending was written: %+v", got)
	}

	sent := time.Date(2026, 10, 3, 11, 15, 0, 0, almaty)
	received := time.Date(2026, 10, 5, 9, 0, 0, 0, almaty)
	due := civil.D(2026, time.October, 8)
	want := *l
	want.Sent, want.SentBy, want.CorrectionDue, want.Number, want.Received = sent, "agency@example.kz", due, "07-1/245", received
	got, err = s.SendLetter(ctx(t), l.ID, qoldau.Sending{Number: "07-1/245", At: sent, Received: received,
		By: "agency@example.kz", CorrectionDue: due})
	must(t, err)
	if diff := cmp.Diff(&want, got, equateEmpty); diff != "" {
		t.Errorf("SendLetter (-want +got):\n%s", diff)
	}

	_, err = s.SendLetter(ctx(t), l.ID, qoldau.Sending{Number: "2", At: sent.Add(time.Hour), By: "someone-else", CorrectionDue: due.AddDays(1)})
	wantCode(t, err, qoldau.Conflict)
	got, err = s.Letter(ctx(t), l.ID)
	must(t, err)
	if diff := cmp.Diff(&want, got, equateEmpty); diff != "" {
		t.Errorf("after a second send, the first should stand (-want +got):\n%s", diff)
	}

	// The extremes a store keeps read back: a letter sent at the last instant of
	// the year 9999, received when sent, due that day.
	l2 := Letter(p, 2)
	must(t, s.PutLetter(ctx(t), l2))
	last := time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
	want2 := *l2
	want2.Sent, want2.CorrectionDue, want2.Number = last, civil.D(9999, time.December, 31), "№ 1"
	_, err = s.SendLetter(ctx(t), l2.ID, qoldau.Sending{Number: "№ 1", At: last, CorrectionDue: want2.CorrectionDue})
	must(t, err)
	ls, err := s.Letters(ctx(t), p)
	must(t, err)
	if len(ls) != 2 {
		t.Fatalf("Letters: %d, want 2", len(ls))
	}
	if diff := cmp.Diff(want2, ls[1], equateEmpty); diff != "" {
		t.Errorf("a letter sent at the year 9999's end (-want +got):\n%s", diff)
	}
}

func testLettersList(t *testing.T, s qoldau.Store) {
	p1, p2 := month(2026, time.August), month(2026, time.September)
	for _, l := range []*qoldau.Letter{Letter(p2, 1), Letter(p1, 3), Letter(p1, 1), Letter(p1, 2)} {
		must(t, s.PutLetter(ctx(t), l))
	}
	ids := func(ls []qoldau.Letter) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}
	tests := []struct {
		period civil.Month
		want   []string
	}{
		{p1, []string{"2026-08-v1", "2026-08-v2", "2026-08-v3"}},
		{p2, []string{"2026-09-v1"}},
		{month(2026, time.July), nil},
		{0, []string{"2026-08-v1", "2026-08-v2", "2026-08-v3", "2026-09-v1"}},
	}
	for _, tt := range tests {
		got, err := s.Letters(ctx(t), tt.period)
		must(t, err)
		if diff := cmp.Diff(tt.want, ids(got), equateEmpty); diff != "" {
			t.Errorf("Letters(%v) (-want +got):\n%s", tt.period, diff)
		}
	}
	got, err := s.Letters(ctx(t), p2)
	must(t, err)
	if diff := cmp.Diff([]qoldau.Letter{*Letter(p2, 1)}, got, equateEmpty); diff != "" {
		t.Errorf("Letters content (-want +got):\n%s", diff)
	}
}

func act(number, bin, service, subtype string, day int, source string, line int) qoldau.Act {
	return qoldau.Act{
		Number: number, Date: civil.D(2026, time.September, day+1), BinIIN: bin, Service: service,
		Subtype: subtype, ServiceDate: civil.D(2026, time.September, day), Confirmation: "eds",
		Source: source, Line: line,
	}
}

func testActs(t *testing.T, s qoldau.Store) {
	a := act("A-2", "900101400001", "consulting", "", 3, "file1", 2)
	b := act("A-1", "900101400002", "training", "online-course", 4, "file1", 3)
	c := act("A-1", "900101400001", "consulting", "", 5, "file1", 4)
	dupA := a
	dupA.Source, dupA.Line = "file2", 9 // same Key, another file

	steps := []struct {
		name  string
		acts  []qoldau.Act
		added int
	}{
		{"first import", []qoldau.Act{a, b, c, dupA}, 3},
		{"same import again", []qoldau.Act{a, b, c}, 0},
		{"empty", nil, 0},
	}
	for _, st := range steps {
		added, err := s.PutActs(ctx(t), st.acts)
		must(t, err)
		if added != st.added {
			t.Errorf("%s: added %d, want %d", st.name, added, st.added)
		}
	}
	// Enough new lines for several batches, mixed with known ones.
	var more []qoldau.Act
	for i := range 60 {
		more = append(more, act(fmt.Sprintf("B-%03d", i), "900101400003", "consulting", "", 1+i%28, "file3", i+2))
	}
	added, err := s.PutActs(ctx(t), append([]qoldau.Act{c, a}, more...))
	must(t, err)
	if added != len(more) {
		t.Errorf("mixed import: added %d, want %d", added, len(more))
	}

	var got []qoldau.Act
	must(t, s.Acts(ctx(t), func(a *qoldau.Act) error { got = append(got, *a); return nil }))
	if len(got) != 3+len(more) {
		t.Fatalf("Acts gave %d lines, want %d", len(got), 3+len(more))
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].Key() >= got[i].Key() {
			t.Fatalf("Acts not ordered by Key at %d", i)
		}
	}
	byKey := map[string]qoldau.Act{}
	for _, a := range got {
		byKey[a.Key()] = a
	}
	for _, want := range append([]qoldau.Act{a, b, c}, more...) {
		if diff := cmp.Diff(want, byKey[want.Key()]); diff != "" {
			t.Errorf("act %s (-want +got):\n%s", want.Number, diff)
		}
	}
	stop := errors.New("stop")
	if err := s.Acts(ctx(t), func(*qoldau.Act) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Acts returned %v, want the callback's error", err)
	}
}

func testAudit(t *testing.T, s qoldau.Store) {
	t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, almaty)
	var entries []qoldau.AuditEntry
	for i := range 6 {
		e := qoldau.AuditEntry{
			Time:    t0.Add(time.Duration(i) * time.Minute),
			Actor:   fmt.Sprintf("user%d", i%2),
			Action:  "upload",
			Subject: fmt.Sprintf("register 2026-09 v%d", i+1),
		}
		if i%2 == 0 {
			e.Time = e.Time.UTC()
			e.Detail = map[string]string{"sha256": "abc", "rows": fmt.Sprint(i)}
		}
		entries = append(entries, e)
	}
	// Appended out of order: the log is ordered by time.
	for _, i := range []int{0, 2, 1, 3, 5, 4} {
		must(t, s.Append(ctx(t), entries[i]))
	}
	tests := []struct {
		name  string
		since time.Time
		limit int
		want  []qoldau.AuditEntry
	}{
		{"all", time.Time{}, 0, entries},
		{"since, inclusive", entries[2].Time, 0, entries[2:]},
		{"since between", entries[2].Time.Add(time.Second), 0, entries[3:]},
		{"limit", time.Time{}, 2, entries[:2]},
		{"since and limit", entries[1].Time, 3, entries[1:4]},
		{"future", t0.Add(time.Hour), 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Audit(ctx(t), tt.since, tt.limit)
			must(t, err)
			if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
				t.Errorf("Audit (-want +got):\n%s", diff)
			}
		})
	}
}

func testClaim(t *testing.T, s qoldau.Store) {
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, almaty)
	steps := []struct {
		key  string
		at   time.Time
		want bool
	}{
		{"remind:2026-09:due-3", at, true},
		{"remind:2026-09:due-3", at, false},
		{"remind:2026-09:due-3", at.Add(48 * time.Hour), false},
		{"remind:2026-09:due-1", at, true},
	}
	for i, st := range steps {
		got, err := s.Claim(ctx(t), st.key, st.at)
		must(t, err)
		if got != st.want {
			t.Errorf("step %d: Claim(%q) = %v, want %v", i, st.key, got, st.want)
		}
	}
}

func testClaimRace(t *testing.T, s qoldau.Store) {
	const n = 8
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
		errs []error
	)
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ok, err := s.Claim(context.WithoutCancel(ctx(t)), "letter-sent:2026-09-v1", time.Now())
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if ok {
				wins++
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("Claim errors: %v", errs)
	}
	if wins != 1 {
		t.Errorf("%d goroutines won the claim, want 1", wins)
	}
}
