package dynamo

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Report items (the table of the package doc, continued):
//
//	entity             PK                     SK                     other attributes
//	report submission  REPORTS                SUB#<period>           the Submission's fields
//	report build       REPORTBUILDS#<period>  <built time>#<random>  the ReportBuild's fields
//
//	PutSubmission  PutItem, condition attribute_not_exists(PK) (else Conflict).
//	Submissions    Query PK=REPORTS, SK begins_with "SUB#".
//	PutBuild       PutItem (builds are never replaced).
//	Builds         Query PK=REPORTBUILDS#<period>: SK order is build time order.

var _ qoldau.ReportStore = (*Store)(nil)

const (
	reportsPK       = "REPORTS"
	submissionSKPfx = "SUB#"
	buildsPKPfx     = "REPORTBUILDS#"
)

// PutSubmission records a submission; the first one of a period stands.
func (s *Store) PutSubmission(ctx context.Context, sub *qoldau.Submission) error {
	if sub == nil || sub.Period == "" || sub.Submitted.IsZero() {
		return qoldau.Errorf(qoldau.Invalid, "a report submission needs a period and a time")
	}
	e := newItem(reportsPK, submissionSKPfx+sub.Period)
	e.str("period", sub.Period)
	e.time("submitted", sub.Submitted)
	e.str("letter_no", sub.LetterNo)
	e.str("reg_no", sub.RegNo)
	e.str("media", sub.Media)
	e.str("actor", sub.Actor)
	e.time("recorded", sub.Recorded)
	e.time("build", sub.Build)
	err := s.putNew(ctx, e.m)
	if isConditionFailed(err) {
		return qoldau.Errorf(qoldau.Conflict, "the report %s was submitted already", sub.Period)
	}
	if err != nil {
		return internal("store the report submission", err)
	}
	return nil
}

// Submissions lists every submission by period.
func (s *Store) Submissions(ctx context.Context) ([]qoldau.Submission, error) {
	var out []qoldau.Submission
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk AND begins_with(#sk, :p)"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr, "#sk": skAttr},
		ExpressionAttributeValues: item{":pk": str(reportsPK), ":p": str(submissionSKPfx)},
	}, func(it item) error {
		d := decoder{m: it}
		sub := qoldau.Submission{
			Period:    d.str("period"),
			Submitted: d.time("submitted"),
			LetterNo:  d.str("letter_no"),
			RegNo:     d.str("reg_no"),
			Media:     d.str("media"),
			Actor:     d.str("actor"),
			Recorded:  d.time("recorded"),
			Build:     d.time("build"),
		}
		if d.err != nil {
			return internal("read a report submission", d.err)
		}
		out = append(out, sub)
		return nil
	})
	if err != nil {
		return nil, wrapQuery("list report submissions", err)
	}
	slices.SortFunc(out, func(a, b qoldau.Submission) int { return strings.Compare(a.Period, b.Period) })
	return out, nil
}

// PutBuild records a built report.
func (s *Store) PutBuild(ctx context.Context, b *qoldau.ReportBuild) error {
	if b == nil || b.Period == "" || b.Built.IsZero() {
		return qoldau.Errorf(qoldau.Invalid, "a report build needs a period and a time")
	}
	e := newItem(buildsPKPfx+b.Period, formatTime(b.Built)+"#"+newAttempt())
	e.str("period", b.Period)
	e.time("built", b.Built)
	e.str("lang", b.Lang)
	e.texts("files", b.Files)
	e.counts("counts", b.Counts)
	e.str("actor", b.Actor)
	err := s.putItem(ctx, e.m, "", nil, nil)
	if err != nil {
		return internal("store the report build", err)
	}
	return nil
}

// Builds lists a period's builds, oldest first.
func (s *Store) Builds(ctx context.Context, period string) ([]qoldau.ReportBuild, error) {
	var out []qoldau.ReportBuild
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: item{":pk": str(buildsPKPfx + period)},
	}, func(it item) error {
		d := decoder{m: it}
		b := qoldau.ReportBuild{
			Period: d.str("period"),
			Built:  d.time("built"),
			Lang:   d.str("lang"),
			Files:  d.texts("files"),
			Counts: d.counts("counts"),
			Actor:  d.str("actor"),
		}
		if d.err != nil {
			return internal("read a report build", d.err)
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, wrapQuery("list report builds", err)
	}
	return out, nil
}
