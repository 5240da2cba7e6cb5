// Package remind is the reminder job (docs/rules.md, "Reminders"): run on a schedule
// in Asia/Almaty working hours, it works out which reminders are due at that moment
// and sends each through a qoldau.Notifier once, however often the job runs or is
// retried: a reminder's key is claimed (Store.Claim) before it is sent.
//
//   - operator: the register for a period is due in 3 and in 1 working days, and on
//     the due day, while no version exists; the working day after, a "late" notice;
//   - operator: a sent letter's correction deadline is in 1 working day, while no
//     later version of the period exists;
//   - agency: a drafted letter is still unsent at 09:00 of its send-by day (the next
//     working day after detection);
//   - agency: a scheduled report is due in 5 and in 2 working days, while not
//     submitted.
//
// Each stage has a window (from its day until the next stage), so a run missed on
// one day is made up on the next without sending anything twice.
package remind

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Channel is one way notices reach staff (Telegram, e-mail, a log line); its Name
// keys the claims, so each notice goes through each channel once.
type Channel struct {
	Name string
	qoldau.Notifier
}

// Job sends the reminders.
type Job struct {
	Svc      *workflow.Service
	Channels []Channel
	// Extra runs after the staff reminders, e.g. the client survey reminder tick.
	Extra []func(ctx context.Context, now time.Time) error
	Log   *slog.Logger
	// FirstHour and LastHour bound the working hours (Almaty) in which reminders go
	// out; zero values mean 9 and 18.
	FirstHour, LastHour int
}

// Result tells what a run did.
type Result struct {
	Sent    []string `json:"sent"`    // keys of reminders sent now (through at least one channel)
	Skipped string   `json:"skipped"` // why nothing was considered (a day off, out of hours)
	// Undelivered names "<channel>/<key>" of each reminder a channel surely did not
	// deliver (Telegram or SES down): its claim is released and the audit log
	// records it, so a later run in the reminder's window sends it.
	Undelivered []string `json:"undelivered,omitempty"`
	Failed      int      `json:"failed"` // sends of unknown outcome (logged; not tried again)
}

// Report is a scheduled report and its due date.
type Report struct {
	Name string // "2026-Q1" … "2026-Q4", "2026" (annual, as of December 1)
	Due  civil.Date
}

// Reports returns the scheduled reports of year with their due dates, as the
// report package schedules them (report.Scheduled and Period.Due: Q1-Q3 on the
// 12th of the month after the quarter, Q4 and the annual report on December 10,
// each moved to the next working day).
func Reports(cal *workday.Calendar, year int) []Report {
	var out []Report
	for _, p := range report.Scheduled(year) {
		due, _ := p.Due(cal)
		out = append(out, Report{Name: p.ID, Due: due})
	}
	return out
}

