package dynamo

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/qoldau/qoldau/shared/s3blob"
)

// model wraps a DynamoDB client (moto in the benchmarks) with what moto does not
// model: a round trip and a transfer rate per request, and DynamoDB's throughput
// limits. Each partition key has token buckets of writeCU write units and readCU
// read units a second (1 write unit a KB of item, 1 strongly consistent read unit a
// 4 KB), and the table as a whole has tableWriteCU and tableReadCU, as a new
// on-demand table does. A write beyond a bucket is throttled as DynamoDB throttles
// it: BatchWriteItem hands the items back unprocessed (a throttling error when
// none went through), BatchGetItem the keys, other calls fail with
// ProvisionedThroughputExceededException; reads are charged after the fact, so a
// partition may run into debt and throttles until it is paid. The store's own
// retries (backoff with jitter) then do what they would on AWS.
type model struct {
	API
	rtt       time.Duration // per request
	bandwidth float64       // bytes a second per request

	mu     sync.Mutex
	write  map[string]*bucket
	read   map[string]*bucket
	tableW *bucket
	tableR *bucket
	partW  float64 // write units a second per partition key
	partR  float64 // read units a second per partition key
	wcu    float64
	rcu    float64
}

// The model's numbers: DynamoDB's documented per-partition limits and a new
// on-demand table's initial throughput; a few milliseconds a request in one region
// and 50 MB/s a connection.
const (
	writeCU      = 1000
	readCU       = 3000
	tableWriteCU = 4000
	tableReadCU  = 12000
	modelRTT     = 5 * time.Millisecond
	modelBytesPS = 50e6
)

func newModel(api API) *model {
	now := time.Now()
	return &model{API: api, rtt: modelRTT, bandwidth: modelBytesPS,
		write: map[string]*bucket{}, read: map[string]*bucket{}, partW: writeCU, partR: readCU,
		tableW: newBucket(tableWriteCU, now), tableR: newBucket(tableReadCU, now)}
}

// unlimited turns the model off: no latency, no limits, only the counting.
func (m *model) unlimited() {
	m.rtt, m.bandwidth, m.partW, m.partR = 0, 1e18, 1e12, 1e12
	m.tableW, m.tableR = newBucket(1e12, time.Now()), newBucket(1e12, time.Now())
}

// bucket holds up to one second of rate; tokens may go negative (reads in debt).
type bucket struct {
	rate, tokens float64
	last         time.Time
}

func newBucket(rate float64, now time.Time) *bucket {
	return &bucket{rate: rate, tokens: rate, last: now}
}

func (b *bucket) refill(now time.Time) {
	b.tokens = min(b.rate, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
}

func (m *model) bucketFor(set map[string]*bucket, pk string, rate float64, now time.Time) *bucket {
	b := set[pk]
	if b == nil {
		b = newBucket(rate, now)
		set[pk] = b
	}
	b.refill(now)
	return b
}

func writeUnits(it item) float64 { return float64((itemSize(it) + 1023) / 1024) }

// takeWrite charges a write of it, or reports that it is throttled.
func (m *model) takeWrite(it item, now time.Time) bool {
	cost := writeUnits(it)
	p := m.bucketFor(m.write, pkOf(it), m.partW, now)
	m.tableW.refill(now)
	if p.tokens < cost || m.tableW.tokens < cost {
		return false
	}
	p.tokens -= cost
	m.tableW.tokens -= cost
	m.wcu += cost
	return true
}

// mayRead reports whether a partition (and the table) may be read now.
func (m *model) mayRead(pk string, now time.Time) bool {
	p := m.bucketFor(m.read, pk, m.partR, now)
	m.tableR.refill(now)
	return p.tokens > 0 && m.tableR.tokens > 0
}

// chargeRead charges bytes read from partition pk.
func (m *model) chargeRead(pk string, bytes int) {
	cost := float64((bytes + 4095) / 4096)
	m.bucketFor(m.read, pk, m.partR, time.Now()).tokens -= cost
	m.tableR.tokens -= cost
	m.rcu += cost
}

func throttled() error {
	return &smithy.GenericAPIError{Code: "ProvisionedThroughputExceededException", Message: "model: throughput exceeded", Fault: smithy.FaultClient}
}

// transfer waits a round trip and the time bytes take on the wire.
func (m *model) transfer(ctx context.Context, bytes int) error {
	return sleep(ctx, m.rtt+time.Duration(float64(bytes)/m.bandwidth*float64(time.Second)))
}

func (m *model) BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error) {
	now := time.Now()
	pass := map[string][]types.WriteRequest{}
	rest := map[string][]types.WriteRequest{}
	size := 0
	m.mu.Lock()
	for table, reqs := range in.RequestItems {
		for _, r := range reqs {
			it := item(nil)
			if r.PutRequest != nil {
				it = r.PutRequest.Item
			} else {
				it = r.DeleteRequest.Key
			}
			if m.takeWrite(it, now) {
				pass[table] = append(pass[table], r)
				size += itemSize(it)
			} else {
				rest[table] = append(rest[table], r)
			}
		}
	}
	m.mu.Unlock()
	if size == 0 {
		return nil, throttled()
	}
	if err := m.transfer(ctx, size); err != nil {
		return nil, err
	}
	out, err := m.API.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pass}, o...)
	if err != nil {
		return nil, err
	}
	for table, reqs := range rest {
		out.UnprocessedItems[table] = append(out.UnprocessedItems[table], reqs...)
	}
	return out, nil
}

