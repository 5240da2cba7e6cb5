package sample

import (
	"bytes"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/reconcile"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// TestWriteActs writes acts for rows and reads them back as the agency imports
// them: every line valid, one per row meant to have an act, the same file for the
// same seed.
func TestWriteActs(t *testing.T) {
	var rows []qoldau.Row
	for i := range 400 {
		end := civil.D(2026, 9, 1+i%30)
		rows = append(rows, qoldau.Row{BinIIN: "940140000385", Service: "tax", StartDate: end.AddDays(-(i % 3)), EndDate: end, Online: i%4 == 0})
	}
	opt := ActsOptions{Seed: 5, Unsigned: 0.1, DateMismatch: 0.1, ServiceMismatch: 0.1, NoAct: 0.1}
	var a, b bytes.Buffer
	st, err := WriteActs(&a, rows, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteActs(&b, rows, opt); err != nil || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("the same seed gives another file (%v)", err)
	}
	sum := st.Confirmed
	for _, n := range st.ByReason {
		sum += n
	}
	if sum != len(rows) || st.Lines != len(rows)-st.ByReason["no-act"] {
		t.Fatalf("stats %+v do not add up to %d rows", st, len(rows))
	}
	for reason, n := range st.ByReason {
		if n < 20 || n > 60 {
			t.Errorf("%s: %d rows, want about 40", reason, n)
		}
	}
	res, err := reconcile.ReadActs(bytes.NewReader(a.Bytes()), int64(a.Len()), "acts.csv", "", time.Time{}, refdata.Default(), xlsx.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if res.FileError || res.Rejected != 0 || len(res.Acts) != st.Lines {
		t.Fatalf("read back: %d acts, %d rejected, findings %v; want %d valid", len(res.Acts), res.Rejected, res.Findings, st.Lines)
	}
}
