package report

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Violations is Section 4 (clauses 10, 11, 14): the operator's late and missing
// registers, late corrections and rows excluded, and the agency's own late letters
// and reports.
type Violations struct {
	// Registers lists the late and the missing registers.
	Registers []RegisterViolation `json:"registers"`
	// Letters lists every notification letter of the period's registers.
	Letters []LetterRow `json:"letters"`
	// Corrections lists the correction clock of every sent letter.
	Corrections []CorrectionRow `json:"corrections"`
	// Unconfirmed counts rows excluded as unconfirmed by acts, by reason.
	Unconfirmed map[string]int `json:"unconfirmed_by_reason"`
	// Errors counts the rows still in error after the correction deadline, by
	// error code (a row with several codes counts under each); ErrorRows counts
	// the rows.
	Errors    []CodeCount `json:"rows_in_error"`
	ErrorRows int         `json:"rows_in_error_total"`
	// Open lists the periods whose correction time is not over at the build time:
	// their rows in error are not yet violations.
	Open []civil.Month `json:"correction_open"`
	// Reports lists the agency's scheduled reports over the period that are due
	// by the build time or submitted, with their lateness.
	Reports []ReportRow `json:"reports"`
}

// RegisterViolation is a late or missing register.
type RegisterViolation struct {
	Period civil.Month `json:"period"`
	Due    civil.Date  `json:"due"`
	// Received is when the first version arrived (zero for a missing register).
	Received        time.Time `json:"received,omitzero"`
	WorkingDaysLate int       `json:"working_days_late"`
	Status          string    `json:"status"` // late | missing
}

// LetterRow is a notification letter and whether the agency sent it within 1
// working day (clause 8).
type LetterRow struct {
	ID      string      `json:"id"`
	Period  civil.Month `json:"period"`
	Version int         `json:"version"`
	Drafted time.Time   `json:"drafted"`
	SendDue civil.Date  `json:"send_due"`
	Sent    time.Time   `json:"sent,omitzero"`
	// Number is the letter's outgoing number, recorded when it was sent.
	Number string `json:"number,omitempty"`
	// Received is when the operator received the letter (the recorded receipt,
	// else the sending): the correction clock runs from it (clause 9).
	Received time.Time `json:"received,omitzero"`
	Errors   int       `json:"errors"` // error findings
	// Status is on_time, late (sent after the deadline), overdue (not sent, the
	// deadline over) or pending (not sent, not due yet).
	Status string `json:"status"`
}

// CorrectionRow is the correction clock a sent letter started (clause 9).
type CorrectionRow struct {
	Letter string      `json:"letter"`
	Period civil.Month `json:"period"`
	// LetterVersion is the version the letter is about.
	LetterVersion int        `json:"letter_version"`
	Due           civil.Date `json:"correction_due"`
	Version       int        `json:"version,omitempty"` // the correcting version, 0 if none
	// Received is when the correcting version arrived.
	Received time.Time `json:"received,omitzero"`
	// Status is on_time, late, missing (no correction and the deadline over) or
	// pending.
	Status string `json:"status"`
}

// CodeCount counts rows by a finding code.
type CodeCount struct {
	Code string `json:"code"`
	Rows int    `json:"rows"`
}

// ReportRow is one of the agency's reports and its submission (clause 13).
type ReportRow struct {
	Period    string     `json:"period"`
	Due       civil.Date `json:"due"`
	Submitted time.Time  `json:"submitted,omitzero"`
	LetterNo  string     `json:"letter_no,omitempty"`
	RegNo     string     `json:"reg_no,omitempty"`
	Media     string     `json:"media,omitempty"`
	// WorkingDaysLate counts from the due date to the submission, or to the build
	// date while not submitted.
	WorkingDaysLate int    `json:"working_days_late"`
	Status          string `json:"status"` // on_time | late | missing
}

// Violation statuses beyond the register statuses.
const (
	StatusOverdue = "overdue"
)

