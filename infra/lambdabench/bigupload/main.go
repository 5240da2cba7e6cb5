// Command bigupload measures the validate function's handler on one large register:
// it writes a sample register of -rows rows, records an upload ticket and puts the
// file into the inbox as the presigned PUT would, then runs the handler on the S3
// event and prints the time taken. Run it under /usr/bin/time -v for the peak memory;
// the store and files are those of the environment (app.Settings), e.g. moto_server.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/qoldau/qoldau/infra/lambdafn"
	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/sample"
)

func main() {
	rows := flag.Int("rows", 100000, "register rows")
	flag.Parse()
	if err := run(*rows); err != nil {
		fmt.Fprintln(os.Stderr, "bigupload:", err)
		os.Exit(1)
	}
}

func run(rows int) error {
	ctx := context.Background()
	cfg, err := app.Load(nil)
	if err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	period := civil.MonthOf(2026, time.September)
	path := filepath.Join(os.TempDir(), fmt.Sprintf("bigupload-%d.xlsx", rows))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if _, err := sample.Write(w, sample.Options{Period: period, Rows: rows, Seed: 11, ErrorRate: 0.02}); err != nil {
		return err
	}
	w.Flush()
	f.Close()
	defer os.Remove(path)
	st, _ := os.Stat(path)
	id := fmt.Sprintf("%024x", time.Now().UnixNano())
	t := &ingest.Ticket{ID: id, Kind: ingest.KindRegister, Period: period, Name: "big.xlsx", Actor: "bench",
		Key: ingest.InboxKey(id, "big.xlsx"), Created: a.Clock()}
	if err := ingest.PutTicket(ctx, a.Blobs, t); err != nil {
		return err
	}
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	err = a.Blobs.Put(ctx, t.Key, in)
	in.Close()
	if err != nil {
		return err
	}
	ev := events.S3Event{Records: []events.S3EventRecord{{EventTime: a.Clock(), EventName: "ObjectCreated:Put"}}}
	ev.Records[0].S3.Object.Key, ev.Records[0].S3.Object.URLDecodedKey = t.Key, t.Key
	start := time.Now()
	if err := lambdafn.Validate(a)(ctx, ev); err != nil {
		return err
	}
	o, err := ingest.ReadOutcome(ctx, a.Blobs, id)
	if err != nil {
		return err
	}
	fmt.Printf("%d rows, %.1f MB: %s in %v (version %d, %d rejected)\n", rows, float64(st.Size())/1e6, o.Status,
		time.Since(start).Round(time.Millisecond), o.Register.Version, o.Register.Rows.Rejected)
	return nil
}
