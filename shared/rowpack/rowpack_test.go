package rowpack_test

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/rowpack"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/storetest"
)

var equateEmpty = cmpopts.EquateEmpty()

func pack(t testing.TB, rows []qoldau.Row) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := rowpack.NewWriter(&buf)
	for i := range rows {
		if err := w.Add(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Rows() != len(rows) {
		t.Fatalf("Rows() = %d, want %d", w.Rows(), len(rows))
	}
	return buf.Bytes()
}

func unpack(t testing.TB, b []byte, f rowpack.Fields) []qoldau.Row {
	t.Helper()
	var got []qoldau.Row
	n, err := rowpack.Read(bytes.NewReader(b), f, func(r *qoldau.Row) error { got = append(got, *r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n != len(got) {
		t.Fatalf("Read counted %d rows, called fn %d times", n, len(got))
	}
	return got
}

// reportOnly keeps the fields rowpack.Report fills.
func reportOnly(r qoldau.Row) qoldau.Row {
	return qoldau.Row{Num: r.Num, Region: r.Region, Settlement: r.Settlement, Place: r.Place, Centre: r.Centre,
		ClientName: r.ClientName, BinIIN: r.BinIIN, Gender: r.Gender, BirthDate: r.BirthDate, Disability: r.Disability,
		LegalForm: r.LegalForm, Category: r.Category, OKEDSection: r.OKEDSection, Service: r.Service, Subtype: r.Subtype,
		Manager: r.Manager, StartDate: r.StartDate, EndDate: r.EndDate, Mobile: r.Mobile, Online: r.Online,
		ClientKey: r.ClientKey, Errors: r.Errors, Codes: r.Codes}
}

// leadsOnly keeps the fields rowpack.Leads fills.
func leadsOnly(r qoldau.Row) qoldau.Row {
	return qoldau.Row{Num: r.Num, Region: r.Region, Settlement: r.Settlement, Place: r.Place, Centre: r.Centre,
		ClientName: r.ClientName, BinIIN: r.BinIIN, BirthDate: r.BirthDate, Service: r.Service, Subtype: r.Subtype,
		Manager: r.Manager, StartDate: r.StartDate, EndDate: r.EndDate, Mobile: r.Mobile, Online: r.Online, Errors: r.Errors}
}

func TestRoundTrip(t *testing.T) {
	big := storetest.Rows(3)
	big[1].Enterprise = strings.Repeat("Ә", 3<<20) // 6 MiB: a block of its own
	neg := storetest.Rows(2)
	neg[0].Num, neg[1].Num = 1<<40, -5 // any int survives the deltas
	neg[0].BirthDate = civil.D(1900, time.January, 1)
	tests := []struct {
		name string
		rows []qoldau.Row
	}{
		{"none", nil},
		{"one", storetest.Rows(1)},
		{"one block", storetest.Rows(rowpack.BlockRows)},
		{"several blocks", storetest.Rows(2*rowpack.BlockRows + 7)},
		{"zero row", []qoldau.Row{{}}},
		{"huge value", big},
		{"extremes", neg},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := pack(t, tt.rows)
			if diff := cmp.Diff(tt.rows, unpack(t, b, rowpack.All), equateEmpty); diff != "" {
				t.Errorf("All (-want +got):\n%s", diff)
			}
			var want, wantLeads []qoldau.Row
			for _, r := range tt.rows {
				want, wantLeads = append(want, reportOnly(r)), append(wantLeads, leadsOnly(r))
			}
			if diff := cmp.Diff(want, unpack(t, b, rowpack.Report), equateEmpty); diff != "" {
				t.Errorf("Report (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantLeads, unpack(t, b, rowpack.Leads), equateEmpty); diff != "" {
				t.Errorf("Leads (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAllGivesOwnRows: with All a caller may keep the *Row it was given.
func TestAllGivesOwnRows(t *testing.T) {
	rows := storetest.Rows(5000)
	var kept []*qoldau.Row
	if _, err := rowpack.Read(bytes.NewReader(pack(t, rows)), rowpack.All, func(r *qoldau.Row) error {
		kept = append(kept, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i, r := range kept {
		if diff := cmp.Diff(rows[i], *r, equateEmpty); diff != "" {
			t.Fatalf("row %d kept by pointer (-want +got):\n%s", i, diff)
		}
	}
}

func TestStopsOnCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	n, err := rowpack.Read(bytes.NewReader(pack(t, storetest.Rows(3000))), rowpack.All, func(*qoldau.Row) error {
		calls++
		if calls == 2100 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 2100 || n != 2099 {
		t.Errorf("Read = %d, %v after %d calls; want 2099, the callback's error, 2100 calls", n, err, calls)
	}
}

// TestCorrupt: a stream cut anywhere, or with any byte changed, is refused (never
// read as other rows).
func TestCorrupt(t *testing.T) {
	b := pack(t, storetest.Rows(300))
	read := func(b []byte) error {
		_, err := rowpack.Read(bytes.NewReader(b), rowpack.All, func(*qoldau.Row) error { return nil })
		return err
	}
	for i := range len(b) {
		if err := read(b[:i]); !errors.Is(err, rowpack.ErrCorrupt) {
			t.Fatalf("cut at %d of %d: %v, want ErrCorrupt", i, len(b), err)
		}
	}
	for i := range len(b) - 1 { // the last byte is the end marker
		c := bytes.Clone(b)
		c[i] ^= 0x5a
		if err := read(c); !errors.Is(err, rowpack.ErrCorrupt) {
			t.Fatalf("byte %d changed: %v, want ErrCorrupt", i, err)
		}
	}
}

// TestWriterFails: the underlying writer's error is returned and sticks.
func TestWriterFails(t *testing.T) {
	boom := errors.New("disk full")
	w := rowpack.NewWriter(failWriter{boom})
	rows := storetest.Rows(rowpack.BlockRows + 1)
	var err error
	for i := range rows {
		if err = w.Add(&rows[i]); err != nil {
			break
		}
	}
	if err != boom {
		t.Fatalf("Add = %v, want the writer's error", err)
	}
	if err := w.Close(); err != boom {
		t.Errorf("Close = %v, want the writer's error", err)
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

var (
	sampleOnce sync.Once
	sampleRows []qoldau.Row
)

// realRows returns n rows of a validated 100,000-row sample register (5% faulty):
// what an upload stores.
func realRows(t testing.TB, n int) []qoldau.Row {
	t.Helper()
	sampleOnce.Do(func() {
		var err error
		sampleRows, err = sample.Rows(sample.Options{Period: civil.MonthOf(2026, time.September), Rows: 100_000, Seed: 3, ErrorRate: 0.05})
		if err != nil {
			t.Fatal(err)
		}
	})
	return sampleRows[:n]
}

func TestSampleRegister(t *testing.T) {
	if testing.Short() {
		t.Skip("validates a 100,000-row sample")
	}
	rows := realRows(t, 20_000)
	if diff := cmp.Diff(rows, unpack(t, pack(t, rows), rowpack.All), equateEmpty); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// BenchmarkPack100k: 100,000 rows of a validated sample register, packed; bytes/row
// is the stream's size.
func BenchmarkPack100k(b *testing.B) {
	rows := realRows(b, 100_000)
	var size int
	for b.Loop() {
		size = len(pack(b, rows))
	}
	b.ReportMetric(float64(size)/float64(len(rows)), "bytes/row")
}

// BenchmarkUnpack100k reads them back whole (All) and for a report (Report).
func BenchmarkUnpack100k(b *testing.B) {
	rows := realRows(b, 100_000)
	s := pack(b, rows)
	for _, f := range []struct {
		name string
		f    rowpack.Fields
	}{{"All", rowpack.All}, {"Report", rowpack.Report}, {"Leads", rowpack.Leads}} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				n, err := rowpack.Read(bytes.NewReader(s), f.f, func(*qoldau.Row) error { return nil })
				if err != nil || n != len(rows) {
					b.Fatal(n, err)
				}
			}
		})
	}
}
