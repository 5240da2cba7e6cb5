package dynamo

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// isThrottle reports whether err is DynamoDB (or its emulator) asking to slow down.
func isThrottle(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "ProvisionedThroughputExceededException", "ThrottlingException", "Throttling",
		"RequestLimitExceeded", "ThrottlingError":
		return true
	}
	return false
}

// isConditionFailed reports whether err is a failed condition of a single-item write.
func isConditionFailed(err error) bool {
	var ce *types.ConditionalCheckFailedException
	return errors.As(err, &ce)
}

// backoff returns the wait before try n+1 (n from 0): full jitter over a doubling,
// capped interval.
func (s *Store) backoff(n int) time.Duration {
	d := s.backoffBase << min(n, 20)
	if d <= 0 || d > s.backoffCap {
		d = s.backoffCap
	}
	return time.Duration(rand.Int64N(int64(d)) + 1)
}

// wait sleeps the backoff before try n+1, or until ctx is done.
func (s *Store) wait(ctx context.Context, n int) error {
	d := s.backoff(n)
	if s.onBackoff != nil {
		s.onBackoff(d)
	}
	return sleep(ctx, d)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retry calls fn until it succeeds, fails with an error retry is not for, or has
// been tried maxAttempts times; throttling errors, and those for which more
// reports true, are retried after a backoff.
func (s *Store) retry(ctx context.Context, fn func() error, more func(error) bool) error {
	for n := 0; ; n++ {
		err := fn()
		if err == nil {
			return nil
		}
		if !isThrottle(err) && (more == nil || !more(err)) || n+1 >= s.maxAttempts {
			return err
		}
		if err := s.wait(ctx, n); err != nil {
			return err
		}
	}
}

var errUnprocessed = errors.New("DynamoDB left items unprocessed after every retry")

// batchWrite sends up to 25 write requests, resending UnprocessedItems with backoff.
func (s *Store) batchWrite(ctx context.Context, reqs []types.WriteRequest) error {
	pending := reqs
	for n := 0; ; n++ {
		var out *dynamodb.BatchWriteItemOutput
		err := s.retry(ctx, func() (err error) {
			out, err = s.api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
				RequestItems: map[string][]types.WriteRequest{s.table: pending},
			})
			return err
		}, nil)
		if err != nil {
			return err
		}
		pending = out.UnprocessedItems[s.table]
		if len(pending) == 0 {
			return nil
		}
		if n+1 >= s.maxAttempts {
			return errUnprocessed
		}
		if err := s.wait(ctx, n); err != nil {
			return err
		}
	}
}

// batchGet reads up to 100 keys (strongly consistent, keys only), resending
// UnprocessedKeys with backoff, and calls fn with each item found.
func (s *Store) batchGet(ctx context.Context, keys []item, fn func(item)) error {
	return s.batchGetWith(ctx, types.KeysAndAttributes{
		Keys:                     keys,
		ConsistentRead:           aws.Bool(true),
		ProjectionExpression:     aws.String("#pk, #sk"),
		ExpressionAttributeNames: map[string]string{"#pk": pkAttr, "#sk": skAttr},
	}, fn)
}

// batchGetItems reads up to 100 keys whole (strongly consistent), resending
// UnprocessedKeys with backoff.
func (s *Store) batchGetItems(ctx context.Context, keys []item, fn func(item)) error {
	return s.batchGetWith(ctx, types.KeysAndAttributes{Keys: keys, ConsistentRead: aws.Bool(true)}, fn)
}

// batchGetWith runs one BatchGetItem of pending to its end: the items found go to
// fn, and UnprocessedKeys are resent with backoff up to the attempt limit.
func (s *Store) batchGetWith(ctx context.Context, pending types.KeysAndAttributes, fn func(item)) error {
	for n := 0; ; n++ {
		var out *dynamodb.BatchGetItemOutput
		err := s.retry(ctx, func() (err error) {
			out, err = s.api.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
				RequestItems: map[string]types.KeysAndAttributes{s.table: pending},
			})
			return err
		}, nil)
		if err != nil {
			return err
		}
		for _, it := range out.Responses[s.table] {
			fn(it)
		}
		un, ok := out.UnprocessedKeys[s.table]
		if !ok || len(un.Keys) == 0 {
			return nil
		}
		if n+1 >= s.maxAttempts {
			return errUnprocessed
		}
		pending.Keys = un.Keys
		if err := s.wait(ctx, n); err != nil {
			return err
		}
	}
}

// parallel calls fn(i) for i in [0, n) from up to workers goroutines and returns
// the first error; after one, no new call starts and ctx given to fn is canceled.
func parallel(ctx context.Context, workers, n int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		next  = make(chan int)
	)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(ctx, i); err != nil {
					once.Do(func() { first = err; cancel(err) })
				}
			}
		}()
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// query runs a Query to its end, page by page, calling fn for each item; an error
// from fn stops it and is returned as is.
func (s *Store) query(ctx context.Context, in *dynamodb.QueryInput, fn func(item) error) error {
	in.TableName = aws.String(s.table)
	in.ConsistentRead = aws.Bool(true)
	for {
		var out *dynamodb.QueryOutput
		err := s.retry(ctx, func() (err error) {
			out, err = s.api.Query(ctx, in)
			return err
		}, nil)
		if err != nil {
			return &queryError{err}
		}
		for _, it := range out.Items {
			if err := fn(it); err != nil {
				return err
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// queryError marks a failure of DynamoDB itself, as opposed to one of query's fn.
type queryError struct{ err error }

func (e *queryError) Error() string { return e.err.Error() }
func (e *queryError) Unwrap() error { return e.err }
