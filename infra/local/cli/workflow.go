package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workflow"
)

func init() {
	commands["upload"] = command{"store a register as a new version of its period, validate it, draft a letter", cmdUpload}
	commands["status"] = command{"a period's deadlines, versions, counted version, letter and reconciliation", cmdStatus}
	commands["letters"] = command{"notification letters: list [--period P] | send ID --number N [--at RFC3339] [--received RFC3339]", cmdLetters}
	commands["acts"] = command{"signed acts: import FILE [--sheet NAME] [--received RFC3339]", cmdActs}
	commands["diff"] = command{"compare two versions of a period's register", cmdDiff}
}

// monthFlag parses a --period value.
func monthFlag(e *env, v string) (civil.Month, bool) {
	p, err := civil.ParseMonth(v)
	if err != nil {
		fail(e, "--period %q: want YYYY-MM, e.g. 2026-09", v)
		return 0, false
	}
	return p, true
}

func timeFlag(e *env, name, v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		fail(e, "--%s %q: want RFC3339, e.g. 2026-10-01T09:30:00+05:00", name, v)
		return t, false
	}
	return t, true
}

func cmdUpload(e *env, args []string) int {
	fs := newFlags(e, "upload")
	period := fs.String("period", "", "reporting month YYYY-MM (required)")
	received := fs.String("received", "", "when the register was received, RFC3339 (backfill; default now)")
	sheet := fs.String("sheet", "", "the workbook's sheet to read (default: the first whose first 20 rows hold the header)")
	force := fs.Bool("force", false, "store the register even when its end dates mostly fall in another month than --period")
	sf, asJSON := storeFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		return fail(e, "usage: qoldau upload --period YYYY-MM [--sheet NAME] [--force] [--received RFC3339] FILE")
	}
	p, ok := monthFlag(e, *period)
	if !ok {
		return 2
	}
	rt, ok := timeFlag(e, "received", *received)
	if !ok {
		return 2
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		res, err := a.Svc.Upload(ctx, workflow.UploadRequest{Period: p, Path: pos[0], Received: rt, Actor: a.Cfg.Actor,
			Sheet: *sheet, Force: *force})
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, res)
		} else {
			dup := ""
			if res.Duplicate {
				dup = " (identical to the latest version: not stored again)"
			}
			fmt.Fprintf(e.stdout, "register %s version %d%s\n", res.Period, res.Version, dup)
			if res.Result != nil && res.Result.Sheet != "" {
				fmt.Fprintf(e.stdout, "  sheet %q\n", res.Result.Sheet)
			}
			fmt.Fprintf(e.stdout, "  received %s, due %s, effective deadline %s, late %v\n",
				res.Received.In(almaty()).Format("2006-01-02 15:04"), res.Due, res.EffectiveDeadline, res.Late)
			fmt.Fprintf(e.stdout, "  rows: %d read, %d accepted, %d rejected, %d with warnings\n",
				res.Rows.Read, res.Rows.Accepted, res.Rows.Rejected, res.Rows.Warned)
			for _, w := range res.Warnings {
				fmt.Fprintf(e.stdout, "  note: %s\n", w.EN)
			}
			if res.Letter != nil {
				fmt.Fprintf(e.stdout, "  letter %s drafted: send it with `qoldau letters send %s`\n", *res.Letter, *res.Letter)
			}
		}
		if res.FileError {
			fmt.Fprintf(e.stderr, "qoldau: %s\n", res.Result.Reason())
			return 2
		}
		if res.Rows.Rejected > 0 {
			return 1
		}
		return 0
	})
}

