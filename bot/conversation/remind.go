package conversation

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
)

// Sender performs actions for the engine's own initiative (reminders, offers).
// Send returns how many actions went out before an error; ErrBlocked (wrapped or
// not) when Telegram says the user blocked the bot.
type Sender interface {
	Send(ctx context.Context, acts []Action) (int, error)
}

// Reminder timing (docs/rules.md, "Behaviour").
const (
	UnfinishedAfter = 48 * time.Hour // started and not finished
	UnstartedAfter  = 72 * time.Hour // offered and not started
	QuietFrom       = 21             // no reminder from 21:00 …
	QuietUntil      = 9              // … to 09:00, Asia/Almaty
)

// Quiet reports whether t falls in the night hours (21:00-09:00 Almaty) when the
// bot writes to no client on its own.
func Quiet(t time.Time) bool {
	h := t.In(workday.Almaty()).Hour()
	return h >= QuietFrom || h < QuietUntil
}

// TickResult tells what a reminder tick did.
type TickResult struct {
	Reminded int  `json:"reminded"`
	Offered  int  `json:"offered"`
	Failed   int  `json:"failed"`
	Skipped  bool `json:"skipped_night,omitempty"`
}

// RemindTick sends what is due at now to linked client chats: one reminder to a
// client who started and did not finish within 2 days, one to a client who did not
// start an offered survey within 3 days (so at most 2 per invitation or offer), and
// an offer of services of the client that appeared since the last offer. Nothing
// goes to a chat after /stop, to a blocked chat, or between 21:00 and 09:00 Almaty;
// each reminder is claimed (Store.Claim) before it is sent, so a retried tick never
// sends one twice. A reminder that fails to go out is counted, not retried.
func (e *Engine) RemindTick(ctx context.Context, now time.Time, out Sender) (*TickResult, error) {
	res := &TickResult{}
	if Quiet(now) {
		res.Skipped = true
		return res, nil
	}
	var chats []int64
	err := e.Store.Chats(ctx, func(c *qoldau.Chat) error {
		if c.Client != "" && !c.Stopped && !c.Blocked {
			chats = append(chats, c.ID)
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	for _, id := range chats {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		acts, kind, err := e.due(ctx, id, now)
		if err != nil {
			return res, err
		}
		if len(acts) == 0 {
			continue
		}
		if _, err := out.Send(ctx, acts); err != nil {
			res.Failed++
			if errors.Is(err, ErrBlocked) {
				if err := e.MarkBlocked(ctx, id); err != nil {
					return res, err
				}
			}
			e.log().Warn("bot reminder not delivered", "kind", kind, "error", err)
			continue
		}
		if kind == "offer" {
			res.Offered++
		} else {
			res.Reminded++
		}
	}
	return res, nil
}

// due works out and records the reminder or offer due in chat id at now.
func (e *Engine) due(ctx context.Context, id int64, now time.Time) ([]Action, string, error) {
	var (
		acts []Action
		kind string
	)
	err := e.update(ctx, id, func(c *qoldau.Chat, st *state) (bool, error) {
		acts, kind = nil, ""
		if c.Client == "" || c.Stopped || c.Blocked {
			return false, nil
		}
		t := &turn{e: e, c: c, st: st, now: now}
		switch {
		case st.Draft != nil && (st.Step == stepQuestion || st.Step == stepSummary) &&
			!c.Started.IsZero() && now.Sub(c.Started) >= UnfinishedAfter:
			kind = "unfinished"
		case len(st.Queue) > 0 && c.Started.IsZero() && !c.Offered.IsZero() && now.Sub(c.Offered) >= UnstartedAfter:
			kind = "unstarted"
		case st.Step == stepIdle || st.Step == stepNew:
			// New services of a linked client are offered by the bot itself.
			svcs, err := e.Store.ClientServices(ctx, c.Client)
			if err != nil {
				return false, err
			}
			open, err := openServices(ctx, e.Store, recent(svcs, now, e.lookback()))
			if err != nil || len(open) == 0 {
				return false, err
			}
			key := "survey-offer/" + strconv.FormatInt(c.ID, 10) + "/" + open[0].Key()
			ok, err := e.Store.Claim(ctx, key, now)
			if err != nil || !ok {
				return false, err
			}
			c.Offer = "of-" + strconv.FormatInt(now.Unix(), 10)
			c.Offered, c.Started, c.Finished = now, time.Time{}, time.Time{}
			st.Queue, st.Total, st.Done = open, len(open), 0
			t.send(t.tr("offer.new"), nil)
			t.send(t.tr("offer.count", "{n}", strconv.Itoa(len(open))), nil)
			t.startService()
			acts, kind = t.acts, "offer"
			return true, nil
		default:
			return false, nil
		}
		ok, err := e.Store.Claim(ctx, "survey-remind/"+strconv.FormatInt(c.ID, 10)+"/"+c.Offer+"/"+kind, now)
		if err != nil || !ok {
			return false, err
		}
		t.send(t.tr("reminder."+kind), nil)
		if st.Draft == nil && len(st.Queue) > 0 {
			t.startService()
		} else {
			t.resend()
		}
		acts = t.acts
		return true, nil
	})
	if qoldau.CodeOf(err) == qoldau.NotFound {
		return nil, "", nil
	}
	return acts, kind, err
}
