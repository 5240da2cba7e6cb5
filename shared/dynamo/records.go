package dynamo

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Period records (the table of the package doc, continued):
//
//	entity           PK                 SK      other attributes
//	inputs revision  META               INPUTS  rev (number)
//	period record    RECORD#<YYYY-MM>   RECORD  rev, data (JSON qoldau.PeriodRecord)
//
//	InputsRevision     GetItem META/INPUTS (0 when absent).
//	PeriodRecord       ONE BatchGetItem of the period's record and META/INPUTS.
//	PutPeriodRecords   PutItem of each record (several at once), condition
//	                   attribute_not_exists(PK) OR rev <= <its revision>: a later
//	                   record stands.
//	(revision raised)  PutVersion, PutLetter and SendLetter add Update META/INPUTS
//	                   ADD rev 1 to their TransactWriteItems; PutActs updates it
//	                   after its lines (an UpdateItem), whether or not any was new.
const (
	metaPK       = "META"
	inputsSK     = "INPUTS"
	recordPKPfx  = "RECORD#"
	recordSK     = "RECORD"
	revisionAttr = "rev"
)

func recordPK(p civil.Month) string { return recordPKPfx + p.String() }

// bumpInputs is the transaction item that raises the inputs' revision.
func (s *Store) bumpInputs() types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{
		TableName:                 aws.String(s.table),
		Key:                       key(metaPK, inputsSK),
		UpdateExpression:          aws.String("ADD #rev :one"),
		ExpressionAttributeNames:  map[string]string{"#rev": revisionAttr},
		ExpressionAttributeValues: item{":one": &types.AttributeValueMemberN{Value: "1"}},
	}}
}

// raiseInputs raises the inputs' revision on its own (after PutActs).
func (s *Store) raiseInputs(ctx context.Context) error {
	u := s.bumpInputs().Update
	return s.retry(ctx, func() error {
		_, err := s.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: u.TableName, Key: u.Key,
			UpdateExpression: u.UpdateExpression, ExpressionAttributeNames: u.ExpressionAttributeNames,
			ExpressionAttributeValues: u.ExpressionAttributeValues})
		return err
	}, nil)
}

func revisionOf(it item) (int64, error) {
	if it == nil {
		return 0, nil
	}
	d := decoder{m: it}
	rev := d.int64(revisionAttr)
	return rev, d.err
}

// InputsRevision reads the inputs' revision.
func (s *Store) InputsRevision(ctx context.Context) (int64, error) {
	it, err := s.getItem(ctx, key(metaPK, inputsSK))
	if err != nil {
		return 0, internal("read the inputs' revision", err)
	}
	rev, err := revisionOf(it)
	if err != nil {
		return 0, internal("read the inputs' revision", err)
	}
	return rev, nil
}

// PutPeriodRecords puts each record unless a later one is stored.
func (s *Store) PutPeriodRecords(ctx context.Context, rs []qoldau.PeriodRecord) error {
	err := parallel(ctx, s.workers, len(rs), func(ctx context.Context, i int) error {
		data, err := json.Marshal(&rs[i])
		if err != nil {
			return err
		}
		e := newItem(recordPK(rs[i].Period), recordSK)
		e.m[revisionAttr] = &types.AttributeValueMemberN{Value: strconv.FormatInt(rs[i].Revision, 10)}
		e.m["data"] = str(string(data))
		err = s.putItem(ctx, e.m, "attribute_not_exists(#pk) OR #rev <= :rev",
			map[string]string{"#pk": pkAttr, "#rev": revisionAttr}, item{":rev": e.m[revisionAttr]})
		if isConditionFailed(err) {
			return nil // a later record stands
		}
		return err
	})
	if err != nil {
		return internal("store period records", err)
	}
	return nil
}

// PeriodRecord reads a period's record and the inputs' revision in one request.
func (s *Store) PeriodRecord(ctx context.Context, p civil.Month) (*qoldau.PeriodRecord, int64, error) {
	var rec, meta item
	err := s.batchGetItems(ctx, []item{key(recordPK(p), recordSK), key(metaPK, inputsSK)}, func(it item) {
		if pkOf(it) == metaPK {
			meta = it
		} else {
			rec = it
		}
	})
	if err != nil {
		return nil, 0, internal("read a period record", err)
	}
	rev, err := revisionOf(meta)
	if err != nil {
		return nil, 0, internal("read the inputs' revision", err)
	}
	if rec == nil {
		return nil, rev, nil
	}
	d := decoder{m: rec}
	var r qoldau.PeriodRecord
	if err := json.Unmarshal([]byte(d.str("data")), &r); err != nil || d.err != nil {
		return nil, 0, internal("read a period record", err)
	}
	return &r, rev, nil
}
