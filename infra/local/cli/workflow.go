package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workflow"
)

func init() {
	commands["upload"] = command{"cmd.upload", cmdUpload}
	commands["status"] = command{"cmd.status", cmdStatus}
	commands["letters"] = command{"cmd.letters", cmdLetters}
	commands["acts"] = command{"cmd.acts", cmdActs}
	commands["diff"] = command{"cmd.diff", cmdDiff}
}

// monthFlag parses a --period value.
func monthFlag(e *env, v string) (civil.Month, bool) {
	p, err := civil.ParseMonth(v)
	if err != nil {
		fail(e, "bad_period", v)
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
		fail(e, "bad_time", name, v)
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
		return usageFail(e, "qoldau upload --period YYYY-MM [--sheet NAME] [--force] [--received RFC3339] FILE")
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
			if res.Duplicate {
				e.say("upload.duplicate", e.month(res.Period), res.Version)
			} else {
				e.say("upload.version", e.month(res.Period), res.Version)
			}
			if res.Result != nil && res.Result.Sheet != "" {
				e.say("upload.sheet", res.Result.Sheet)
			}
			late := e.t("no")
			if res.Late {
				late = e.t("upload.late")
			}
			e.say("upload.received", e.when(res.Received), e.day(res.Due), e.day(res.EffectiveDeadline), late)
			e.say("upload.rows", res.Rows.Read, res.Rows.Accepted, res.Rows.Rejected, res.Rows.Warned)
			for _, w := range res.Warnings {
				e.say("upload.note", w.In(e.lang))
			}
			if res.Letter != nil {
				e.say("upload.letter", *res.Letter, *res.Letter)
			}
		}
		if res.FileError {
			fmt.Fprintln(e.stderr, "qoldau: "+res.Result.ReasonIn(e.lang))
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
		e.say("status.head", e.month(st.Period), e.day(st.Due), e.day(st.EffectiveDeadline))
		if len(st.Versions) == 0 {
			if st.Missing {
				e.say("status.missing")
			} else {
				e.say("status.none")
			}
		}
		for _, v := range st.Versions {
			key := "status.version"
			if v.Late {
				key = "status.version_late"
			}
			e.say(key, v.Version, e.when(v.Received), v.Rows.Read, v.Rows.Rejected)
		}
		if st.Late {
			e.say("status.late", st.WorkingDaysLate)
		}
		if st.CountedVersion != nil {
			e.say("status.counted", *st.CountedVersion)
		}
		e.say("status.rows", st.Rows.Received, st.Rows.Rejected, st.Rows.Unconfirmed, st.Rows.Confirmed)
		for _, l := range st.Letters {
			e.say("status.letter", l.ID, letterState(e, l))
		}
		return 0
	})
}

func cmdLetters(e *env, args []string) int {
	if len(args) == 0 {
		return usageFail(e, "qoldau letters list [--period P] | qoldau letters send ID --number N [--at RFC3339] [--received RFC3339]")
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
				errs := 0
				for _, n := range l.Errors {
					errs += n
				}
				e.say("letters.line", l.ID, letterState(e, l), errs)
				for _, f := range sortedKeys(l.Files) {
					e.say("letters.file", e.label("file.", f), l.Files[f])
				}
			}
			return 0
		case "send":
			if len(pos) != 1 || *number == "" {
				return usageFail(e, "qoldau letters send ID --number N [--at RFC3339] [--received RFC3339]")
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
					return fail(e, "letters.unknown", pos[0])
				}
				return failErr(e, err)
			}
			if *asJSON {
				printJSON(e, l)
			} else {
				e.say("letters.sent", l.ID, l.Number, e.when(l.Sent), e.when(l.ReceivedAt()), e.day(l.CorrectionDue))
			}
			return 0
		}
		return fail(e, "letters.unknown_command", args[0])
	})
}

func cmdActs(e *env, args []string) int {
	if len(args) == 0 || args[0] != "import" {
		return usageFail(e, "qoldau acts import FILE [--sheet NAME] [--received RFC3339]")
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
		return usageFail(e, "qoldau acts import FILE [--sheet NAME] [--received RFC3339]")
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
			e.say("acts.summary", res.Read, res.Rejected, res.Added)
			if res.Sheet != "" {
				e.say("upload.sheet", res.Sheet)
			}
			printFindings(e, res.Findings, 20)
		}
		switch {
		case res.FileError:
			for _, f := range res.Findings {
				if f.Row == 0 && f.Severity == qoldau.SevError {
					fmt.Fprintln(e.stderr, "qoldau: "+f.Message.In(e.lang))
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
			return fail(e, "diff.range", e.month(p), n, *from, *to)
		}
		d, err := a.Svc.Diff(ctx, p, *from, *to)
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, d)
			return 0
		}
		e.say("diff.head", e.month(p), d.From, d.To)
		e.say("diff.rows", d.Same, len(d.Changed), len(d.Added), len(d.Removed))
		e.say("diff.errors", len(d.Errors.Fixed), len(d.Errors.Open), len(d.Errors.New))
		for _, c := range d.Changed {
			var fields []string
			for _, f := range c.Fields {
				fields = append(fields, fieldName(e, f))
			}
			e.say("diff.changed", c.To, strings.Join(fields, ", "))
		}
		return 0
	})
}

// letterState says where a letter stands: a draft and when it is due, or when it
// was sent and when the correction is due.
func letterState(e *env, l workflow.LetterView) string {
	if !l.IsSent() {
		if l.Overdue {
			return e.t("letter.overdue", e.day(l.SendDue))
		}
		return e.t("letter.draft", e.day(l.SendDue))
	}
	if l.SentLate {
		return e.t("letter.sent_late", e.when(l.Sent), e.day(l.CorrectionDue))
	}
	return e.t("letter.sent", e.when(l.Sent), e.day(l.CorrectionDue))
}

// printFindings prints up to max findings: cell, what is wrong and the message,
// in the command's language.
func printFindings(e *env, fs []qoldau.Finding, limit int) {
	for i, f := range fs {
		if i == limit {
			e.say("findings.more", len(fs)-limit)
			break
		}
		e.say("findings.line", register.SeverityLabel(f.Severity).In(e.lang), f.Cell, f.Message.In(e.lang))
	}
}

// fieldName names a register field in the command's language.
func fieldName(e *env, key string) string {
	if l := register.FieldLabel(key); l.EN != "" {
		return l.In(e.lang)
	}
	return key
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