func (b *builder) violations(ctx context.Context, r *Report, data *workflow.ReportData) (*Violations, error) {
	cal := b.svc.Cal
	built := r.Built
	today := workday.Today(built)
	v := &Violations{Registers: []RegisterViolation{}, Letters: []LetterRow{}, Corrections: []CorrectionRow{},
		Unconfirmed: r.Reconciliation.UnconfirmedBy, Errors: []CodeCount{}, Open: []civil.Month{}, Reports: []ReportRow{}}
	codes := map[string]int{}
	for i := range data.Registers {
		rr := &data.Registers[i]
		st := rr.State
		switch {
		case st.Late:
			first := st.Versions[0].Received
			for _, x := range st.Versions {
				if x.Received.Before(first) {
					first = x.Received
				}
			}
			v.Registers = append(v.Registers, RegisterViolation{Period: st.Period, Due: st.Due, Received: first,
				WorkingDaysLate: rr.WorkingDaysLate, Status: StatusLate})
		case rr.Missing:
			v.Registers = append(v.Registers, RegisterViolation{Period: st.Period, Due: st.Due,
				WorkingDaysLate: rr.WorkingDaysLate, Status: StatusMissing})
		}
		for _, l := range rr.Letters {
			row := LetterRow{ID: l.ID, Period: l.Period, Version: l.Version, Drafted: l.Drafted, SendDue: l.SendDue,
				Sent: l.Sent, Number: l.Number, Received: l.ReceivedAt()}
			for _, n := range l.Errors {
				row.Errors += n
			}
			switch {
			case l.IsSent() && l.SentLate:
				row.Status = StatusLate
			case l.IsSent():
				row.Status = StatusOnTime
			case l.Overdue:
				row.Status = StatusOverdue
			default:
				row.Status = StatusPending
			}
			v.Letters = append(v.Letters, row)
			if !l.IsSent() {
				continue
			}
			c := CorrectionRow{Letter: l.ID, Period: l.Period, LetterVersion: l.Version, Due: l.CorrectionDue}
			for _, x := range st.Versions {
				if x.Number > l.Version {
					c.Version, c.Received = x.Number, x.Received
					break
				}
			}
			end := workday.EndOf(l.CorrectionDue)
			switch {
			case c.Version > 0 && !c.Received.After(end):
				c.Status = StatusOnTime
			case c.Version > 0:
				c.Status = StatusLate
			case built.After(end):
				c.Status = StatusMissing
			default:
				c.Status = StatusPending
			}
			v.Corrections = append(v.Corrections, c)
		}
		if st.Late || st.Counted == nil {
			continue
		}
		if !built.After(workday.EndOf(st.Effective)) {
			v.Open = append(v.Open, st.Period)
			continue
		}
		for _, o := range rr.Outcome {
			if o == workflow.OutcomeRejected {
				v.ErrorRows++
			}
		}
		if i < len(b.errCodes) {
			for c, n := range b.errCodes[i] {
				codes[c] += n
			}
		}
	}
	for c, n := range codes {
		v.Errors = append(v.Errors, CodeCount{Code: c, Rows: n})
	}
	slices.SortFunc(v.Errors, func(a, c CodeCount) int { return cmp.Or(cmp.Compare(c.Rows, a.Rows), cmp.Compare(a.Code, c.Code)) })

	// The agency's own reports over the period: due by now, or submitted.
	list, err := b.svc.Submissions(ctx)
	if err != nil {
		return nil, err
	}
	subs := map[string]qoldau.Submission{}
	for _, s := range list {
		subs[s.Period] = s
	}
	for y := r.Period.From.Year(); y <= r.Period.To.Year(); y++ {
		for _, p := range Scheduled(y) {
			if p.To < r.Period.From || p.From > r.Period.To {
				continue
			}
			due, _ := p.Due(cal)
			s, submitted := subs[p.ID]
			if !submitted && !built.After(workday.EndOf(due)) {
				continue
			}
			row := ReportRow{Period: p.ID, Due: due}
			switch {
			case submitted:
				row.Submitted, row.LetterNo, row.RegNo, row.Media = s.Submitted, s.LetterNo, s.RegNo, s.Media
				row.WorkingDaysLate = cal.WorkingDaysBetween(due, workday.Today(s.Submitted))
				row.Status = StatusOnTime
				if s.Submitted.After(workday.EndOf(due)) {
					row.Status = StatusLate
				}
			default:
				row.WorkingDaysLate = cal.WorkingDaysBetween(due, today)
				row.Status = StatusMissing
			}
			v.Reports = append(v.Reports, row)
		}
	}
	return v, nil
}
