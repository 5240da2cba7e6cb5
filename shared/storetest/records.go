package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// testInputsRevision: every change of a period record's inputs raises the
// revision; a refused write leaves it.
func testInputsRevision(t *testing.T, s qoldau.Store) {
	p := month(2026, time.September)
	last, err := s.InputsRevision(ctx(t))
	must(t, err)
	raised := func(what string) {
		t.Helper()
		rev, err := s.InputsRevision(ctx(t))
		must(t, err)
		if rev <= last {
			t.Errorf("%s: revision %d, want more than %d", what, rev, last)
		}
		last = rev
	}
	same := func(what string) {
		t.Helper()
		rev, err := s.InputsRevision(ctx(t))
		must(t, err)
		if rev != last {
			t.Errorf("%s: revision %d, want %d (unchanged)", what, rev, last)
		}
	}
	must(t, s.PutVersion(ctx(t), Version(p, 1), qoldau.RowsOf(Rows(3))))
	raised("PutVersion")
	wantCode(t, s.PutVersion(ctx(t), Version(p, 1), qoldau.RowsOf(Rows(3))), qoldau.Conflict)
	same("PutVersion refused")
	must(t, s.PutLetter(ctx(t), Letter(p, 1)))
	raised("PutLetter")
	wantCode(t, s.PutLetter(ctx(t), Letter(p, 1)), qoldau.Conflict)
	same("PutLetter refused")
	odd := Letter(p, 2)
	odd.ID = "letter-2"
	wantCode(t, s.PutLetter(ctx(t), odd), qoldau.Invalid) // an ID begins with its period
	same("PutLetter of an ID without the period")
	_, err = s.SendLetter(ctx(t), Letter(p, 1).ID, qoldau.Sending{At: time.Date(2026, 10, 5, 10, 0, 0, 0, almaty), By: "agency"})
	must(t, err)
	raised("SendLetter")
	_, err = s.SendLetter(ctx(t), Letter(p, 1).ID, qoldau.Sending{At: time.Date(2026, 10, 5, 11, 0, 0, 0, almaty), By: "agency"})
	wantCode(t, err, qoldau.Conflict)
	same("SendLetter refused")
	acts := []qoldau.Act{act("A-1", "900101400000", "tax", "", 3, "src", 2)}
	_, err = s.PutActs(ctx(t), acts)
	must(t, err)
	raised("PutActs")
	n, err := s.PutActs(ctx(t), acts)
	must(t, err)
	if n != 0 {
		t.Fatalf("PutActs of a stored line added %d", n)
	}
	raised("PutActs adding nothing (a retried import)")
}

// testRelease: a released claim may be claimed again; releasing an unknown key
// does nothing.
func testRelease(t *testing.T, s qoldau.Store) {
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, almaty)
	for i, want := range []bool{true, false} {
		ok, err := s.Claim(ctx(t), "remind/telegram/due/2026-09/d-3", at)
		must(t, err)
		if ok != want {
			t.Fatalf("Claim %d = %v, want %v", i+1, ok, want)
		}
	}
	must(t, s.Release(ctx(t), "remind/telegram/due/2026-09/d-3"))
	must(t, s.Release(ctx(t), "never-claimed"))
	ok, err := s.Claim(ctx(t), "remind/telegram/due/2026-09/d-3", at.Add(time.Hour))
	must(t, err)
	if !ok {
		t.Error("Claim after Release = false, want true")
	}
}

// testPeriodRecords: records round-trip with the current revision, and a record of
// a later revision stands.
func testPeriodRecords(t *testing.T, s qoldau.Store) {
	p, q := month(2026, time.September), month(2026, time.October)
	rec, rev, err := s.PeriodRecord(ctx(t), p)
	must(t, err)
	if rec != nil {
		t.Fatalf("PeriodRecord of an empty store = %+v", rec)
	}
	must(t, s.PutVersion(ctx(t), Version(p, 1), qoldau.RowsOf(Rows(3))))
	_, rev2, err := s.PeriodRecord(ctx(t), p)
	must(t, err)
	if rev2 <= rev {
		t.Fatalf("PeriodRecord's revision %d after PutVersion, want more than %d", rev2, rev)
	}
	r5 := qoldau.PeriodRecord{Period: p, Revision: 5, Computed: time.Date(2026, 10, 2, 4, 0, 0, 0, time.UTC),
		Versions: []qoldau.Version{*Version(p, 1)}, Letters: []qoldau.Letter{*Letter(p, 1)}, Shown: 1,
		Outcomes: map[string]int{"confirmed": 2, "no-act": 1}}
	other := qoldau.PeriodRecord{Period: q, Revision: 5}
	must(t, s.PutPeriodRecords(ctx(t), []qoldau.PeriodRecord{r5, other}))
	older := r5
	older.Revision, older.Outcomes = 4, map[string]int{"rejected": 3}
	must(t, s.PutPeriodRecords(ctx(t), []qoldau.PeriodRecord{older}))
	got, rev3, err := s.PeriodRecord(ctx(t), p)
	must(t, err)
	if rev3 != rev2 {
		t.Errorf("revision %d, want %d: storing records is no input change", rev3, rev2)
	}
	if diff := cmp.Diff(&r5, got, equateEmpty); diff != "" {
		t.Errorf("record after an older one was put (-want +got):\n%s", diff)
	}
	newer := r5
	newer.Revision, newer.Shown = 6, 0
	must(t, s.PutPeriodRecords(ctx(t), []qoldau.PeriodRecord{newer}))
	got, _, err = s.PeriodRecord(ctx(t), p)
	must(t, err)
	if diff := cmp.Diff(&newer, got, equateEmpty); diff != "" {
		t.Errorf("record after a newer one was put (-want +got):\n%s", diff)
	}
	got, _, err = s.PeriodRecord(ctx(t), q)
	must(t, err)
	if diff := cmp.Diff(&other, got, equateEmpty); diff != "" {
		t.Errorf("the other period's record (-want +got):\n%s", diff)
	}
}
