package dynamo

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/rowpack"
	"github.com/qoldau/qoldau/shared/storetest"
)

// faulty wraps the real client and injects faults, counting calls by operation.
type faulty struct {
	API

	mu    sync.Mutex
	calls map[string]int

	throttle     map[string]int // op → fail this many first calls with a throttling error
	unprocessed  int            // BatchWriteItem: leave half the items unprocessed this many times
	unprocessedN int            // … items left unprocessed in all
	failBatchAt  int            // BatchWriteItem call number (from 1) that fails for good
	failTransact string         // "before": fail without writing; "after": write, then fail
	failPut      string         // PutItem: "retried": write, then send the same request again
}

func newFaulty(api API) *faulty {
	return &faulty{API: api, calls: map[string]int{}, throttle: map[string]int{}}
}

var errBoom = errors.New("injected failure")

// enter counts a call and returns its number and whether to throttle it.
func (f *faulty) enter(op string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	n := f.calls[op]
	if n <= f.throttle[op] {
		codes := []string{"ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"}
		return n, &smithy.GenericAPIError{Code: codes[n%len(codes)], Message: "slow down", Fault: smithy.FaultClient}
	}
	return n, nil
}

func (f *faulty) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

func (f *faulty) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if _, err := f.enter("GetItem"); err != nil {
		return nil, err
	}
	return f.API.GetItem(ctx, in, o...)
}

func (f *faulty) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	if _, err := f.enter("PutItem"); err != nil {
		return nil, err
	}
	if f.failPut == "retried" {
		if _, err := f.API.PutItem(ctx, in, o...); err != nil {
			return nil, err
		}
	}
	return f.API.PutItem(ctx, in, o...)
}

func (f *faulty) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	if _, err := f.enter("Query"); err != nil {
		return nil, err
	}
	return f.API.Query(ctx, in, o...)
}

func (f *faulty) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	if _, err := f.enter("BatchGetItem"); err != nil {
		return nil, err
	}
	return f.API.BatchGetItem(ctx, in, o...)
}

func (f *faulty) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	n, err := f.enter("BatchWriteItem")
	if err != nil {
		return nil, err
	}
	if n == f.failBatchAt {
		return nil, errBoom
	}
	f.mu.Lock()
	partial := f.unprocessed > 0
	if partial {
		f.unprocessed--
	}
	f.mu.Unlock()
	if !partial {
		return f.API.BatchWriteItem(ctx, in, o...)
	}
	// Process the first half for real and hand back the rest, as DynamoDB does
	// under load.
	half := map[string][]types.WriteRequest{}
	rest := map[string][]types.WriteRequest{}
	for table, reqs := range in.RequestItems {
		k := (len(reqs) + 1) / 2
		half[table], rest[table] = reqs[:k], reqs[k:]
		f.mu.Lock()
		f.unprocessedN += len(reqs) - k
		f.mu.Unlock()
	}
	out, err := f.API.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: half}, o...)
	if err != nil {
		return nil, err
	}
	for table, reqs := range out.UnprocessedItems {
		rest[table] = append(rest[table], reqs...)
	}
	out.UnprocessedItems = rest
	return out, nil
}

func (f *faulty) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	if _, err := f.enter("TransactWriteItems"); err != nil {
		return nil, err
	}
	switch f.failTransact {
	case "before":
		return nil, errBoom
	case "after":
		if _, err := f.API.TransactWriteItems(ctx, in, o...); err != nil {
			return nil, err
		}
		return nil, errBoom // the commit happened, the answer was lost
	case "retried":
		// The commit happened, its answer timed out, and the SDK sent the same
		// request again: the condition now fails (an emulator without DynamoDB's
		// idempotency token).
		if _, err := f.API.TransactWriteItems(ctx, in, o...); err != nil {
			return nil, err
		}
		return f.API.TransactWriteItems(ctx, in, o...)
	}
	return f.API.TransactWriteItems(ctx, in, o...)
}

