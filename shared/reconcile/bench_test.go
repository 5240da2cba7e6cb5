package reconcile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// benchData makes n rows of a year for n/5 enterprises and n acts: most confirm a
// row, the others are unsigned, at another date, for another service, or missing.
func benchData(n int) ([]RowRef, []qoldau.Act) {
	rng := rand.New(rand.NewPCG(1, 2))
	bins := make([]string, max(n/5, 1))
	for i := range bins {
		bins[i] = fmt.Sprintf("%012d", 100000000000+i)
	}
	svcs := []string{"state_support", "accounting", "tax", "legal", "marketing", "procurement", "export", "certification", "business_plan", "digital"}
	jan1 := civil.D(2026, time.January, 1)
	rows := make([]RowRef, n)
	acts := make([]qoldau.Act, 0, n)
	for i := range rows {
		start := jan1.AddDays(rng.IntN(350))
		r := RowRef{BinIIN: bins[rng.IntN(len(bins))], Service: svcs[rng.IntN(len(svcs))],
			Start: start, End: start.AddDays(rng.IntN(10)), Online: rng.IntN(5) == 0}
		rows[i] = r
		a := qoldau.Act{Number: strconv.Itoa(i + 1), BinIIN: r.BinIIN, Service: r.Service,
			ServiceDate: r.Start.AddDays(rng.IntN(int(r.End-r.Start) + 1)), Confirmation: EDS}
		if r.Online && rng.IntN(2) == 0 {
			a.Confirmation = TwoF
		}
		switch k := rng.IntN(100); {
		case k < 5:
			a.Confirmation = None
		case k < 10:
			a.ServiceDate = r.End.AddDays(1 + rng.IntN(30))
		case k < 15:
			a.Service = svcs[rng.IntN(len(svcs))]
		case k < 20:
			a.BinIIN = bins[rng.IntN(len(bins))] // an act for some other row
		}
		a.Date = a.ServiceDate
		acts = append(acts, a)
	}
	return rows, acts
}

// BenchmarkMatch matches 1,000,000 rows against 1,000,000 acts.
func BenchmarkMatch(b *testing.B) {
	rows, acts := benchData(1_000_000)
	b.ReportAllocs()
	for b.Loop() {
		res := Match(rows, acts)
		if len(res) != len(rows) {
			b.Fatal("short result")
		}
	}
}

// BenchmarkMatchOneEnterprise is the worst case for skipping taken acts: 1,000,000
// rows of one enterprise and service over the whole year, and as many acts.
func BenchmarkMatchOneEnterprise(b *testing.B) {
	n := 1_000_000
	jan1 := civil.D(2026, time.January, 1)
	rows := make([]RowRef, n)
	acts := make([]qoldau.Act, n)
	for i := range rows {
		rows[i] = RowRef{BinIIN: "150340012345", Service: "tax", Start: jan1, End: jan1.AddDays(364 - i%7)}
		d := jan1.AddDays(i % 365)
		acts[i] = qoldau.Act{Number: strconv.Itoa(i), BinIIN: "150340012345", Service: "tax", ServiceDate: d, Date: d, Confirmation: EDS}
	}
	b.ReportAllocs()
	for b.Loop() {
		Match(rows, acts)
	}
}

// BenchmarkReadActs reads an acts workbook of 100,000 lines.
func BenchmarkReadActs(b *testing.B) {
	rows := [][]xlsx.Value{textRow(ruHeader...)}
	base := line(b)
	for i := range 100_000 {
		rows = append(rows, with(base, fNumber, xlsx.Text("А-"+strconv.Itoa(i))))
	}
	data := book(b, rows...)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := ReadActs(bytes.NewReader(data), int64(len(data)), "acts.xlsx", "", time.Time{}, nil, xlsx.Limits{})
		if err != nil || len(res.Acts) != 100_000 {
			b.Fatalf("%v, %d acts", err, len(res.Acts))
		}
	}
}

// TestMatchScales runs Match on a quarter of the benchmark's data and checks the
// outcome is plausible: most rows confirmed, every reason present.
func TestMatchScales(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	rows, acts := benchData(250_000)
	start := time.Now()
	res := Match(rows, acts)
	took := time.Since(start)
	reasons := map[string]int{}
	used := map[int]bool{}
	for _, r := range res {
		reasons[r.Reason]++
		if r.Act >= 0 {
			if used[r.Act] {
				t.Fatalf("act %d confirms two rows", r.Act)
			}
			used[r.Act] = true
		}
	}
	t.Logf("250,000 rows × 250,000 acts in %v: %v", took, reasons)
	if reasons[""] < len(rows)/2 {
		t.Errorf("only %d rows confirmed", reasons[""])
	}
	for _, r := range []string{ReasonUnsigned, ReasonDateMismatch, ReasonServiceMismatch, ReasonNoAct} {
		if reasons[r] == 0 {
			t.Errorf("no row with reason %s", r)
		}
	}
}
