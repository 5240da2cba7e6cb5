package telegram_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
)

// TestReminders: one reminder to a client who did not start within 3 days, one to
// a client who started and did not finish within 2 days, none at night, none
// twice, at most two per invitation; new services of a linked client are offered
// once.
func TestReminders(t *testing.T) {
	h := newHarness(t)
	e := fakeapi.User{ID: userE, Lang: "en"}
	a := fakeapi.User{ID: userA, Lang: "en"}
	h.text(e, "/start "+h.tokens["E"])
	h.tap(e, "l|en")
	h.text(a, "/start "+h.tokens["A"])
	h.tap(a, "l|en")
	h.tap(a, "a|dont_remember")
	h.tap(a, "s")
	h.tap(a, "a|dont_remember")
	h.tap(a, "s") // A is done

	at := func(s string) time.Time {
		t.Helper()
		x, err := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	type got struct{ Reminded, Offered int }
	tick := func(when string, want got) {
		t.Helper()
		h.setNow(at(when))
		res, err := h.bot.RemindTick(context.Background(), h.clock())
		if err != nil {
			t.Fatal(err)
		}
		h.api.Note("reminder tick: %d reminded, %d offered", res.Reminded, res.Offered)
		if diff := cmp.Diff(want, got{res.Reminded, res.Offered}); diff != "" {
			t.Errorf("tick at %s (-want +got):\n%s", when, diff)
		}
	}
	tick("2026-10-08 10:00", got{})     // 2 days: too early
	tick("2026-10-09 22:00", got{})     // 3.5 days, but night
	tick("2026-10-10 08:59", got{})     // still night
	tick("2026-10-10 09:00", got{1, 0}) // the "not started" reminder
	tick("2026-10-10 09:30", got{})     // never twice
	h.tap(e, "a|yes")                   // starts on Saturday 09:30
	tick("2026-10-12 09:29", got{})     // not yet 2 days
	tick("2026-10-12 09:31", got{1, 0}) // the "not finished" reminder
	tick("2026-10-14 12:00", got{})     // two per invitation at most

	// A new register month brings A a new service: offered once, by day.
	r := clients["A"].rows[0]
	r.Num, r.Service, r.EndDate, r.StartDate = 2, "tax", civil.D(2026, 10, 12), civil.D(2026, 10, 12)
	oct := civil.MonthOf(2026, time.October)
	v := &qoldau.Version{Period: oct, Number: 1, SHA256: "oct", Kind: "xlsx", Received: at("2026-10-13 09:00"),
		Recorded: time.Now(), Rows: qoldau.RowCounts{Read: 1, Accepted: 1}, RowCount: 1}
	if err := h.store.PutVersion(context.Background(), v, qoldau.RowsOf([]qoldau.Row{r})); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.admin.Sync(context.Background(), oct); err != nil {
		t.Fatal(err)
	}
	tick("2026-10-14 23:00", got{})     // night
	tick("2026-10-15 10:00", got{0, 1}) // offered
	tick("2026-10-15 11:00", got{})
	h.stopBot()
	h.checkPrivacy(map[int64]string{userE: "E", userA: "A"})
	h.golden("reminders")
}