// readRows reads a version's rows.
func readRows(t *testing.T, s qoldau.Store, n int) []qoldau.Row {
	t.Helper()
	var got []qoldau.Row
	if err := s.Rows(t.Context(), month(), n, func(r *qoldau.Row) error { got = append(got, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

// wantNoVersion checks that nothing of version 1 of month() is visible.
func wantNoVersion(t *testing.T, s qoldau.Store) {
	t.Helper()
	vs, err := s.Versions(t.Context(), month())
	if err != nil || len(vs) != 0 {
		t.Errorf("Versions = %v, %v; want none", vs, err)
	}
	ps, err := s.Periods(t.Context())
	if err != nil || len(ps) != 0 {
		t.Errorf("Periods = %v, %v; want none", ps, err)
	}
	err = s.Rows(t.Context(), month(), 1, func(*qoldau.Row) error { return nil })
	if qoldau.CodeOf(err) != qoldau.NotFound {
		t.Errorf("Rows = %v, want NotFound", err)
	}
}

func TestThrottlingRetried(t *testing.T) {
	f := newFaulty(client(t))
	s, _ := newStore(t, f)
	s.backoffBase, s.backoffCap = 5*time.Millisecond, 100*time.Millisecond
	var (
		mu    sync.Mutex
		waits []time.Duration
	)
	s.onBackoff = func(d time.Duration) { mu.Lock(); waits = append(waits, d); mu.Unlock() }
	f.throttle = map[string]int{"GetItem": 2, "BatchWriteItem": 3, "TransactWriteItems": 2, "Query": 2, "PutItem": 2, "BatchGetItem": 2}
	rows := storetest.Rows(100)
	s.chunkSize = packedSize(t, rows)/30 + 1 // 30 chunks: 4 requests of 8
	if err := s.PutVersion(t.Context(), storetest.Version(month(), 1), qoldau.RowsOf(rows)); err != nil {
		t.Fatalf("PutVersion under throttling: %v", err)
	}
	if diff := cmp.Diff(rows, readRows(t, s, 1)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	ok, err := s.Claim(t.Context(), "k", time.Now())
	if err != nil || !ok {
		t.Errorf("Claim under throttling = %v, %v", ok, err)
	}
	added, err := s.PutActs(t.Context(), []qoldau.Act{{Number: "1", BinIIN: "900101400001", Service: "consulting"}})
	if err != nil || added != 1 {
		t.Errorf("PutActs under throttling = %d, %v", added, err)
	}
	acts := 0
	if err := s.Acts(t.Context(), func(*qoldau.Act) error { acts++; return nil }); err != nil || acts != 1 {
		t.Errorf("Acts under throttling = %d, %v", acts, err)
	}
	// 4 batches of chunks written and read + 3 throttled calls; each throttled op
	// called again; PutActs reads its keys once.
	want := map[string]int{"BatchWriteItem": 4 + 3, "TransactWriteItems": 1 + 2, "PutItem": 2 + 2, "BatchGetItem": 4 + 1 + 2}
	for op, n := range want {
		if got := f.count(op); got != n {
			t.Errorf("%s called %d times, want %d", op, got, n)
		}
	}
	// Every throttled call was followed by a backoff within the cap.
	throttled := 0
	for _, n := range f.throttle {
		throttled += n
	}
	mu.Lock()
	defer mu.Unlock()
	if len(waits) != throttled {
		t.Errorf("%d backoffs, want one per throttled call (%d)", len(waits), throttled)
	}
	for _, d := range waits {
		if d <= 0 || d > s.backoffCap {
			t.Errorf("backoff %v out of (0, %v]", d, s.backoffCap)
		}
	}
}

func TestThrottlingGivesUp(t *testing.T) {
	f := newFaulty(client(t))
	s, _ := newStore(t, f)
	s.maxAttempts = 3
	f.throttle = map[string]int{"BatchWriteItem": 1000}
	s.workers = 1
	err := s.PutVersion(t.Context(), storetest.Version(month(), 1), qoldau.RowsOf(storetest.Rows(10)))
	if qoldau.CodeOf(err) != qoldau.Internal {
		t.Fatalf("PutVersion under endless throttling = %v, want Internal", err)
	}
	// 3 tries of the rows (maxAttempts), then 3 of the cleanup's deletes.
	if got := f.count("BatchWriteItem"); got != 3+3 {
		t.Errorf("BatchWriteItem tried %d times, want 6", got)
	}
	wantNoVersion(t, s)
}

func TestUnprocessedItemsResent(t *testing.T) {
	f := newFaulty(client(t))
	s, c := newStore(t, f)
	f.unprocessed = 10
	rows := storetest.Rows(300)
	size := packedSize(t, rows)
	s.chunkSize = size/96 + 1
	chunks := (size + s.chunkSize - 1) / s.chunkSize // 94 to 96: 12 batches
	if err := s.PutVersion(t.Context(), storetest.Version(month(), 1), qoldau.RowsOf(rows)); err != nil {
		t.Fatal(err)
	}
	if f.unprocessedN == 0 {
		t.Fatal("no items were left unprocessed: the fault did not happen")
	}
	if got := f.count("BatchWriteItem"); got <= 12 {
		t.Errorf("BatchWriteItem called %d times, want more than the 12 batches", got)
	}
	if diff := cmp.Diff(rows, readRows(t, s, 1)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if n := len(items(t, c, s.table, "ROWS#")); n != chunks {
		t.Errorf("%d chunk items in the table, want %d", n, chunks)
	}
}

func TestUnprocessedItemsGivesUp(t *testing.T) {
	f := newFaulty(client(t))
	s, _ := newStore(t, f)
	s.maxAttempts, s.workers = 3, 1
	f.unprocessed = 1000
	rows := storetest.Rows(25)
	s.chunkSize = packedSize(t, rows)/8 + 1
	err := s.PutVersion(t.Context(), storetest.Version(month(), 1), qoldau.RowsOf(rows))
	if qoldau.CodeOf(err) != qoldau.Internal || !errors.Is(err, errUnprocessed) {
		t.Fatalf("PutVersion = %v, want Internal (unprocessed)", err)
	}
	wantNoVersion(t, s)
}

// TestFailureHalfway: a BatchWriteItem fails for good in the middle of the rows;
// nothing is visible, the attempt's rows are cleaned up, and a retry with the same
// number stores exactly its own rows.
func TestFailureHalfway(t *testing.T) {
	f := newFaulty(client(t))
	s, c := newStore(t, f)
	f.failBatchAt = 10 // of 20
	s.chunkSize = packedSize(t, storetest.Rows(500))/160 + 1
	err := s.PutVersion(t.Context(), storetest.Version(month(), 1), qoldau.RowsOf(storetest.Rows(500)))
	if qoldau.CodeOf(err) != qoldau.Internal || !errors.Is(err, errBoom) {
		t.Fatalf("PutVersion = %v, want Internal with the injected cause", err)
	}
	if f.count("TransactWriteItems") != 0 {
		t.Error("the version was committed after a failed row batch")
	}
	wantNoVersion(t, s)
	if n := len(items(t, c, s.table, "ROWS#")); n != 0 {
		t.Errorf("%d row items left after the failed attempt, want 0 (cleaned up)", n)
	}

	f.failBatchAt = 0
	rows := storetest.Rows(480)
	if err := s.PutVersion(t.Context(), storetest.Version(month(), 1), qoldau.RowsOf(rows)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rows, readRows(t, s, 1)); diff != "" {
		t.Errorf("retry's rows (-want +got):\n%s", diff)
	}
}

// TestOrphanRowsInvisible: rows of an attempt that never committed (the process
// died before cleaning up) do not mix with a later version's.
func TestOrphanRowsInvisible(t *testing.T) {
	s, _ := newStore(t, nil)
	s.chunkSize = 64
	orphan := &rowsRef{period: month(), version: 1, attempt: "deadbeefdeadbeef", layout: layoutPacked, shards: s.shards}
	if _, n, err := s.writeChunks(t.Context(), orphan, qoldau.RowsOf(storetest.Rows(20))); err != nil || n < 2 {
		t.Fatalf("orphan chunks: %d, %v", n, err)
	}
	wantNoVersion(t, s)
	rows := storetest.Rows(3)
	if err := s.PutVersion(t.Context(), storetest.Version(month(), 1), qoldau.RowsOf(rows)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rows, readRows(t, s, 1)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestTransactFails(t *testing.T) {
	tests := []struct {
		mode     string
		wantCode qoldau.ErrorCode
		visible  bool
	}{
		{"before", qoldau.Internal, false}, // nothing committed: rows cleaned up
		{"after", "", true},                // committed, answer lost: the store sees its attempt won
		{"retried", "", true},              // committed, then refused on the SDK's retry: still won, rows kept
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			f := newFaulty(client(t))
			s, c := newStore(t, f)
			f.failTransact = tt.mode
			rows := storetest.Rows(60)
			err := s.PutVersion(t.Context(), storetest.Version(month(), 1), qoldau.RowsOf(rows))
			if got := qoldau.CodeOf(err); got != tt.wantCode {
				t.Fatalf("PutVersion = %v, want code %q", err, tt.wantCode)
			}
			if !tt.visible {
				wantNoVersion(t, s)
				if n := len(items(t, c, s.table, "ROWS#")); n != 0 {
					t.Errorf("%d row items left, want 0", n)
				}
				return
			}
			if diff := cmp.Diff(rows, readRows(t, s, 1)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

// packedSize is the length of rows' rowpack stream.
func packedSize(t testing.TB, rows []qoldau.Row) int {
	t.Helper()
	var n countWriter
	w := rowpack.NewWriter(&n)
	for i := range rows {
		if err := w.Add(&rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return int(n)
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// A user whose commit's answer was lost and whose retry then failed its
// condition is stored, not refused as existing (TestReportAnswers once met
// "The user exists already" on a busy moto); another user of that name still is.
func TestPutUserRetried(t *testing.T) {
	f := newFaulty(client(t))
	s, _ := newStore(t, f)
	user := func(key string) *qoldau.User { return storetest.User("analyst", qoldau.RoleAgency, key) }
	f.failTransact = "retried"
	if err := s.PutUser(t.Context(), user("first key")); err != nil {
		t.Fatalf("PutUser after a retried commit = %v, want nil", err)
	}
	f.failTransact = ""
	if got, err := s.User(t.Context(), "analyst"); err != nil || got.KeyHash != qoldau.HashKey("first key") {
		t.Fatalf("User = %+v, %v", got, err)
	}
	if err := s.PutUser(t.Context(), user("second key")); qoldau.CodeOf(err) != qoldau.Conflict {
		t.Errorf("a second user of the same name: %v, want Conflict", err)
	}
}

// The same for a staff code, a single conditional put.
func TestPutStaffCodeRetried(t *testing.T) {
	f := newFaulty(client(t))
	s, _ := newStore(t, f)
	at := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	code := &qoldau.StaffCode{Hash: "c0de", Role: "agency", Created: at, Expires: at.Add(time.Hour)}
	f.failPut = "retried"
	if err := s.PutStaffCode(t.Context(), code); err != nil {
		t.Fatalf("PutStaffCode after a retried write = %v, want nil", err)
	}
	f.failPut = ""
	if _, err := s.UseStaffCode(t.Context(), "c0de", 42, at.Add(time.Minute)); err != nil {
		t.Fatalf("the stored code cannot be used: %v", err)
	}
	other := *code
	other.Created = at.Add(time.Second)
	if err := s.PutStaffCode(t.Context(), &other); qoldau.CodeOf(err) != qoldau.Conflict {
		t.Errorf("another code of the same hash: %v, want Conflict", err)
	}
}