// Run sends the reminders due at now. It returns an error only for a failure worth
// a retry (the store cannot be read or claimed); a notice that fails to go out is
// logged and counted, since its claim is taken and a retry would not resend it.
func (j *Job) Run(ctx context.Context, now time.Time) (*Result, error) {
	res := &Result{Sent: []string{}}
	cal := j.Svc.Cal
	local := now.In(workday.Almaty())
	today := civil.Of(local)
	first, last := j.FirstHour, j.LastHour
	if first == 0 && last == 0 {
		first, last = 9, 18
	}
	switch {
	case !cal.IsWorking(today):
		res.Skipped = "not a working day"
	case local.Hour() < first || local.Hour() > last:
		res.Skipped = "outside working hours"
	default:
		var due []qoldau.Notice
		for _, f := range []func(context.Context, civil.Date) ([]qoldau.Notice, error){j.registers, j.corrections, j.letters, j.reports} {
			ns, err := f(ctx, today)
			if err != nil {
				return nil, err
			}
			due = append(due, ns...)
		}
		for _, n := range due {
			sent, err := j.send(ctx, n, now, res)
			if err != nil {
				return nil, err
			}
			if sent {
				res.Sent = append(res.Sent, n.Key)
			}
		}
	}
	for _, f := range j.Extra {
		if err := f(ctx, now); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// send sends n through each channel that has not sent it (claim "remind/<channel>/
// <key>" first, so a retried run sends nothing twice) and reports whether one did
// now. A channel that surely did not deliver releases its claim and is recorded in
// the audit log, so a later run sends it; one whose outcome is unknown keeps it.
func (j *Job) send(ctx context.Context, n qoldau.Notice, now time.Time, res *Result) (bool, error) {
	sent := false
	for _, c := range j.Channels {
		claim := "remind/" + c.Name + "/" + n.Key
		ok, err := j.Svc.Claim(ctx, claim, now)
		if err != nil {
			return sent, err
		}
		if !ok {
			continue
		}
		err = c.Notify(ctx, n)
		switch {
		case err == nil:
			sent = true
			j.log().InfoContext(ctx, "reminder sent", "notice", n.Key, "channel", c.Name, "to", string(n.To))
		case errors.Is(err, qoldau.ErrNotSent):
			res.Undelivered = append(res.Undelivered, c.Name+"/"+n.Key)
			j.log().WarnContext(ctx, "reminder not delivered; it will be sent again", "notice", n.Key, "channel", c.Name, "err", err)
			if err := j.Svc.Release(ctx, claim); err != nil {
				return sent, err
			}
			if err := j.Svc.Audit(ctx, "system", "undelivered", "reminder "+n.Key, map[string]string{"channel": c.Name}); err != nil {
				return sent, err
			}
		default:
			res.Failed++
			j.log().ErrorContext(ctx, "reminder not delivered", "notice", n.Key, "channel", c.Name, "err", err)
		}
	}
	return sent, nil
}

func (j *Job) log() *slog.Logger {
	if j.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return j.Log
}

// in reports whether today is in [from, to].
func in(today, from, to civil.Date) bool { return today >= from && today <= to }

// registers: the operator's due-date reminders for the periods due around today.
func (j *Job) registers(ctx context.Context, today civil.Date) ([]qoldau.Notice, error) {
	cal := j.Svc.Cal
	var out []qoldau.Notice
	for p := today.Month().Add(-2); p <= today.Month(); p++ {
		d := j.Svc.Due(p)
		stage := ""
		switch {
		case in(today, cal.AddWorking(d, -3), cal.AddWorking(d, -2)):
			stage = "d-3"
		case in(today, cal.AddWorking(d, -1), d-1):
			stage = "d-1"
		case today == d:
			stage = "d0"
		case in(today, d+1, cal.AddWorking(d, 5)):
			stage = "late"
		default:
			continue
		}
		vs, err := j.Svc.Versions(ctx, p)
		if err != nil {
			return nil, err
		}
		if len(vs) > 0 {
			continue
		}
		out = append(out, dueNotice(p, d, stage, cal.WorkingDaysBetween(today, d)))
	}
	return out, nil
}

// corrections: a sent letter's correction deadline is the next working day and the
// operator has uploaded no later version.
func (j *Job) corrections(ctx context.Context, today civil.Date) ([]qoldau.Notice, error) {
	ls, err := j.Svc.Letters(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []qoldau.Notice
	for _, l := range ls {
		if !l.IsSent() || l.CorrectionDue == 0 || !in(today, j.Svc.Cal.AddWorking(l.CorrectionDue, -1), l.CorrectionDue-1) {
			continue
		}
		vs, err := j.Svc.Versions(ctx, l.Period)
		if err != nil {
			return nil, err
		}
		if n := len(vs); n > 0 && vs[n-1].Number > l.Version {
			continue
		}
		out = append(out, correctionNotice(l.Letter))
	}
	return out, nil
}

// letters: drafts still unsent on (or after) their send-by day, from 09:00 (the
// job runs in working hours only).
func (j *Job) letters(ctx context.Context, today civil.Date) ([]qoldau.Notice, error) {
	ls, err := j.Svc.Letters(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []qoldau.Notice
	for _, l := range ls {
		if !l.IsSent() && in(today, l.SendDue, j.Svc.Cal.AddWorking(l.SendDue, 5)) {
			out = append(out, letterNotice(l.Letter))
		}
	}
	return out, nil
}

// reports: scheduled reports due in 5 and in 2 working days, while not submitted.
func (j *Job) reports(ctx context.Context, today civil.Date) ([]qoldau.Notice, error) {
	cal := j.Svc.Cal
	var out []qoldau.Notice
	for _, r := range Reports(cal, today.Year()) {
		stage := ""
		switch {
		case in(today, cal.AddWorking(r.Due, -5), cal.AddWorking(r.Due, -3)):
			stage = "r-5"
		case in(today, cal.AddWorking(r.Due, -2), r.Due):
			stage = "r-2"
		default:
			continue
		}
		done, err := j.Svc.Submitted(ctx, r.Name)
		if err != nil {
			return nil, err
		}
		if done {
			continue
		}
		out = append(out, reportNotice(r, stage))
	}
	return out, nil
}
