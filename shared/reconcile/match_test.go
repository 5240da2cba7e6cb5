package reconcile

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
)

// act is an act line for the matching tests: number, enterprise, service, subtype,
// service date (October 2026) and confirmation.
func act(num, bin, svc, sub string, d int, conf string) qoldau.Act {
	return qoldau.Act{Number: num, Date: day(d), BinIIN: bin, Service: svc, Subtype: sub, ServiceDate: day(d), Confirmation: conf}
}

// row is a register row from day start to day end of October 2026.
func row(bin, svc, sub string, start, end int, online bool) RowRef {
	return RowRef{BinIIN: bin, Service: svc, Subtype: sub, Start: day(start), End: day(end), Online: online}
}

func ok(i int) Result         { return Result{Act: i} }
func why(r string) Result     { return Result{Act: -1, Reason: r} }
func offline(s, e int) RowRef { return row("B1", "tax", "", s, e, false) }

func TestMatch(t *testing.T) {
	tests := []struct {
		name string
		rows []RowRef
		acts []qoldau.Act
		want []Result
	}{
		{name: "no acts at all", rows: []RowRef{offline(1, 10)}, want: []Result{why(ReasonNoAct)}},
		{name: "confirmed by the one act", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "eds")}, want: []Result{ok(0)}},
		{name: "range is inclusive at both ends", rows: []RowRef{offline(5, 10), offline(5, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "eds"), act("2", "B1", "tax", "", 10, "eds")},
			want: []Result{ok(1), ok(0)}},
		{name: "an act on the end date wins over one nearer before", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 9, "eds"), act("2", "B1", "tax", "", 10, "eds"), act("3", "B1", "tax", "", 11, "eds")},
			want: []Result{ok(1)}},
		{name: "else the nearest before the end", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 3, "eds"), act("2", "B1", "tax", "", 8, "eds"), act("3", "B1", "tax", "", 12, "eds")},
			want: []Result{ok(1)}},
		{name: "ties by act number, compared as numbers", rows: []RowRef{offline(1, 10), offline(1, 10), offline(1, 10)},
			acts: []qoldau.Act{act("10", "B1", "tax", "", 8, "eds"), act("9", "B1", "tax", "", 8, "eds"), act("11", "B1", "tax", "", 8, "eds")},
			want: []Result{ok(1), ok(0), ok(2)}},
		{name: "ties by number with a prefix", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("А-10", "B1", "tax", "", 8, "eds"), act("А-9", "B1", "tax", "", 8, "eds")},
			want: []Result{ok(1)}},
		{name: "same date and number: by key (subtype a before b)", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("5", "B1", "tax", "b", 8, "eds"), act("5", "B1", "tax", "a", 8, "eds")},
			want: []Result{ok(1)}},
		{name: "the nearest date beats a smaller number", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 7, "eds"), act("2", "B1", "tax", "", 8, "eds")},
			want: []Result{ok(1)}},
		{name: "one act wanted by two rows: the earlier end date wins, the other has no act",
			rows: []RowRef{offline(1, 20), offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "eds")},
			want: []Result{why(ReasonNoAct), ok(0)}},
		{name: "one act wanted by two rows with one end date: the first given wins",
			rows: []RowRef{offline(4, 10), offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "eds")},
			want: []Result{ok(0), why(ReasonNoAct)}},
		{name: "rows out of order are taken by end date",
			rows: []RowRef{offline(1, 20), offline(1, 10), offline(5, 5)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 9, "eds"), act("2", "B1", "tax", "", 5, "eds")},
			// By end date: the 5-5 row takes act 2 (day 5), the 1-10 row act 1 (day 9),
			// the 1-20 row finds both taken. In the given order the 1-20 row would
			// have taken day 9 and the 5-5 row nothing.
			want: []Result{why(ReasonNoAct), ok(0), ok(1)}},
		{name: "a later act is left for a later row", rows: []RowRef{offline(1, 10), offline(1, 20)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 15, "eds"), act("2", "B1", "tax", "", 5, "eds")},
			want: []Result{ok(1), ok(0)}},
		{name: "2fa confirms an online row", rows: []RowRef{row("B1", "tax", "", 1, 10, true)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "2fa")}, want: []Result{ok(0)}},
		{name: "eds confirms an online row too", rows: []RowRef{row("B1", "tax", "", 1, 10, true)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "eds")}, want: []Result{ok(0)}},
		{name: "2fa does not confirm an offline row: unsigned", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "2fa")}, want: []Result{why(ReasonUnsigned)}},
		{name: "online: the nearest act wins whatever its confirmation", rows: []RowRef{row("B1", "tax", "", 1, 10, true)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 8, "eds"), act("2", "B1", "tax", "", 9, "2fa")}, want: []Result{ok(1)}},
		{name: "offline: 2fa skipped for an earlier eds", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 8, "eds"), act("2", "B1", "tax", "", 9, "2fa")}, want: []Result{ok(0)}},
		{name: "unsigned act: unsigned", rows: []RowRef{row("B1", "tax", "", 1, 10, true)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "none")}, want: []Result{why(ReasonUnsigned)}},
		{name: "an alias of eds counts", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "ЭЦП")}, want: []Result{ok(0)}},
		{name: "an unknown confirmation counts as unsigned", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "?")}, want: []Result{why(ReasonUnsigned)}},
		{name: "subtype on the row only", rows: []RowRef{row("B1", "tax", "vat", 1, 10, false)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 5, "eds")}, want: []Result{ok(0)}},
		{name: "subtype on the act only", rows: []RowRef{offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "vat", 5, "eds")}, want: []Result{ok(0)}},
		{name: "subtypes compared after normalisation", rows: []RowRef{row("B1", "tax", "Налог на добавленную стоимость", 1, 10, false)},
			acts: []qoldau.Act{act("1", "B1", "tax", "налог на добавленную  стоимость", 5, "eds")}, want: []Result{ok(0)}},
		{name: "row with a subtype: the nearest of its subtype and of none", rows: []RowRef{row("B1", "tax", "vat", 1, 10, false)},
			acts: []qoldau.Act{act("1", "B1", "tax", "vat", 6, "eds"), act("2", "B1", "tax", "", 7, "eds"), act("3", "B1", "tax", "cit", 9, "eds")},
			want: []Result{ok(1)}},
		{name: "different subtypes: service-mismatch", rows: []RowRef{row("B1", "tax", "vat", 1, 10, false)},
			acts: []qoldau.Act{act("1", "B1", "tax", "cit", 5, "eds")}, want: []Result{why(ReasonServiceMismatch)}},
		{name: "date-mismatch: before the start", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 4, "eds")}, want: []Result{why(ReasonDateMismatch)}},
		{name: "date-mismatch: after the end", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 11, "eds")}, want: []Result{why(ReasonDateMismatch)}},
		{name: "date-mismatch whatever the confirmation", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 11, "none")}, want: []Result{why(ReasonDateMismatch)}},
		{name: "service-mismatch", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("1", "B1", "legal", "", 7, "eds")}, want: []Result{why(ReasonServiceMismatch)}},
		{name: "service-mismatch just missed: the other service out of range", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("1", "B1", "legal", "", 11, "eds")}, want: []Result{why(ReasonNoAct)}},
		{name: "another enterprise's act: no-act", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("1", "B2", "tax", "", 7, "eds")}, want: []Result{why(ReasonNoAct)}},
		{name: "unsigned comes before date-mismatch", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 12, "eds"), act("2", "B1", "tax", "", 7, "none")}, want: []Result{why(ReasonUnsigned)}},
		{name: "unsigned needs a date in range", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("2", "B1", "tax", "", 12, "none")}, want: []Result{why(ReasonDateMismatch)}},
		{name: "date-mismatch comes before service-mismatch", rows: []RowRef{offline(5, 10)},
			acts: []qoldau.Act{act("1", "B1", "legal", "", 7, "eds"), act("2", "B1", "tax", "", 1, "eds")}, want: []Result{why(ReasonDateMismatch)}},
		{name: "the only matching act confirms another row: no-act", rows: []RowRef{offline(5, 10), offline(6, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 7, "eds")}, want: []Result{ok(0), why(ReasonNoAct)}},
		{name: "a taken act does not hide a service-mismatch", rows: []RowRef{offline(5, 10), offline(6, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 7, "eds"), act("2", "B1", "legal", "", 8, "eds")},
			want: []Result{ok(0), why(ReasonServiceMismatch)}},
		{name: "2fa taken by an online row leaves an offline row unsigned", rows: []RowRef{row("B1", "tax", "", 1, 10, true), offline(1, 10)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 7, "2fa")}, want: []Result{ok(0), why(ReasonUnsigned)}},
		{name: "a row ending before it starts matches nothing", rows: []RowRef{offline(10, 5)},
			acts: []qoldau.Act{act("1", "B1", "tax", "", 7, "eds")}, want: []Result{why(ReasonDateMismatch)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Match(tt.rows, tt.acts)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Match (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, bruteMatch(tt.rows, tt.acts)); diff != "" {
				t.Errorf("the reference matcher disagrees with the expectation (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCmpNumber(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"9", "10", -1}, {"10", "9", 1}, {"10", "10", 0}, {"007", "7", -1}, {"7", "007", 1},
		{"А-9", "А-10", -1}, {"A9", "B1", -1}, {"1a", "1", 1}, {"", "1", -1}, {"12/2026", "3/2026", 1},
		{"99999999999999999999999", "100000000000000000000000", -1},
	} {
		if got := cmpNumber(tt.a, tt.b); got != tt.want {
			t.Errorf("cmpNumber(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestMatchAgainstReference compares Match with a plain quadratic reading of the
// rules on random data dense enough for every rule and tie to occur; in every
// third set no act gives a subtype (the index then keeps one order).
func TestMatchAgainstReference(t *testing.T) {
	reasons := map[string]int{}
	for seed := uint64(1); seed <= 45; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		bins := []string{"B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"}
		svcs := []string{"tax", "legal", "export"}
		subs := []string{"", "", "a", "b"}
		confs := []string{"eds", "eds", "2fa", "none"}
		actSubs := subs
		if seed%3 == 0 {
			actSubs = []string{""}
		}
		var acts []qoldau.Act
		for range 40 {
			acts = append(acts, act(fmt.Sprint(rng.IntN(5)), bins[rng.IntN(len(bins))], svcs[rng.IntN(len(svcs))],
				actSubs[rng.IntN(len(actSubs))], 1+rng.IntN(20), confs[rng.IntN(len(confs))]))
		}
		var rows []RowRef
		for range 80 {
			s := 1 + rng.IntN(20)
			rows = append(rows, row(bins[rng.IntN(len(bins))], svcs[rng.IntN(len(svcs))], subs[rng.IntN(len(subs))],
				s, s+rng.IntN(6), rng.IntN(2) == 0))
		}
		got := Match(rows, acts)
		for _, r := range got {
			reasons[r.Reason]++
		}
		if diff := cmp.Diff(bruteMatch(rows, acts), got); diff != "" {
			t.Fatalf("seed %d: Match differs from the reference (-want +got):\n%s", seed, diff)
		}
	}
	for _, r := range []string{"", ReasonUnsigned, ReasonDateMismatch, ReasonServiceMismatch, ReasonNoAct} {
		if reasons[r] < 50 {
			t.Errorf("outcome %q only %d times: the data no longer exercises every rule (%v)", r, reasons[r], reasons)
		}
	}
}

// bruteMatch is the rule of docs/rules.md, "Acts and reconciliation", read literally,
// in quadratic time.
func bruteMatch(rows []RowRef, acts []qoldau.Act) []Result {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i++ { // insertion sort by end date: stable
		for j := i; j > 0 && rows[order[j]].End < rows[order[j-1]].End; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	taken := make([]bool, len(acts))
	out := make([]Result, len(rows))
	subOK := func(r *RowRef, a *qoldau.Act) bool {
		rs, as := refdata.Norm(r.Subtype), refdata.Norm(a.Subtype)
		return rs == "" || as == "" || rs == as
	}
	in := func(r *RowRef, d civil.Date) bool { return r.Start <= d && d <= r.End }
	for _, i := range order {
		r := &rows[i]
		best := -1
		for j := range acts {
			a := &acts[j]
			conf, _ := ParseConfirmation(a.Confirmation)
			if taken[j] || a.BinIIN != r.BinIIN || a.Service != r.Service || !subOK(r, a) || !in(r, a.ServiceDate) ||
				!(conf == EDS || conf == TwoF && r.Online) {
				continue
			}
			if best < 0 || a.ServiceDate > acts[best].ServiceDate ||
				a.ServiceDate == acts[best].ServiceDate && cmpNumber(a.Number, acts[best].Number) < 0 ||
				a.ServiceDate == acts[best].ServiceDate && cmpNumber(a.Number, acts[best].Number) == 0 && a.Key() < acts[best].Key() {
				best = j
			}
		}
		if best >= 0 {
			taken[best] = true
			out[i] = Result{Act: best}
			continue
		}
		reason := ReasonNoAct
		has := func(f func(a *qoldau.Act) bool) bool {
			for j := range acts {
				if f(&acts[j]) {
					return true
				}
			}
			return false
		}
		same := func(a *qoldau.Act) bool { return a.BinIIN == r.BinIIN && a.Service == r.Service && subOK(r, a) }
		switch {
		case has(func(a *qoldau.Act) bool {
			conf, _ := ParseConfirmation(a.Confirmation)
			return same(a) && in(r, a.ServiceDate) && (conf != EDS && conf != TwoF || conf == TwoF && !r.Online)
		}):
			reason = ReasonUnsigned
		case has(func(a *qoldau.Act) bool { return same(a) && !in(r, a.ServiceDate) }):
			reason = ReasonDateMismatch
		case has(func(a *qoldau.Act) bool { return a.BinIIN == r.BinIIN && !same(a) && in(r, a.ServiceDate) }):
			reason = ReasonServiceMismatch
		}
		out[i] = Result{Act: -1, Reason: reason}
	}
	return out
}
