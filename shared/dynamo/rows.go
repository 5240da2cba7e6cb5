package dynamo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/rowpack"
)

// A version's rows are one rowpack stream cut into chunks of chunkSize bytes; chunk
// i is the item (ROWS#<period>#<version>#<attempt>#<i mod shards>, <i, 8 digits>)
// with the bytes in attribute "b". See the package doc for why.
const (
	defaultChunk  = 128 << 10 // bytes of the stream per item (an item holds 400 KB)
	defaultShards = 16        // partitions a version's chunks are spread over
	chunksPerReq  = 8         // chunks per BatchWriteItem / BatchGetItem: 1 MiB
	chunkAttr     = "b"
	layoutPacked  = "rowpack" // the version item's "layout"; absent: one item per row
)

func chunkPK(p civil.Month, n int, attempt string, shard int) string {
	return fmt.Sprintf("ROWS#%s#%d#%s#%02d", p, n, attempt, shard)
}

// rowsRef says where a committed version's rows are: from its version item.
type rowsRef struct {
	period  civil.Month
	version int
	attempt string
	layout  string // layoutPacked, or "" for one item per row (older versions)
	rows    int
	chunks  int
	shards  int
}

func (r *rowsRef) chunkKey(i int) item {
	return key(chunkPK(r.period, r.version, r.attempt, i%r.shards), rowSK(i))
}

// writeChunks packs rows into the attempt's chunks: chunksPerReq items a
// BatchWriteItem, s.workers requests in flight. It returns the rows and chunks it
// sent (written or not, so a cleanup can delete them all).
func (s *Store) writeChunks(ctx context.Context, ref *rowsRef, rows qoldau.RowSeq) (nrows, nchunks int, err error) {
	if rows == nil {
		return 0, 0, nil
	}
	// A batch in flight is never cancelled: a request the client abandons may still
	// be applied by the server after the caller has cleaned up the attempt's rows.
	// Cancellation (a failed batch, the caller's context) stops new batches instead.
	inflight := context.WithoutCancel(ctx)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		work  = make(chan []types.WriteRequest)
	)
	for range max(1, s.workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for reqs := range work {
				if ctx.Err() != nil {
					continue
				}
				if err := s.batchWrite(inflight, reqs); err != nil {
					once.Do(func() { first = err; cancel(err) })
				}
			}
		}()
	}
	cw := &chunkWriter{ctx: ctx, ref: ref, work: work, size: s.chunkSize}
	pw := rowpack.NewWriter(cw)
	err = rows(func(r *qoldau.Row) error { return pw.Add(r) })
	if err == nil {
		err = pw.Close()
	}
	if err == nil {
		err = cw.close()
	}
	close(work)
	wg.Wait()
	if first != nil {
		return pw.Rows(), cw.n, first
	}
	if err == nil {
		err = ctx.Err()
	}
	return pw.Rows(), cw.n, err
}

