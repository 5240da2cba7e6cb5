package report

import (
	"context"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// SubmitRequest records a report's submission to the authorized body (clause 13).
type SubmitRequest struct {
	Period   string    // 2026-Q3, 2026, 2026-07..2026-09
	At       time.Time // when it was submitted; zero: now
	LetterNo string    // outgoing letter number
	RegNo    string    // registration number at the body
	Media    string    // usb | cd | dvd
	Actor    string
	// Build is the built time of the report build that was signed and submitted;
	// zero: the period's latest build at or before At (none: no build named).
	Build time.Time
}

// SubmitResult is the stored submission and its lateness.
type SubmitResult struct {
	qoldau.Submission
	// Due is the report's due date (0 for a range, which is never due).
	Due             civil.Date `json:"due,omitzero"`
	Late            bool       `json:"late"`
	WorkingDaysLate int        `json:"working_days_late"`
}

var (
	msgBadMedia    = catalogue.Text("err.bad-media")
	msgNeedNumbers = catalogue.Text("err.need-numbers")
	msgSubmitted   = catalogue.Text("err.submitted")
	msgNoBuild     = catalogue.Text("err.no-build")
)

// Submit records that the signed report of a period went to the authorized body;
// the first submission stands (Conflict after it). Lateness is measured from At
// to the report's due date; report reminders stop (workflow's Submitted). The
// audit log records it.
func Submit(ctx context.Context, svc *workflow.Service, req SubmitRequest) (*SubmitResult, error) {
	now := svc.Clock()
	p, err := ParseAt(req.Period, now)
	if err != nil {
		return nil, err
	}
	if req.LetterNo, err = qoldau.CleanText("letter_no", req.LetterNo, 64); err != nil {
		return nil, err
	}
	if req.RegNo, err = qoldau.CleanText("reg_no", req.RegNo, 64); err != nil {
		return nil, err
	}
	switch req.Media {
	case qoldau.MediaUSB, qoldau.MediaCD, qoldau.MediaDVD:
	default:
		return nil, qoldau.E(qoldau.Invalid, msgBadMedia, nil)
	}
	if req.LetterNo == "" || req.RegNo == "" {
		return nil, qoldau.E(qoldau.Invalid, msgNeedNumbers, nil)
	}
	at := req.At
	if at.IsZero() {
		at = now
	} else if err := qoldau.CheckTime("at", at, now); err != nil {
		return nil, err
	}
	build, err := submittedBuild(ctx, svc, p.ID, req.Build, at)
	if err != nil {
		return nil, err
	}
	sub := qoldau.Submission{Period: p.ID, Submitted: at.UTC(), LetterNo: req.LetterNo, RegNo: req.RegNo,
		Media: req.Media, Actor: req.Actor, Recorded: now.UTC(), Build: build}
	if err := svc.RecordSubmission(ctx, &sub); err != nil {
		if qoldau.CodeOf(err) == qoldau.Conflict {
			return nil, qoldau.E(qoldau.Conflict, msgSubmitted, err)
		}
		return nil, err
	}
	out := &SubmitResult{Submission: sub}
	if due, ok := p.Due(svc.Cal); ok {
		out.Due = due
		out.Late = at.After(workday.EndOf(due))
		out.WorkingDaysLate = svc.Cal.WorkingDaysBetween(due, workday.Today(at))
	}
	return out, nil
}

// submittedBuild is the build a submission names: the one built at want (Invalid
// when the period has no such build), or for a zero want the latest built at or
// before at (zero when there is none).
func submittedBuild(ctx context.Context, svc *workflow.Service, period string, want, at time.Time) (time.Time, error) {
	builds, err := svc.Builds(ctx, period)
	if err != nil {
		return time.Time{}, err
	}
	var latest time.Time
	for _, b := range builds {
		switch {
		case !want.IsZero() && b.Built.Equal(want):
			return b.Built.UTC(), nil
		case want.IsZero() && !b.Built.After(at) && b.Built.After(latest):
			latest = b.Built.UTC()
		}
	}
	if !want.IsZero() {
		return time.Time{}, qoldau.E(qoldau.Invalid, msgNoBuild, nil)
	}
	return latest, nil
}
