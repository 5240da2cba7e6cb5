package leads_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/storetest"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// benchYear fills an embedded store with a year of realistic sample registers
// (January to December 2026, total rows, 3% faulty, each uploaded on its due day)
// and an acts file confirming most rows: the data of the leads' performance target.
// With QOLDAU_BENCH_DATA set the store is made in a folder there named after the
// benchmark and kept, so that `qoldau leads --data` can be timed on it (and a second
// run reuses it).
func benchYear(b *testing.B, total int) *workflow.Service {
	b.Helper()
	dir := storetest.BenchDir(b)
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "qoldau.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	blobs, err := dirblob.New(filepath.Join(dir, "files"))
	if err != nil {
		b.Fatal(err)
	}
	svc := workflow.New(store, blobs)
	var now time.Time
	svc.Clock = func() time.Time { return now }
	from := civil.MonthOf(2026, time.January)
	if ps, _ := store.Periods(ctx); len(ps) == 0 {
		start := time.Now()
		var rows []qoldau.Row
		for m := range 12 {
			p := from.Add(m)
			path := filepath.Join(dir, "register-"+p.String()+".xlsx")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			w := bufio.NewWriterSize(f, 1<<20)
			if _, err := sample.Write(w, sample.Options{Period: p, Rows: total / 12, Seed: uint64(2026 + m), ErrorRate: 0.03}); err != nil {
				b.Fatal(err)
			}
			w.Flush()
			f.Close()
			y, mo, d := svc.Due(p).Date()
			now = time.Date(y, mo, d, 10, 0, 0, 0, workday.Almaty())
			res, err := svc.Upload(ctx, workflow.UploadRequest{Period: p, Path: path, Actor: "bench"})
			if err != nil {
				b.Fatal(err)
			}
			os.Remove(path)
			if _, err := svc.CountedRows(ctx, p, func(r *qoldau.Row) error {
				if r.Errors == 0 {
					rows = append(rows, qoldau.Row{BinIIN: r.BinIIN, Service: r.Service, Subtype: r.Subtype,
						StartDate: r.StartDate, EndDate: r.EndDate, Online: r.Online})
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: %d rows", p, res.Rows.Read)
		}
		path := filepath.Join(dir, "acts.csv")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriterSize(f, 1<<20)
		if _, err := sample.WriteActs(w, rows, sample.ActsOptions{Seed: 1, Unsigned: 0.01, DateMismatch: 0.01, ServiceMismatch: 0.01, NoAct: 0.02}); err != nil {
			b.Fatal(err)
		}
		w.Flush()
		f.Close()
		if _, err := svc.ImportActs(ctx, path, "", time.Time{}, "bench"); err != nil {
			b.Fatal(err)
		}
		os.Remove(path)
		b.Logf("stored a year of %d rows and their acts in %s", total, time.Since(start).Round(time.Second))
	}
	now = time.Date(2027, 1, 20, 10, 0, 0, 0, workday.Almaty())
	return svc
}

// BenchmarkLeadsYear1M: the leads of a year of 1,000,000 rows. Target: under 10 s
// and 400 MiB (README, with the peak memory of `qoldau leads`).
func BenchmarkLeadsYear1M(b *testing.B) {
	if testing.Short() {
		b.Skip("filling the store takes minutes")
	}
	svc := benchYear(b, 1_000_000)
	opt := leads.Options{From: civil.MonthOf(2026, time.January), To: civil.MonthOf(2026, time.December), Settings: leads.Defaults()}
	var res *leads.Result
	for b.Loop() {
		var err error
		if res, err = leads.Find(context.Background(), svc, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("leads: %v", res.Counts)
	b.ReportMetric(1_000_000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
