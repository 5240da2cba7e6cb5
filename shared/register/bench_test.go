package register_test

import (
	"bufio"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/sample"
)

var samples sync.Map // rows → path

// samplePath writes (once per process) a sample register of n rows.
func samplePath(b *testing.B, n int) string {
	b.Helper()
	if p, ok := samples.Load(n); ok {
		return p.(string)
	}
	dir, err := os.MkdirTemp("", "qoldau-bench")
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(dir, "sample.xlsx")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := sample.Write(w, sample.Options{Period: civil.MonthOf(2026, 9), Rows: n, Seed: 3, ErrorRate: 0.05}); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	f.Close()
	samples.Store(n, p)
	return p
}

func benchValidate(b *testing.B, n int) {
	path := samplePath(b, n)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := register.ValidateFile(path, register.Options{Received: time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)}, nil)
		if err != nil || res.Rows.Read != n {
			b.Fatalf("%v %+v", err, res.Rows)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
}

// BenchmarkValidate100k validates a 100,000-row sample register (about 12 MB) end
// to end: open, read, check every cell, count (target: 3 s).
func BenchmarkValidate100k(b *testing.B) { benchValidate(b, 100_000) }

// BenchmarkValidate1M validates 1,000,000 rows (target: 30 s); set QOLDAU_BENCH_1M=1
// (writing the sample takes about 17 s).
func BenchmarkValidate1M(b *testing.B) {
	if os.Getenv("QOLDAU_BENCH_1M") == "" {
		b.Skip("set QOLDAU_BENCH_1M=1")
	}
	benchValidate(b, 1_000_000)
}
