package workflow_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/dynamo"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/storetest"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// countingAPI counts the read requests a store sends.
type countingAPI struct {
	dynamo.API
	n atomic.Int64
}

func (c *countingAPI) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.n.Add(1)
	return c.API.GetItem(ctx, in, o...)
}

func (c *countingAPI) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.n.Add(1)
	return c.API.Query(ctx, in, o...)
}

func (c *countingAPI) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	c.n.Add(1)
	return c.API.BatchGetItem(ctx, in, o...)
}

// BenchmarkStatusMoto: the status of one period on DynamoDB (moto_server at
// QOLDAU_TEST_DYNAMO_ENDPOINT) with 1 and with 12 periods of 10,000 rows stored
// (sample registers, 5% faulty, 1,000 acts a period), after the records were
// computed: a status reads its period's record, so both cost the same
// (requests/op counts the reads sent).
func BenchmarkStatusMoto(b *testing.B) {
	ep := storetest.Endpoint(b)
	ctx := context.Background()
	for _, n := range []int{1, 12} {
		b.Run(fmt.Sprintf("periods=%d", n), func(b *testing.B) {
			c, err := dynamo.NewClient(ctx, dynamo.Config{Endpoint: ep})
			if err != nil {
				b.Fatal(err)
			}
			var r [6]byte
			rand.Read(r[:])
			table := "qoldau-bench-" + hex.EncodeToString(r[:])
			counted := &countingAPI{API: c}
			store := dynamo.New(ctx, dynamo.Config{Table: table}, counted)
			if err := store.CreateTable(ctx); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)}) })
			blobs, err := dirblob.New(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			svc := workflow.New(store, blobs)
			last := civil.MonthOf(2026, time.September)
			for i := range n {
				p := last.Add(i - n + 1)
				rows, err := sample.Rows(sample.Options{Period: p, Rows: 10_000, Seed: uint64(i + 1), ErrorRate: 0.05})
				if err != nil {
					b.Fatal(err)
				}
				due := svc.Due(p)
				y, m, d := due.Date()
				v := &qoldau.Version{Period: p, Number: 1, SHA256: fmt.Sprintf("%064d", i), Kind: "xlsx",
					Received: time.Date(y, m, d, 9, 0, 0, 0, workday.Almaty()), Recorded: time.Now()}
				if err := store.PutVersion(ctx, v, qoldau.RowsOf(rows)); err != nil {
					b.Fatal(err)
				}
				var acts []qoldau.Act
				for j := 0; len(acts) < 1000 && j < len(rows); j++ {
					if rows[j].Errors == 0 {
						acts = append(acts, qoldau.Act{Number: fmt.Sprintf("A-%d-%d", i, j), Date: rows[j].EndDate, BinIIN: rows[j].BinIIN,
							Service: rows[j].Service, Subtype: rows[j].Subtype, ServiceDate: rows[j].EndDate, Confirmation: "eds", Source: "bench", Line: j + 2})
					}
				}
				if _, err := store.PutActs(ctx, acts); err != nil {
					b.Fatal(err)
				}
			}
			svc.Clock = func() time.Time { return time.Date(2026, 10, 20, 10, 0, 0, 0, workday.Almaty()) }
			if _, err := svc.Records(ctx); err != nil {
				b.Fatal(err)
			}
			before := counted.n.Load()
			for b.Loop() {
				st, err := svc.Status(ctx, last)
				if err != nil {
					b.Fatal(err)
				}
				if st.Rows.Received != 10_000 {
					b.Fatalf("status counts %d rows, want 10000", st.Rows.Received)
				}
			}
			b.ReportMetric(float64(counted.n.Load()-before)/float64(b.N), "requests/op")
		})
	}
}