func cmdStatus(e *env, args []string) int {
	fs := newFlags(e, "status")
	period := fs.String("period", "", "reporting month YYYY-MM (required)")
	sf, asJSON := storeFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	p, ok := monthFlag(e, *period)
	if !ok {
		return 2
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		st, err := a.Svc.Status(ctx, p)
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, st)
			return 0
		}
		fmt.Fprintf(e.stdout, "register %s: due %s, effective deadline %s\n", st.Period, st.Due, st.EffectiveDeadline)
		if len(st.Versions) == 0 {
			if st.Missing {
				fmt.Fprintln(e.stdout, "  not submitted (a violation)")
			} else {
				fmt.Fprintln(e.stdout, "  no version yet")
			}
		}
		for _, v := range st.Versions {
			fmt.Fprintf(e.stdout, "  v%d received %s%s: %d rows, %d rejected\n", v.Version,
				v.Received.In(almaty()).Format("2006-01-02 15:04"), map[bool]string{true: " (after the due date)"}[v.Late], v.Rows.Read, v.Rows.Rejected)
		}
		if st.Late {
			fmt.Fprintf(e.stdout, "  LATE by %d working days: excluded from reports (clause 10)\n", st.WorkingDaysLate)
		}
		if st.CountedVersion != nil {
			fmt.Fprintf(e.stdout, "  counted version: %d\n", *st.CountedVersion)
		}
		fmt.Fprintf(e.stdout, "  rows: %d received, %d rejected, %d unconfirmed, %d confirmed\n",
			st.Rows.Received, st.Rows.Rejected, st.Rows.Unconfirmed, st.Rows.Confirmed)
		for _, l := range st.Letters {
			state := "draft, send by " + l.SendDue.String()
			if l.IsSent() {
				state = "sent " + l.Sent.In(almaty()).Format("2006-01-02 15:04") + ", correction due " + l.CorrectionDue.String()
			}
			fmt.Fprintf(e.stdout, "  letter %s: %s\n", l.ID, state)
		}
		return 0
	})
}

func cmdLetters(e *env, args []string) int {
	if len(args) == 0 {
		return fail(e, "usage: qoldau letters list [--period P] | qoldau letters send ID --number N [--at RFC3339] [--received RFC3339]")
	}
	fs := newFlags(e, "letters "+args[0])
	period := fs.String("period", "", "reporting month YYYY-MM")
	at := fs.String("at", "", "when the letter was sent, RFC3339 (default now)")
	number := fs.String("number", "", "the letter's outgoing number (send; required)")
	received := fs.String("received", "", "when the operator received the letter, RFC3339 (default: when sent)")
	sf, asJSON := storeFlags(fs)
	pos, err := parse(fs, args[1:])
	if err != nil {
		return 2
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		switch args[0] {
		case "list":
			var p civil.Month
			if *period != "" {
				var ok bool
				if p, ok = monthFlag(e, *period); !ok {
					return 2
				}
			}
			ls, err := a.Svc.Letters(ctx, p)
			if err != nil {
				return failErr(e, err)
			}
			if *asJSON {
				printJSON(e, map[string]any{"letters": ls})
				return 0
			}
			for _, l := range ls {
				state := "draft, send by " + l.SendDue.String()
				if l.Overdue {
					state += " (OVERDUE)"
				}
				if l.IsSent() {
					state = "sent " + l.Sent.In(almaty()).Format("2006-01-02 15:04") + ", correction due " + l.CorrectionDue.String()
					if l.SentLate {
						state += " (sent late)"
					}
				}
				fmt.Fprintf(e.stdout, "%s  %s  errors %v  files %v\n", l.ID, state, l.Errors, l.Files)
			}
			return 0
		case "send":
			if len(pos) != 1 || *number == "" {
				return fail(e, "usage: qoldau letters send ID --number N [--at RFC3339] [--received RFC3339]")
			}
			t, ok := timeFlag(e, "at", *at)
			if !ok {
				return 2
			}
			rt, ok := timeFlag(e, "received", *received)
			if !ok {
				return 2
			}
			l, err := a.Svc.Send(ctx, pos[0], workflow.SendRequest{Number: *number, At: t, Received: rt, Actor: a.Cfg.Actor})
			if err != nil {
				if qoldau.CodeOf(err) == qoldau.NotFound {
					return fail(e, "no letter %q (see qoldau letters list)", pos[0])
				}
				return failErr(e, err)
			}
			if *asJSON {
				printJSON(e, l)
			} else {
				fmt.Fprintf(e.stdout, "letter %s (No. %s) sent %s, received %s; the operator must correct by %s\n", l.ID, l.Number,
					l.Sent.In(almaty()).Format("2006-01-02 15:04"), l.ReceivedAt().In(almaty()).Format("2006-01-02 15:04"), l.CorrectionDue)
			}
			return 0
		}
		return fail(e, "unknown letters command %q (list or send)", args[0])
	})
}

