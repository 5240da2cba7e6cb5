package dynamo

// The row layouts compared in docs/deploy.md ("Where a version's rows live"): one
// item per row on one partition (the layout before the packed one, still read),
// one item per row over 16 partitions, a rowpack stream as one S3 object, and the
// store's own rowpack stream in chunk items over 16 partitions. Each runs on the
// test endpoint (moto) behind the latency model of model_test.go.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/rowpack"
	"github.com/qoldau/qoldau/shared/s3blob"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/storetest"
)

// rowItem is one register row: one attribute per Row field, named as in the JSON.
func rowItem(pk string, i int, r *qoldau.Row) item {
	e := newItem(pk, rowSK(i))
	e.num("row", int64(r.Num))
	e.str("region", r.Region)
	e.str("settlement", r.Settlement)
	e.str("service_place", r.Place)
	e.str("centre", r.Centre)
	e.str("enterprise_name", r.Enterprise)
	e.str("client_name", r.ClientName)
	e.str("bin_iin", r.BinIIN)
	e.str("gender", r.Gender)
	e.date("birth_date", r.BirthDate)
	e.num("age", int64(r.Age))
	e.boolean("disability", r.Disability)
	e.str("legal_form", r.LegalForm)
	e.str("category", r.Category)
	e.str("oked_section", r.OKEDSection)
	e.str("oked_code", r.OKEDCode)
	e.str("service", r.Service)
	e.str("service_subtype", r.Subtype)
	e.str("manager_name", r.Manager)
	e.date("start_date", r.StartDate)
	e.date("end_date", r.EndDate)
	e.str("work_phone", r.WorkPhone)
	e.str("mobile_phone", r.Mobile)
	e.str("email", r.Email)
	e.boolean("online", r.Online)
	e.str("client_key", r.ClientKey)
	e.str("enterprise_key", r.EnterpriseKey)
	e.num("errors", int64(r.Errors))
	e.num("warnings", int64(r.Warnings))
	e.strings("codes", r.Codes)
	return e.m
}

// TestReadsEarlierLayout: a version stored one item per row (before the packed
// layout) is still read, by Rows and ScanRows.
func TestReadsEarlierLayout(t *testing.T) {
	s, _ := newStore(t, nil)
	rows := storetest.Rows(60)
	v := storetest.Version(month(), 1)
	v.RowCount = len(rows)
	ref := &rowsRef{period: month(), version: 1, attempt: "0123456789abcdef", rows: len(rows)}
	if err := (itemsLayout{shards: 1}).writeItems(t.Context(), s, ref, rows); err != nil {
		t.Fatal(err)
	}
	if _, err := s.api.PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: versionItem(v, ref)}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rows, readRows(t, s, 1)); diff != "" {
		t.Errorf("Rows (-want +got):\n%s", diff)
	}
	n := 0
	if err := s.ScanRows(t.Context(), month(), 1, qoldau.LeadsFields, func(r *qoldau.Row) error {
		if r.BinIIN != rows[n].BinIIN || r.EndDate != rows[n].EndDate {
			t.Errorf("ScanRows row %d differs", n)
		}
		n++
		return nil
	}); err != nil || n != len(rows) {
		t.Errorf("ScanRows: %d rows, %v", n, err)
	}
}

// layout stores and reads a version's rows one way.
type layout interface {
	write(ctx context.Context, s *Store, v *qoldau.Version, rows []qoldau.Row) error
	read(ctx context.Context, s *Store, p civil.Month, n int, f rowpack.Fields, fn func(*qoldau.Row) error) error
}

// packedLayout is the store's own: PutVersion and its readers.
type packedLayout struct{}

func (packedLayout) write(ctx context.Context, s *Store, v *qoldau.Version, rows []qoldau.Row) error {
	return s.PutVersion(ctx, v, qoldau.RowsOf(rows))
}

func (packedLayout) read(ctx context.Context, s *Store, p civil.Month, n int, f rowpack.Fields, fn func(*qoldau.Row) error) error {
	return s.readRows(ctx, p, n, f, fn)
}

// itemsLayout is one item per row, 25 a BatchWriteItem from the store's workers;
// with shards > 1, batch b goes to partition ROWS#…#<b mod shards>, and the reader
// queries the partitions at once and merges them.
type itemsLayout struct{ shards int }

func (l itemsLayout) pk(ref *rowsRef, batch int) string {
	pk := rowsPK(ref.period, ref.version, ref.attempt)
	if l.shards > 1 {
		pk += fmt.Sprintf("#%02d", batch%l.shards)
	}
	return pk
}

