package dynamo

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/rowpack"
)

// batchSize is BatchWriteItem's limit; getBatchSize BatchGetItem's.
const (
	batchSize    = 25
	getBatchSize = 100
)

func conflictVersion(p civil.Month, n int) error {
	return qoldau.Errorf(qoldau.Conflict, "register %s already has version %d", p, n)
}

// getItem reads one item strongly consistently (nil when absent).
func (s *Store) getItem(ctx context.Context, k item) (item, error) {
	var out *dynamodb.GetItemOutput
	err := s.retry(ctx, func() (err error) {
		out, err = s.api.GetItem(ctx, &dynamodb.GetItemInput{
			TableName: aws.String(s.table), Key: k, ConsistentRead: aws.Bool(true),
		})
		return err
	}, nil)
	if err != nil {
		return nil, err
	}
	return out.Item, nil
}

// putItem writes it with an optional condition; a failed condition is reported as
// such (isConditionFailed), anything else after retries as the SDK's error.
func (s *Store) putItem(ctx context.Context, it item, cond string, names map[string]string, values item) error {
	in := &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: it}
	if cond != "" {
		in.ConditionExpression = aws.String(cond)
		in.ExpressionAttributeNames = names
		if len(values) > 0 {
			in.ExpressionAttributeValues = values
		}
	}
	return s.retry(ctx, func() error {
		_, err := s.api.PutItem(ctx, in)
		return err
	}, nil)
}

// putNew writes it unless an item of its key exists (isConditionFailed then).
func (s *Store) putNew(ctx context.Context, it item) error {
	return s.putItem(ctx, it, "attribute_not_exists(#pk)", map[string]string{"#pk": pkAttr}, nil)
}

// deleteItem deletes one item (absent is fine); what names the step in an error.
func (s *Store) deleteItem(ctx context.Context, k item, what string) error {
	err := s.retry(ctx, func() error {
		_, err := s.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(s.table), Key: k})
		return err
	}, nil)
	if err != nil {
		return internal(what, err)
	}
	return nil
}

// PutVersion writes the rows under a new attempt, then commits the version item;
// see the package doc.
func (s *Store) PutVersion(ctx context.Context, v *qoldau.Version, rows qoldau.RowSeq) error {
	if v == nil || v.Number < 1 {
		return qoldau.Errorf(qoldau.Invalid, "a register version needs a number from 1")
	}
	vkey := key(versionPK(v.Period), versionSK(v.Number))
	existing, err := s.getItem(ctx, vkey)
	if err != nil {
		return internal("read the version", err)
	}
	if existing != nil {
		return conflictVersion(v.Period, v.Number)
	}

	ref := &rowsRef{period: v.Period, version: v.Number, attempt: newAttempt(), layout: layoutPacked, shards: s.shards}
	n, chunks, err := s.writeChunks(ctx, ref, rows)
	if err != nil {
		s.deleteChunks(ctx, ref, chunks)
		if isCoded(err) {
			return err
		}
		return internal("store the rows", err)
	}
	ref.rows, ref.chunks = n, chunks

	v.RowCount = n
	put := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{
			TableName:                aws.String(s.table),
			Item:                     versionItem(v, ref),
			ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
			ExpressionAttributeNames: map[string]string{"#pk": pkAttr},
		}},
		{Put: &types.Put{
			TableName: aws.String(s.table),
			Item:      key(periodsPK, v.Period.String()),
		}},
		s.bumpInputs(),
	}}
	err = s.retry(ctx, func() error {
		_, err := s.api.TransactWriteItems(ctx, put)
		return err
	}, transactRetryable)
	if err == nil {
		return nil
	}
	// The outcome may be unknown (a timeout after the commit), or the condition may
	// have failed on this attempt's own commit (the SDK tried again after a timeout;
	// DynamoDB's idempotency token covers that, an emulator may not): the version
	// item tells whether this attempt won, and its rows are kept if it did.
	got, gerr := s.getItem(context.WithoutCancel(ctx), vkey)
	if gerr == nil {
		if got != nil {
			if _, a, _ := decodeVersion(got); a == ref.attempt {
				return nil
			}
		}
		s.deleteChunks(ctx, ref, chunks)
		if got != nil || conditionFailed(err) {
			return conflictVersion(v.Period, v.Number)
		}
	}
	return internal("store the version", err)
}