func cmdActs(e *env, args []string) int {
	if len(args) == 0 || args[0] != "import" {
		return fail(e, "usage: qoldau acts import FILE [--sheet NAME] [--received RFC3339]")
	}
	fs := newFlags(e, "acts import")
	received := fs.String("received", "", "when the acts file was received, RFC3339 (default now)")
	sheet := fs.String("sheet", "", "the workbook's sheet to read (default: the first whose first rows hold the header)")
	sf, asJSON := storeFlags(fs)
	pos, err := parse(fs, args[1:])
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		return fail(e, "usage: qoldau acts import FILE [--sheet NAME] [--received RFC3339]")
	}
	t, ok := timeFlag(e, "received", *received)
	if !ok {
		return 2
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		res, err := a.Svc.ImportActs(ctx, pos[0], *sheet, t, a.Cfg.Actor)
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, res)
		} else {
			fmt.Fprintf(e.stdout, "acts: %d lines read, %d rejected, %d new\n", res.Read, res.Rejected, res.Added)
			if res.Sheet != "" {
				fmt.Fprintf(e.stdout, "  sheet %q\n", res.Sheet)
			}
			for i, f := range res.Findings {
				if i == 20 {
					fmt.Fprintf(e.stdout, "  … %d more\n", len(res.Findings)-20)
					break
				}
				fmt.Fprintf(e.stdout, "  %s %-6s %-18s %s\n", f.Severity, f.Cell, f.Code, f.Message.EN)
			}
		}
		switch {
		case res.FileError:
			for _, f := range res.Findings {
				if f.Row == 0 && f.Severity == qoldau.SevError {
					fmt.Fprintf(e.stderr, "qoldau: %s\n", f.Message.EN)
					break
				}
			}
			return 2
		case res.Rejected > 0:
			return 1
		}
		return 0
	})
}

func cmdDiff(e *env, args []string) int {
	fs := newFlags(e, "diff")
	period := fs.String("period", "", "reporting month YYYY-MM (required)")
	from := fs.Int("from", 0, "the earlier version (default: the one before --to)")
	to := fs.Int("to", 0, "the later version (default: the latest)")
	sf, asJSON := storeFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	p, ok := monthFlag(e, *period)
	if !ok {
		return 2
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		st, err := a.Svc.State(ctx, p)
		if err != nil {
			return failErr(e, err)
		}
		n := len(st.Versions)
		if *to == 0 {
			*to = n
		}
		if *from == 0 {
			*from = *to - 1
		}
		if *from < 1 || *to > n || *from >= *to {
			return fail(e, "register %s has versions 1..%d: --from %d --to %d does not fit", p, n, *from, *to)
		}
		d, err := a.Svc.Diff(ctx, p, *from, *to)
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, d)
			return 0
		}
		fmt.Fprintf(e.stdout, "register %s: v%d → v%d\n", p, d.From, d.To)
		fmt.Fprintf(e.stdout, "  rows: %d unchanged, %d changed, %d added, %d removed\n", d.Same, len(d.Changed), len(d.Added), len(d.Removed))
		fmt.Fprintf(e.stdout, "  errors: %d fixed, %d still open, %d new\n", len(d.Errors.Fixed), len(d.Errors.Open), len(d.Errors.New))
		for _, c := range d.Changed {
			fmt.Fprintf(e.stdout, "  row %s: %v\n", strconv.Itoa(c.To), c.Fields)
		}
		return 0
	})
}
