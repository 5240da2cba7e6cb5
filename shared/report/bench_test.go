package report_test

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/dynamo"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/storetest"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// benchStore fills an embedded store with total error-free rows spread over the
// months from `from` on, each confirmed by its own act, registers received on
// time: the data of the performance targets. With QOLDAU_BENCH_DATA set, the store
// is made in a folder of its own there, named after the benchmark
// (DIR/ReportAnnual1M), and kept, so `qoldau report build --data` can be timed on
// it; each benchmark has its data (the annual one never reads the quarter's).
func benchStore(b *testing.B, from civil.Month, months, total int) *workflow.Service {
	b.Helper()
	return fillStore(b, storetest.BenchDir(b), from, months, total)
}

// fillStore makes the store of benchStore in dir.
func fillStore(b testing.TB, dir string, from civil.Month, months, total int) *workflow.Service {
	b.Helper()
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
	if ps, _ := store.Periods(ctx); len(ps) == 0 {
		fillBench(b, svc, from, months, total)
	}
	// Build on the working day before the report is due.
	svc.Clock = func() time.Time { return time.Date(2026, 12, 9, 10, 0, 0, 0, workday.Almaty()) }
	return svc
}

// fillBench stores total error-free rows over the months from `from` on, each
// confirmed by its own act, registers received on time, in svc's store.
func fillBench(b testing.TB, svc *workflow.Service, from civil.Month, months, total int) {
	b.Helper()
	ctx := context.Background()
	store := svc.Store
	ref := refdata.Default()
	{
		start := time.Now()
		rnd := rand.New(rand.NewPCG(1, 2))
		var regions, sections, forms, services []string
		for _, r := range ref.Regions() {
			regions = append(regions, r.Code)
		}
		for _, s := range ref.Sections() {
			sections = append(sections, s.Code)
		}
		for _, f := range []string{"ip", "llp", "farm", "ip_joint", "pc"} {
			forms = append(forms, f)
		}
		for _, s := range ref.Services() {
			services = append(services, s.Code)
		}
		places := []string{"service_center", "support_center", "mobile_center", "online"}
		cats := []string{"micro", "small", "medium"}
		clients := 0
		per := (total + months - 1) / months
		n := 0
		for m := 0; m < months; m++ {
			p := from.Add(m)
			cnt := min(per, total-n)
			rows := make([]qoldau.Row, cnt)
			acts := make([]qoldau.Act, cnt)
			days := p.Last().Sub(p.First()) + 1
			for i := range rows {
				c := clients
				if clients > 0 && rnd.IntN(10) < 4 {
					c = rnd.IntN(clients)
				} else {
					clients++
				}
				birth := civil.D(1950+c%50, time.Month(1+c%12), 1+c%28)
				end := p.First().AddDays(rnd.IntN(days))
				place := places[rnd.IntN(len(places))]
				bin := fmt.Sprintf("%012d", 100000000000+int64(c)*7+int64(rnd.IntN(2)))
				rows[i] = qoldau.Row{
					Num: i + 3, Region: regions[rnd.IntN(len(regions))], Settlement: "Қала", Place: place,
					Enterprise: "ТОО «Бенчмарк»", ClientName: fmt.Sprintf("Клиент Номер %d", c), BinIIN: bin,
					Gender: []string{"male", "female"}[c%2], BirthDate: birth, Age: civil.YearsBetween(birth, end),
					Disability: c%37 == 0, LegalForm: forms[c%len(forms)], Category: cats[rnd.IntN(3)],
					OKEDSection: sections[rnd.IntN(len(sections))], OKEDCode: "47.11", Service: services[rnd.IntN(len(services))],
					Manager: "Менеджер Тест", StartDate: end, EndDate: end, Mobile: "+77011234567", Online: place == "online",
					ClientKey: fmt.Sprintf("КЛИЕНТ НОМЕР %d|%s", c, birth), EnterpriseKey: bin,
				}
				acts[i] = qoldau.Act{Number: fmt.Sprintf("A-%d-%d", m, i), Date: end, BinIIN: bin, Service: rows[i].Service,
					ServiceDate: end, Confirmation: "eds", Source: "bench", Line: i + 2}
			}
			due := svc.Due(p)
			y, mo, d := due.Date()
			v := &qoldau.Version{Period: p, Number: 1, SHA256: fmt.Sprintf("%064d", m), FileName: "bench.xlsx", Kind: "xlsx",
				Received: time.Date(y, mo, d, 9, 0, 0, 0, workday.Almaty()), Recorded: time.Now(),
				Rows: qoldau.RowCounts{Read: cnt, Accepted: cnt}, RowCount: cnt, Counts: map[string]int{}}
			if err := store.PutVersion(ctx, v, qoldau.RowsOf(rows)); err != nil {
				b.Fatal(err)
			}
			if _, err := store.PutActs(ctx, acts); err != nil {
				b.Fatal(err)
			}
			n += cnt
		}
		b.Logf("stored %d rows and acts (%d clients) in %s", n, clients, time.Since(start).Round(time.Second))
		runtime.GC()
	}
}