// transactRetryable: a transaction canceled only for throttling or a concurrent
// transaction on the same items may be tried again.
func transactRetryable(err error) bool {
	var tc *types.TransactionCanceledException
	if errors.As(err, &tc) {
		retry := false
		for _, r := range tc.CancellationReasons {
			switch aws.ToString(r.Code) {
			case "", "None":
			case "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded":
				retry = true
			default:
				return false
			}
		}
		return retry
	}
	var tce *types.TransactionConflictException
	var tip *types.TransactionInProgressException
	return errors.As(err, &tce) || errors.As(err, &tip)
}

// conditionFailed reports whether a write failed on its condition, alone or in a
// transaction.
func conditionFailed(err error) bool {
	if isConditionFailed(err) {
		return true
	}
	var tc *types.TransactionCanceledException
	if errors.As(err, &tc) {
		for _, r := range tc.CancellationReasons {
			if aws.ToString(r.Code) == "ConditionalCheckFailed" {
				return true
			}
		}
	}
	return false
}

// Versions lists a period's versions by number.
func (s *Store) Versions(ctx context.Context, period civil.Month) ([]qoldau.Version, error) {
	var out []qoldau.Version
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk AND begins_with(#sk, :v)"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr, "#sk": skAttr},
		ExpressionAttributeValues: item{":pk": str(versionPK(period)), ":v": str("V#")},
	}, func(it item) error {
		v, _, err := decodeVersion(it)
		if err != nil {
			return internal("read a version", err)
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, wrapQuery("list versions", err)
	}
	return out, nil
}

// Periods lists every period with a version, in order.
func (s *Store) Periods(ctx context.Context) ([]civil.Month, error) {
	var out []civil.Month
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: item{":pk": str(periodsPK)},
	}, func(it item) error {
		d := decoder{m: it}
		p := d.month(skAttr)
		if d.err != nil {
			return internal("read a period", d.err)
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, wrapQuery("list periods", err)
	}
	// SK order is string order; YYYY-MM sorts as months do for years 1000-9999.
	slices.Sort(out)
	return out, nil
}

// Rows streams a version's rows; each call of fn gets a new *Row.
func (s *Store) Rows(ctx context.Context, period civil.Month, version int, fn func(*qoldau.Row) error) error {
	return s.readRows(ctx, period, version, rowpack.All, fn)
}

// ScanRows streams a version's rows with the fields asked for
// (qoldau.ReportScanner); rows are reused between calls.
func (s *Store) ScanRows(ctx context.Context, period civil.Month, version int, fields qoldau.RowFields, fn func(*qoldau.Row) error) error {
	return s.readRows(ctx, period, version, rowpack.FieldsOf(fields), fn)
}

// ScanActs is Acts: an act item holds little besides what matching reads.
func (s *Store) ScanActs(ctx context.Context, fn func(*qoldau.Act) error) error {
	return s.Acts(ctx, fn)
}

// PutLetter stores a new letter; Conflict when its ID exists.
func (s *Store) PutLetter(ctx context.Context, l *qoldau.Letter) error {
	if err := qoldau.CheckLetterID(l); err != nil {
		return err
	}
	put := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{
			TableName:                aws.String(s.table),
			Item:                     letterItem(l),
			ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
			ExpressionAttributeNames: map[string]string{"#pk": pkAttr},
		}},
		s.bumpInputs(),
	}}
	err := s.retry(ctx, func() error {
		_, err := s.api.TransactWriteItems(ctx, put)
		return err
	}, transactRetryable)
	if conditionFailed(err) {
		return qoldau.Errorf(qoldau.Conflict, "letter %s exists already", l.ID)
	}
	if err != nil {
		return internal("store the letter", err)
	}
	return nil
}