func (l itemsLayout) writeItems(ctx context.Context, s *Store, ref *rowsRef, rows []qoldau.Row) error {
	batches := (len(rows) + batchSize - 1) / batchSize
	return parallel(ctx, s.workers, batches, func(ctx context.Context, b int) error {
		var reqs []types.WriteRequest
		for i := b * batchSize; i < min((b+1)*batchSize, len(rows)); i++ {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: rowItem(l.pk(ref, b), i, &rows[i])}})
		}
		return s.batchWrite(ctx, reqs)
	})
}

func (l itemsLayout) write(ctx context.Context, s *Store, v *qoldau.Version, rows []qoldau.Row) error {
	ref := &rowsRef{period: v.Period, version: v.Number, attempt: newAttempt(), rows: len(rows)}
	if err := l.writeItems(ctx, s, ref, rows); err != nil {
		return err
	}
	return commitVersion(ctx, s, v, ref)
}

func (l itemsLayout) read(ctx context.Context, s *Store, p civil.Month, n int, _ rowpack.Fields, fn func(*qoldau.Row) error) error {
	ref, err := s.rowsOf(ctx, p, n)
	if err != nil {
		return err
	}
	if l.shards == 1 {
		return s.readRowItems(ctx, ref, fn)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chans := make([]chan *qoldau.Row, l.shards)
	errs := make(chan error, l.shards)
	for sh := range chans {
		chans[sh] = make(chan *qoldau.Row, 1000)
		go func() {
			defer close(chans[sh])
			errs <- s.query(ctx, &dynamodb.QueryInput{
				KeyConditionExpression:    aws.String("#pk = :pk"),
				ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
				ExpressionAttributeValues: item{":pk": str(l.pk(ref, sh))},
			}, func(it item) error {
				r, err := decodeRow(it)
				if err != nil {
					return err
				}
				select {
				case chans[sh] <- r:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
	}
	for i := range ref.rows {
		r, ok := <-chans[(i/batchSize)%l.shards]
		if !ok {
			return fmt.Errorf("shard %d ended early: %v", (i/batchSize)%l.shards, <-errs)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// s3Layout is a rowpack stream as one S3 object per attempt, the version item
// naming the attempt.
type s3Layout struct{ blobs *s3blob.Blobs }

func (l s3Layout) key(ref *rowsRef) string {
	return fmt.Sprintf("rows/%s/%d/%s", ref.period, ref.version, ref.attempt)
}

func (l s3Layout) write(ctx context.Context, s *Store, v *qoldau.Version, rows []qoldau.Row) error {
	ref := &rowsRef{period: v.Period, version: v.Number, attempt: newAttempt(), rows: len(rows)}
	var buf bytes.Buffer
	w := rowpack.NewWriter(&buf)
	for i := range rows {
		if err := w.Add(&rows[i]); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := l.blobs.Put(ctx, l.key(ref), bytes.NewReader(buf.Bytes())); err != nil {
		return err
	}
	return commitVersion(ctx, s, v, ref)
}

func (l s3Layout) read(ctx context.Context, s *Store, p civil.Month, n int, f rowpack.Fields, fn func(*qoldau.Row) error) error {
	ref, err := s.rowsOf(ctx, p, n)
	if err != nil {
		return err
	}
	body, err := l.blobs.Get(ctx, l.key(ref))
	if err != nil {
		return err
	}
	defer body.Close()
	_, err = rowpack.Read(body, f, fn)
	return err
}

// commitVersion writes the version item and the period's index item as PutVersion
// does.
func commitVersion(ctx context.Context, s *Store, v *qoldau.Version, ref *rowsRef) error {
	return s.retry(ctx, func() error {
		_, err := s.api.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String(s.table), Item: versionItem(v, ref)}},
			{Put: &types.Put{TableName: aws.String(s.table), Item: key(periodsPK, v.Period.String())}},
		}})
		return err
	}, transactRetryable)
}

var (
	benchOnce sync.Once
	benchRows []qoldau.Row
)

// sampleRows returns n rows of validated sample registers (5% faulty): what an
// upload stores.
func sampleRows(b testing.TB, n int) []qoldau.Row {
	b.Helper()
	benchOnce.Do(func() {
		var err error
		benchRows, err = sample.Rows(sample.Options{Period: month(), Rows: 100_000, Seed: 3, ErrorRate: 0.05})
		if err != nil {
			b.Fatal(err)
		}
	})
	out := make([]qoldau.Row, 0, n)
	for len(out) < n {
		out = append(out, benchRows[:min(len(benchRows), n-len(out))]...)
	}
	return out
}

// BenchmarkRowLayouts stores a version in each layout and reads it back, on the
// test endpoint behind the latency model (QOLDAU_BENCH_ROWS: the version's rows,
// default 100000; QOLDAU_BENCH_LAYOUTS: a comma list of layouts to run, default
// all; QOLDAU_BENCH_MODEL=0: moto alone, without the model). write-s is
// PutVersion, read-s a whole read (Rows), scan-s a report's read (ScanRows: the
// fields a report needs), WCU the write units the model charged.
//
//	QOLDAU_TEST_DYNAMO_ENDPOINT=http://127.0.0.1:5055 go test -run '^$' -bench RowLayouts -benchtime 1x ./shared/dynamo/
func BenchmarkRowLayouts(b *testing.B) {
	n := 100_000
	if v := os.Getenv("QOLDAU_BENCH_ROWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	only := os.Getenv("QOLDAU_BENCH_LAYOUTS")
	rows := sampleRows(b, n)
	layouts := []struct {
		name string
		make func(b *testing.B) layout
	}{
		{"items-1", func(*testing.B) layout { return itemsLayout{shards: 1} }},
		{"items-16", func(*testing.B) layout { return itemsLayout{shards: 16} }},
		{"s3-object", func(b *testing.B) layout { return s3Layout{blobs: benchBucket(b)} }},
		{"packed-16", func(*testing.B) layout { return packedLayout{} }},
	}
	for _, l := range layouts {
		if only != "" && !strings.Contains(","+only+",", ","+l.name+",") {
			continue
		}
		b.Run(fmt.Sprintf("%s/rows=%d", l.name, n), func(b *testing.B) {
			m := newModel(client(b))
			if !modelOn() {
				m.unlimited()
			}
			s, _ := newStore(b, m)
			s.backoffBase, s.backoffCap = 25*time.Millisecond, 3*time.Second // as deployed
			lay := l.make(b)
			ctx := context.Background()
			var write, read, scan time.Duration
			var wcu float64
			version := 0
			for b.Loop() {
				version++
				m.mu.Lock()
				w0 := m.wcu
				m.mu.Unlock()
				start := time.Now()
				if err := lay.write(ctx, s, storetest.Version(month(), version), rows); err != nil {
					b.Fatal(err)
				}
				write = time.Since(start)
				m.mu.Lock()
				wcu = m.wcu - w0
				m.mu.Unlock()
				fields := []rowpack.Fields{rowpack.All, rowpack.Report}
				if _, ok := lay.(itemsLayout); ok {
					fields = fields[:1] // an item holds every field: a report reads them all
				}
				for _, f := range fields {
					start = time.Now()
					got := 0
					if err := lay.read(ctx, s, month(), version, f, func(r *qoldau.Row) error {
						if r.Num != rows[got].Num {
							return fmt.Errorf("row %d is %d, want %d", got, r.Num, rows[got].Num)
						}
						got++
						return nil
					}); err != nil {
						b.Fatal(err)
					}
					if got != len(rows) {
						b.Fatalf("read %d rows, want %d", got, len(rows))
					}
					if f == rowpack.All {
						read = time.Since(start)
					} else {
						scan = time.Since(start)
					}
				}
			}
			b.ReportMetric(write.Seconds(), "write-s")
			b.ReportMetric(read.Seconds(), "read-s")
			if scan == 0 {
				scan = read
			}
			b.ReportMetric(scan.Seconds(), "scan-s")
			b.ReportMetric(wcu, "WCU")
		})
	}
}

// benchBucket makes a bucket on the test endpoint, behind the S3 model.
func benchBucket(b *testing.B) *s3blob.Blobs {
	var r [6]byte
	rand.Read(r[:])
	cfg := s3blob.Config{Bucket: "qoldau-bench-" + hex.EncodeToString(r[:]), Endpoint: endpoint(b)}
	c, err := s3blob.NewClient(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := s3blob.New(cfg, c).CreateBucket(context.Background()); err != nil {
		b.Fatal(err)
	}
	if !modelOn() {
		return s3blob.New(cfg, c)
	}
	return s3blob.New(cfg, newS3Model(c))
}

func modelOn() bool { return os.Getenv("QOLDAU_BENCH_MODEL") != "0" }