// chunkWriter cuts the stream into chunk items and hands them to the writers in
// batches.
type chunkWriter struct {
	ctx   context.Context
	ref   *rowsRef
	work  chan<- []types.WriteRequest
	size  int // bytes a chunk
	buf   []byte
	batch []types.WriteRequest
	n     int // chunks made
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if w.buf == nil {
			w.buf = make([]byte, 0, w.size)
		}
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p, written = p[k:], written+k
		if len(w.buf) == w.size {
			if err := w.cut(); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

// cut makes the buffered bytes a chunk item, and sends a full batch.
func (w *chunkWriter) cut() error {
	it := w.ref.chunkKey(w.n)
	it[chunkAttr] = &types.AttributeValueMemberB{Value: w.buf}
	w.buf = nil
	w.n++
	w.batch = append(w.batch, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
	if len(w.batch) == chunksPerReq {
		return w.send()
	}
	return nil
}

func (w *chunkWriter) send() error {
	select {
	case w.work <- w.batch:
		w.batch = nil
		return nil
	case <-w.ctx.Done():
		return context.Cause(w.ctx)
	}
}

// close sends what is left.
func (w *chunkWriter) close() error {
	if len(w.buf) > 0 {
		if err := w.cut(); err != nil {
			return err
		}
	}
	if len(w.batch) > 0 {
		return w.send()
	}
	return nil
}

// deleteChunks removes an uncommitted attempt's chunks, best effort: they are
// invisible anyway, this only saves storage. It outlives ctx's cancellation, within
// a limit.
func (s *Store) deleteChunks(ctx context.Context, ref *rowsRef, n int) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cleanupWait)
	defer cancel()
	batches := (n + batchSize - 1) / batchSize
	_ = parallel(ctx, s.workers, batches, func(ctx context.Context, b int) error {
		lo, hi := b*batchSize, min((b+1)*batchSize, n)
		reqs := make([]types.WriteRequest, 0, hi-lo)
		for i := lo; i < hi; i++ {
			reqs = append(reqs, types.WriteRequest{DeleteRequest: &types.DeleteRequest{Key: ref.chunkKey(i)}})
		}
		return s.batchWrite(ctx, reqs)
	})
}

// rowsOf reads a version's item: where its rows are. NotFound when it is absent.
func (s *Store) rowsOf(ctx context.Context, period civil.Month, version int) (*rowsRef, error) {
	it, err := s.getItem(ctx, key(versionPK(period), versionSK(version)))
	if err != nil {
		return nil, internal("read the version", err)
	}
	if it == nil {
		return nil, qoldau.Errorf(qoldau.NotFound, "register %s has no version %d", period, version)
	}
	_, attempt, err := decodeVersion(it)
	d := decoder{m: it}
	ref := &rowsRef{period: period, version: version, attempt: attempt, layout: d.str("layout"),
		rows: d.int("rows_stored"), chunks: d.int("chunks"), shards: d.int("shards")}
	if err == nil {
		err = d.err
	}
	if err == nil && ref.layout != "" && (ref.layout != layoutPacked || ref.shards < 1 && ref.chunks > 0) {
		err = errors.New("unknown row layout")
	}
	if err != nil {
		return nil, internal("read the version", err)
	}
	return ref, nil
}

// readRows calls fn for each row of a version, in order, with the fields f names.
// The chunks are fetched chunksPerReq a BatchGetItem, s.workers requests ahead.
func (s *Store) readRows(ctx context.Context, period civil.Month, version int, f rowpack.Fields, fn func(*qoldau.Row) error) error {
	ref, err := s.rowsOf(ctx, period, version)
	if err != nil {
		return err
	}
	if ref.layout == "" {
		return s.readRowItems(ctx, ref, fn)
	}
	if ref.chunks == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	groups := (ref.chunks + chunksPerReq - 1) / chunksPerReq
	cr := newOrdered(ctx, groups, max(1, s.workers), func(ctx context.Context, g int) ([]byte, error) {
		return s.fetchChunks(ctx, ref, g*chunksPerReq, min((g+1)*chunksPerReq, ref.chunks))
	})
	n, err := rowpack.Read(cr, f, fn)
	var fetch *fetchError
	switch {
	case errors.As(err, &fetch):
		return internal("read rows", fetch.err)
	case errors.Is(err, rowpack.ErrCorrupt):
		return internal("read rows", err)
	case err != nil:
		return err // fn's own
	case n != ref.rows:
		return internal("read rows", fmt.Errorf("%d rows read, the version has %d", n, ref.rows))
	}
	return nil
}

// fetchError marks a failure to read chunks, as opposed to an error of the caller's
// row function.
type fetchError struct{ err error }

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// fetchChunks reads chunks [lo, hi) and returns their bytes in order.
func (s *Store) fetchChunks(ctx context.Context, ref *rowsRef, lo, hi int) ([]byte, error) {
	keys := make([]item, 0, hi-lo)
	for i := lo; i < hi; i++ {
		keys = append(keys, ref.chunkKey(i))
	}
	parts := make([][]byte, hi-lo)
	var bad error
	err := s.batchGetItems(ctx, keys, func(it item) {
		d := decoder{m: it}
		var i int
		if _, err := fmt.Sscanf(d.str(skAttr), "%d", &i); err != nil || i < lo || i >= hi {
			bad = errors.New("a chunk item has an unexpected key")
			return
		}
		b, ok := it[chunkAttr].(*types.AttributeValueMemberB)
		if !ok {
			bad = errors.New("a chunk item has no bytes")
			return
		}
		parts[i-lo] = b.Value
	})
	if err == nil {
		err = bad
	}
	if err == nil && slices.ContainsFunc(parts, func(p []byte) bool { return p == nil }) {
		err = errors.New("a chunk of the rows is missing")
	}
	if err != nil {
		return nil, &fetchError{err}
	}
	return bytes.Join(parts, nil), nil
}

// readRowItems reads a version stored by earlier releases, one item per row.
func (s *Store) readRowItems(ctx context.Context, ref *rowsRef, fn func(*qoldau.Row) error) error {
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: item{":pk": str(rowsPK(ref.period, ref.version, ref.attempt))},
	}, func(it item) error {
		r, err := decodeRow(it)
		if err != nil {
			return internal("read a row", err)
		}
		return fn(r)
	})
	return wrapQuery("read rows", err)
}

// ordered is an io.Reader over the results of fetch(0), fetch(1), … fetch(n-1) in
// that order, with up to workers fetches running ahead of the reader. A fetch's
// error is returned by Read; the fetches stop when ctx is done.
type ordered struct {
	ctx     context.Context
	results chan chan result
	cur     []byte
	err     error
}

type result struct {
	b   []byte
	err error
}

func newOrdered(ctx context.Context, n, workers int, fetch func(context.Context, int) ([]byte, error)) *ordered {
	o := &ordered{ctx: ctx, results: make(chan chan result, workers)}
	go func() {
		defer close(o.results)
		for i := range n {
			ch := make(chan result, 1)
			select {
			case o.results <- ch: // blocks while workers results wait to be read
			case <-ctx.Done():
				return
			}
			go func() {
				b, err := fetch(ctx, i)
				ch <- result{b, err}
			}()
		}
	}()
	return o
}

func (o *ordered) Read(p []byte) (int, error) {
	for len(o.cur) == 0 {
		if o.err != nil {
			return 0, o.err
		}
		ch, ok := <-o.results
		if !ok {
			o.err = io.EOF
			if err := o.ctx.Err(); err != nil {
				o.err = &fetchError{err}
			}
			continue
		}
		r := <-ch
		o.cur, o.err = r.b, r.err
	}
	n := copy(p, o.cur)
	o.cur = o.cur[n:]
	return n, nil
}