// SendLetter records the sending of a letter; the first send stands. Everything is
// checked before the write, so an answer that is an error never leaves a write.
func (s *Store) SendLetter(ctx context.Context, id string, snd qoldau.Sending) (*qoldau.Letter, error) {
	if snd.At.IsZero() {
		return nil, qoldau.Errorf(qoldau.Invalid, "a letter's sending needs a time")
	}
	if err := qoldau.CheckStorable(&snd); err != nil {
		return nil, err
	}
	if id == "" {
		return nil, qoldau.Errorf(qoldau.NotFound, "no letter with that ID")
	}
	set := "SET #sent = :sent"
	values := item{":sent": str(formatTime(snd.At))}
	names := map[string]string{"#pk": pkAttr, "#sent": "sent"}
	add := func(name, attr string, v types.AttributeValue) {
		set += ", #" + name + " = :" + name
		names["#"+name], values[":"+name] = attr, v
	}
	if snd.By != "" {
		add("by", "sent_by", str(snd.By))
	}
	if snd.CorrectionDue != 0 {
		add("due", "correction_due", str(snd.CorrectionDue.String()))
	}
	if snd.Number != "" {
		add("num", "number", str(snd.Number))
	}
	if !snd.Received.IsZero() {
		add("rcv", "received", str(formatTime(snd.Received)))
	}
	send := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Update: &types.Update{
			TableName:                 aws.String(s.table),
			Key:                       key(lettersPK, id),
			UpdateExpression:          aws.String(set),
			ConditionExpression:       aws.String("attribute_exists(#pk) AND attribute_not_exists(#sent)"),
			ExpressionAttributeNames:  names,
			ExpressionAttributeValues: values,
		}},
		s.bumpInputs(),
	}}
	err := s.retry(ctx, func() error {
		_, err := s.api.TransactWriteItems(ctx, send)
		return err
	}, transactRetryable)
	if conditionFailed(err) {
		if _, err := s.Letter(ctx, id); err != nil {
			return nil, err // NotFound, or a failure
		}
		return nil, qoldau.Errorf(qoldau.Conflict, "letter %s was sent already", id)
	}
	if err != nil {
		return nil, internal("record the letter's sending", err)
	}
	return s.Letter(ctx, id)
}

// Letter returns one letter; NotFound when unknown.
func (s *Store) Letter(ctx context.Context, id string) (*qoldau.Letter, error) {
	if id == "" {
		return nil, qoldau.Errorf(qoldau.NotFound, "no letter with that ID")
	}
	it, err := s.getItem(ctx, key(lettersPK, id))
	if err != nil {
		return nil, internal("read the letter", err)
	}
	if it == nil {
		return nil, qoldau.Errorf(qoldau.NotFound, "no letter with that ID")
	}
	l, err := decodeLetter(it)
	if err != nil {
		return nil, internal("read the letter", err)
	}
	return l, nil
}