// benchReport builds the report and writes it in every format.
func benchReport(b *testing.B, svc *workflow.Service, period string, wantCounted int) {
	p, err := report.ParsePeriod(period)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := report.Build(context.Background(), svc, report.Options{Keys: testKeys, Period: p})
		if err != nil {
			b.Fatal(err)
		}
		if r.Reconciliation.Counted != wantCounted {
			b.Fatalf("counted %d rows, want %d: %+v", r.Reconciliation.Counted, wantCounted, r.Reconciliation)
		}
		for _, w := range []func(io.Writer, *report.Report, string, *refdata.Set) error{report.WriteXLSX, report.WritePDF} {
			if err := w(io.Discard, r, "kk", svc.Ref); err != nil {
				b.Fatal(err)
			}
		}
		if err := report.WriteJSON(io.Discard, r, "kk", refdata.Default()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(wantCounted)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReportQuarter100k: a quarter of 100,000 counted rows, built and written
// as .xlsx (with its Data sheet), .pdf and .json. Target: under 3 s.
func BenchmarkReportQuarter100k(b *testing.B) {
	svc := benchStore(b, civil.MonthOf(2026, time.July), 3, 100_000)
	benchReport(b, svc, "2026-Q3", 100_000)
}

// BenchmarkReportAnnual1M: the annual report over 1,000,000 counted rows (January
// to November), built and written in every format. Target: under 20 s and 1 GiB.
func BenchmarkReportAnnual1M(b *testing.B) {
	if testing.Short() {
		b.Skip("filling the store takes a minute")
	}
	svc := benchStore(b, civil.MonthOf(2026, time.January), 11, 1_000_000)
	benchReport(b, svc, "2026", 1_000_000)
}

// BenchmarkReportQuarterMoto: a quarter of 3 × 3,000 counted rows (each with its
// act) built from DynamoDB on moto_server (QOLDAU_TEST_DYNAMO_ENDPOINT) and written
// in every format; BenchmarkReportQuarter9k is the same on the embedded store.
// moto walks and sorts its whole table for each page of a Query (the acts, one
// item each), which DynamoDB does not: 3 × 10,000 took over 15 minutes here.
func BenchmarkReportQuarterMoto(b *testing.B) {
	ep := storetest.Endpoint(b)
	ctx := context.Background()
	c, err := dynamo.NewClient(ctx, dynamo.Config{Endpoint: ep})
	if err != nil {
		b.Fatal(err)
	}
	var r [6]byte
	crand.Read(r[:])
	table := "qoldau-bench-" + hex.EncodeToString(r[:])
	store := dynamo.New(ctx, dynamo.Config{Table: table}, c)
	if err := store.CreateTable(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)}) })
	blobs, err := dirblob.New(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc := workflow.New(store, blobs)
	fillBench(b, svc, civil.MonthOf(2026, time.July), 3, 9_000)
	svc.Clock = func() time.Time { return time.Date(2026, 12, 9, 10, 0, 0, 0, workday.Almaty()) }
	benchReport(b, svc, "2026-Q3", 9_000)
}

// BenchmarkReportQuarter9k is BenchmarkReportQuarterMoto's data on the embedded
// store.
func BenchmarkReportQuarter9k(b *testing.B) {
	svc := benchStore(b, civil.MonthOf(2026, time.July), 3, 9_000)
	benchReport(b, svc, "2026-Q3", 9_000)
}
