package report

import (
	"context"
	"strings"
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
)

// BuildStamp is the layout of a build's name in its stored files' keys
// (reports/PERIOD/20261012T050405Z-kk.json): its build time in UTC to the second.
const BuildStamp = "20060102T150405Z"

// BuildID names a build: its build time in UTC with every digit it has
// (2026-10-12T05:04:05.123456789Z), as `report build` prints it.
func BuildID(built time.Time) string { return built.UTC().Format(time.RFC3339Nano) }

// ParseBuild reads a build's name: its build time as RFC 3339 (as BuildID or
// `report build --json` give it; without a fraction of a second it names the build
// of that second) or as the stamp of its files' keys (20261012T050405Z).
func ParseBuild(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, BuildStamp} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, qoldau.E(qoldau.Invalid, catalogue.Text("err.bad-build", "{build}", s), nil)
}

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
	build, err := submittedBuild(ctx, svc, p, req.Build, at)
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

// submittedBuild is the build a submission names: the one built at want (a want
// without a fraction of a second names the one build of that second; Invalid when
// the period has no such build, or several in that second), or for a zero want
// the latest built at or before at (zero when there is none).
func submittedBuild(ctx context.Context, svc *workflow.Service, p Period, want, at time.Time) (time.Time, error) {
	builds, err := svc.Builds(ctx, p.ID)
	if err != nil {
		return time.Time{}, err
	}
	var latest time.Time
	var inSecond []time.Time
	for _, b := range builds {
		switch {
		case !want.IsZero() && b.Built.Equal(want):
			return b.Built.UTC(), nil
		case !want.IsZero() && want.Nanosecond() == 0 && b.Built.Truncate(time.Second).Equal(want):
			inSecond = append(inSecond, b.Built.UTC())
		case want.IsZero() && !b.Built.After(at) && b.Built.After(latest):
			latest = b.Built.UTC()
		}
	}
	if want.IsZero() {
		return latest, nil
	}
	args := []string{"{period}", p.ID, "{build}", BuildID(want)}
	switch len(inSecond) {
	case 0:
		return time.Time{}, qoldau.E(qoldau.Invalid, catalogue.Text("err.no-build", args...), nil)
	case 1:
		return inSecond[0], nil
	}
	return time.Time{}, qoldau.E(qoldau.Invalid, catalogue.Text("err.build-ambiguous", args...), nil)
}