func (m *model) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	now := time.Now()
	pass := map[string]types.KeysAndAttributes{}
	rest := map[string]types.KeysAndAttributes{}
	n := 0
	m.mu.Lock()
	for table, ka := range in.RequestItems {
		p, r := ka, ka
		p.Keys, r.Keys = nil, nil
		for _, k := range ka.Keys {
			if m.mayRead(pkOf(k), now) {
				p.Keys = append(p.Keys, k)
				n++
			} else {
				r.Keys = append(r.Keys, k)
			}
		}
		pass[table] = p
		if len(r.Keys) > 0 {
			rest[table] = r
		}
	}
	m.mu.Unlock()
	if n == 0 {
		return nil, throttled()
	}
	out, err := m.API.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pass}, o...)
	if err != nil {
		return nil, err
	}
	size := 0
	m.mu.Lock()
	for _, its := range out.Responses {
		for _, it := range its {
			s := itemSize(it)
			size += s
			m.chargeRead(pkOf(it), s)
		}
	}
	m.mu.Unlock()
	if out.UnprocessedKeys == nil {
		out.UnprocessedKeys = map[string]types.KeysAndAttributes{}
	}
	for table, ka := range rest {
		u := out.UnprocessedKeys[table]
		ka.Keys = append(u.Keys, ka.Keys...)
		out.UnprocessedKeys[table] = ka
	}
	return out, m.transfer(ctx, size)
}

func (m *model) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	pk := ""
	if v, ok := in.ExpressionAttributeValues[":pk"].(*types.AttributeValueMemberS); ok {
		pk = v.Value
	}
	m.mu.Lock()
	ok := m.mayRead(pk, time.Now())
	m.mu.Unlock()
	if !ok {
		return nil, throttled()
	}
	out, err := m.API.Query(ctx, in, o...)
	if err != nil {
		return nil, err
	}
	size := 0
	for _, it := range out.Items {
		size += itemSize(it)
	}
	m.mu.Lock()
	m.chargeRead(pk, size)
	m.mu.Unlock()
	return out, m.transfer(ctx, size)
}

func (m *model) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	m.mu.Lock()
	ok := m.mayRead(pkOf(in.Key), time.Now())
	m.mu.Unlock()
	if !ok {
		return nil, throttled()
	}
	out, err := m.API.GetItem(ctx, in, o...)
	if err != nil {
		return nil, err
	}
	size := itemSize(out.Item)
	m.mu.Lock()
	m.chargeRead(pkOf(in.Key), size)
	m.mu.Unlock()
	return out, m.transfer(ctx, size)
}

func (m *model) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	m.mu.Lock()
	ok := m.takeWrite(in.Item, time.Now())
	m.mu.Unlock()
	if !ok {
		return nil, throttled()
	}
	if err := m.transfer(ctx, itemSize(in.Item)); err != nil {
		return nil, err
	}
	return m.API.PutItem(ctx, in, o...)
}

func (m *model) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	size := 0
	for _, t := range in.TransactItems {
		if t.Put != nil {
			size += 2 * itemSize(t.Put.Item) // a transactional write costs twice
		}
	}
	if err := m.transfer(ctx, size); err != nil {
		return nil, err
	}
	return m.API.TransactWriteItems(ctx, in, o...)
}

// s3Model wraps an S3 client with a first-byte latency and a transfer rate per
// request (S3's request-rate limits, 3,500 PUT and 5,500 GET a second per prefix,
// are far above what one version asks).
type s3Model struct {
	s3blob.API
	rtt       time.Duration
	bandwidth float64
}

// The S3 model's numbers: 20 ms to the first byte, 80 MB/s a connection.
func newS3Model(api s3blob.API) *s3Model {
	return &s3Model{API: api, rtt: 20 * time.Millisecond, bandwidth: 80e6}
}

func (m *s3Model) wait(ctx context.Context, bytes int64) error {
	return sleep(ctx, m.rtt+time.Duration(float64(bytes)/m.bandwidth*float64(time.Second)))
}

func (m *s3Model) PutObject(ctx context.Context, in *s3.PutObjectInput, o ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	var n int64
	if in.ContentLength != nil {
		n = *in.ContentLength
	}
	if err := m.wait(ctx, n); err != nil {
		return nil, err
	}
	return m.API.PutObject(ctx, in, o...)
}

func (m *s3Model) GetObject(ctx context.Context, in *s3.GetObjectInput, o ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	out, err := m.API.GetObject(ctx, in, o...)
	if err != nil {
		return nil, err
	}
	out.Body = &paced{r: out.Body, ctx: ctx, m: m, first: true}
	return out, nil
}

// paced delivers a body at the model's rate, after its first-byte latency.
type paced struct {
	r     io.ReadCloser
	ctx   context.Context
	m     *s3Model
	first bool
	owed  time.Duration
}

func (p *paced) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.owed += time.Duration(float64(n) / p.m.bandwidth * float64(time.Second))
	if p.first {
		p.owed, p.first = p.owed+p.m.rtt, false
	}
	if p.owed >= 2*time.Millisecond || err != nil {
		if serr := sleep(p.ctx, p.owed); serr != nil && err == nil {
			err = serr
		}
		p.owed = 0
	}
	return n, err
}

func (p *paced) Close() error { return p.r.Close() }
