package workflow_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// countingStore counts the reads of rows and acts that reach the store.
type countingStore struct {
	qoldau.Store
	rows, acts atomic.Int64
}

func (c *countingStore) Rows(ctx context.Context, p civil.Month, v int, fn func(*qoldau.Row) error) error {
	c.rows.Add(1)
	return c.Store.Rows(ctx, p, v, fn)
}

func (c *countingStore) Acts(ctx context.Context, fn func(*qoldau.Act) error) error {
	c.acts.Add(1)
	return c.Store.Acts(ctx, fn)
}

// TestStatusRecords: a status reads its period's stored record and no rows while
// nothing changed (whatever time it is: deadlines passing change no outcome), and
// never shows a stale one: a new counted version of another period, or acts
// imported, change the reconciliation of every period that shares acts with it.
func TestStatusRecords(t *testing.T) {
	h := newHarness(t)
	cs := &countingStore{Store: h.svc.Store}
	h.svc.Store = cs
	ctx := context.Background()
	aug, sep := month("2026-08"), month("2026-09")
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	row := func(num int, bin, service string, start, end civil.Date) qoldau.Row {
		return qoldau.Row{Num: num, Region: "751110000", Place: "centre", BinIIN: bin, Service: service, StartDate: start, EndDate: end,
			ClientKey: bin + "|1990-01-01", EnterpriseKey: bin}
	}
	put := func(p civil.Month, n int, received string, rows ...qoldau.Row) {
		t.Helper()
		v := &qoldau.Version{Period: p, Number: n, SHA256: p.String() + "-" + string(rune('0'+n)), Kind: "xlsx",
			Received: at(received), Recorded: at(received), Rows: qoldau.RowCounts{Read: len(rows), Accepted: len(rows)}}
		if err := cs.PutVersion(ctx, v, qoldau.RowsOf(rows)); err != nil {
			t.Fatal(err)
		}
	}
	act := func(number, bin, service string, d civil.Date) qoldau.Act {
		return qoldau.Act{Number: number, Date: d, BinIIN: bin, Service: service, ServiceDate: d, Confirmation: "eds", Source: "test", Line: 2}
	}
	// August's row A and September's row B (which began in August) can both take
	// act 1; A ends first, so it does. C, in September, has no act yet.
	const x, y = "900101400001", "900101400002"
	put(aug, 1, "2026-09-01 10:00", row(2, x, "consulting", civil.D(2026, 8, 1), civil.D(2026, 8, 20)))
	put(sep, 1, "2026-10-01 10:00", row(2, x, "consulting", civil.D(2026, 8, 15), civil.D(2026, 9, 5)),
		row(3, y, "consulting", civil.D(2026, 9, 10), civil.D(2026, 9, 10)))
	if _, err := cs.PutActs(ctx, []qoldau.Act{act("1", x, "consulting", civil.D(2026, 8, 18))}); err != nil {
		t.Fatal(err)
	}
	h.at("2026-10-02 10:00")
	check := func(step string, p civil.Month, want workflow.StatusRows) {
		t.Helper()
		st := h.status(p.String())
		if diff := cmp.Diff(want, st.Rows); diff != "" {
			t.Errorf("%s: %s rows (-want +got):\n%s", step, p, diff)
		}
	}
	check("first", sep, workflow.StatusRows{Received: 2, Unconfirmed: 2})
	check("first", aug, workflow.StatusRows{Received: 1, Confirmed: 1})

	// Nothing changes: no rows or acts are read again, however much time passes.
	rows, acts := cs.rows.Load(), cs.acts.Load()
	for _, now := range []string{"2026-10-02 11:00", "2026-12-30 18:00"} {
		h.at(now)
		check("unchanged at "+now, sep, workflow.StatusRows{Received: 2, Unconfirmed: 2})
	}
	if cs.rows.Load() != rows || cs.acts.Load() != acts {
		t.Errorf("statuses without a change read rows %d and acts %d times, want none", cs.rows.Load()-rows, cs.acts.Load()-acts)
	}

	// A correction of August (on time: counted) moves A to another service: act 1
	// is free for B, in September.
	put(aug, 2, "2026-09-01 12:00", row(2, x, "legal", civil.D(2026, 8, 1), civil.D(2026, 8, 20)))
	check("after August's correction", sep, workflow.StatusRows{Received: 2, Confirmed: 1, Unconfirmed: 1})
	check("after August's correction", aug, workflow.StatusRows{Received: 1, Unconfirmed: 1})

	// Acts imported for C.
	if _, err := cs.PutActs(ctx, []qoldau.Act{act("2", y, "consulting", civil.D(2026, 9, 10))}); err != nil {
		t.Fatal(err)
	}
	check("after the acts", sep, workflow.StatusRows{Received: 2, Confirmed: 2})
}