// Letters lists letters of a period (all when period is 0) by period, version, ID.
func (s *Store) Letters(ctx context.Context, period civil.Month) ([]qoldau.Letter, error) {
	in := &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: item{":pk": str(lettersPK)},
	}
	if period != 0 {
		// A letter's ID begins with its period (PutLetter checks it): the key
		// condition reads that period's letters only.
		in.KeyConditionExpression = aws.String("#pk = :pk AND begins_with(#sk, :prefix)")
		in.ExpressionAttributeNames["#sk"] = skAttr
		in.ExpressionAttributeValues[":prefix"] = str(period.String() + "-")
		in.FilterExpression = aws.String("#period = :period")
		in.ExpressionAttributeNames["#period"] = "period"
		in.ExpressionAttributeValues[":period"] = str(period.String())
	}
	var out []qoldau.Letter
	err := s.query(ctx, in, func(it item) error {
		l, err := decodeLetter(it)
		if err != nil {
			return internal("read a letter", err)
		}
		out = append(out, *l)
		return nil
	})
	if err != nil {
		return nil, wrapQuery("list letters", err)
	}
	slices.SortFunc(out, func(a, b qoldau.Letter) int {
		return cmp.Or(cmp.Compare(a.Period, b.Period), cmp.Compare(a.Version, b.Version), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// PutActs skips known lines (BatchGetItem), then puts the others each with a
// condition, and counts the puts that happened.
func (s *Store) PutActs(ctx context.Context, acts []qoldau.Act) (n int, err error) {
	// One candidate per Key, the first.
	seen := make(map[string]bool, len(acts))
	var fresh []*qoldau.Act
	for i := range acts {
		k := acts[i].Key()
		if !seen[k] {
			seen[k] = true
			fresh = append(fresh, &acts[i])
		}
	}
	stored := make(map[string]bool)
	var found []string
	for lo := 0; lo < len(fresh); lo += getBatchSize {
		hi := min(lo+getBatchSize, len(fresh))
		keys := make([]item, 0, hi-lo)
		for _, a := range fresh[lo:hi] {
			keys = append(keys, key(actsPK, a.Key()))
		}
		err := s.batchGet(ctx, keys, func(it item) {
			if v, ok := it[skAttr].(*types.AttributeValueMemberS); ok {
				found = append(found, v.Value)
			}
		})
		if err != nil {
			return 0, internal("read acts", err)
		}
	}
	for _, k := range found {
		stored[k] = true
	}
	var todo []*qoldau.Act
	for _, a := range fresh {
		if !stored[a.Key()] {
			todo = append(todo, a)
		}
	}
	var added atomic.Int64
	// The inputs' revision rises after the lines are stored, whatever became of
	// them (a retried import raises it again).
	defer func() {
		if rerr := s.raiseInputs(context.WithoutCancel(ctx)); rerr != nil && err == nil {
			err = internal("store acts", rerr)
		}
	}()
	err = parallel(ctx, s.workers, len(todo), func(ctx context.Context, i int) error {
		err := s.putNew(ctx, actItem(todo[i]))
		switch {
		case err == nil:
			added.Add(1)
		case isConditionFailed(err): // stored meanwhile by another import
		default:
			return err
		}
		return nil
	})
	if err != nil {
		return int(added.Load()), internal("store acts", err)
	}
	return int(added.Load()), nil
}

// Acts streams every act line ordered by Key.
func (s *Store) Acts(ctx context.Context, fn func(*qoldau.Act) error) error {
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: item{":pk": str(actsPK)},
	}, func(it item) error {
		a, err := decodeAct(it)
		if err != nil {
			return internal("read an act", err)
		}
		return fn(a)
	})
	return wrapQuery("read acts", err)
}

// Append adds an entry to the audit log.
func (s *Store) Append(ctx context.Context, e qoldau.AuditEntry) error {
	it := auditItem(&e, newAttempt())
	err := s.putItem(ctx, it, "", nil, nil)
	if err != nil {
		return internal("append to the audit log", err)
	}
	return nil
}

// Audit lists entries from since on, oldest first, at most limit (0: all).
func (s *Store) Audit(ctx context.Context, since time.Time, limit int) ([]qoldau.AuditEntry, error) {
	in := &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk AND #sk >= :since"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr, "#sk": skAttr},
		ExpressionAttributeValues: item{":pk": str(auditPK), ":since": str(formatTime(since))},
	}
	if limit > 0 {
		in.Limit = aws.Int32(int32(min(limit, 1000)))
	}
	var out []qoldau.AuditEntry
	errDone := errors.New("done")
	err := s.query(ctx, in, func(it item) error {
		e, err := decodeAudit(it)
		if err != nil {
			return internal("read the audit log", err)
		}
		out = append(out, e)
		if limit > 0 && len(out) >= limit {
			return errDone
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDone) {
		return nil, wrapQuery("read the audit log", err)
	}
	return out, nil
}

// Release deletes the claim item.
func (s *Store) Release(ctx context.Context, k string) error {
	return s.deleteItem(ctx, key(claimPK(k), claimSK), "release a claim")
}

// Claim puts the claim item unless a live one exists.
func (s *Store) Claim(ctx context.Context, k string, at time.Time) (bool, error) {
	if k == "" {
		return false, qoldau.Errorf(qoldau.Invalid, "a claim needs a key")
	}
	e := newItem(claimPK(k), claimSK)
	e.str("at", formatTime(at))
	e.m[ttlAttr] = &types.AttributeValueMemberN{Value: strconv.FormatInt(at.Add(s.claimTTL).Unix(), 10)}
	// An expired claim that TTL has not removed yet counts as absent.
	err := s.putItem(ctx, e.m, "attribute_not_exists(#pk) OR #ttl < :now", map[string]string{"#pk": pkAttr, "#ttl": ttlAttr},
		item{":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(at.Unix(), 10)}})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, internal("claim", err)
	}
	return true, nil
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// wrapQuery makes a DynamoDB failure of query an internal error and passes the
// callback's own errors through unchanged.
func wrapQuery(what string, err error) error {
	var qe *queryError
	if errors.As(err, &qe) {
		return internal(what, qe.err)
	}
	return err
}

// isCoded reports whether err is a qoldau.Error (already translated for callers).
func isCoded(err error) bool {
	var e *qoldau.Error
	return errors.As(err, &e)
}
