package telegram

import (
	"context"
	"sync"
	"time"
)

// Limits are Telegram's sending limits (docs/rules.md, "Behaviour"): about one message
// a second per chat, short bursts allowed, and 25 a second in all.
type Limits struct {
	PerChat time.Duration // the interval between messages to one chat (0: 1s)
	Burst   int           // messages one chat may get at once before the interval applies (0: 3)
	Global  int           // messages a second in all (0: 25)
}

// DefaultLimits are those limits.
func DefaultLimits() Limits { return Limits{PerChat: time.Second, Burst: 3, Global: 25} }

// limiter spaces messages with the generic cell rate algorithm: each bucket keeps a
// theoretical arrival time, and a message waits until both its chat's bucket and
// the global one admit it. Waiting happens outside the lock.
type limiter struct {
	mu      sync.Mutex
	perChat time.Duration
	chatTol time.Duration
	global  time.Duration
	chats   map[int64]time.Time
	tat     time.Time
	now     func() time.Time
	sleep   func(context.Context, time.Duration) error
	sweeps  int
}

func newLimiter(l Limits, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	d := DefaultLimits()
	if l.PerChat <= 0 {
		l.PerChat = d.PerChat
	}
	if l.Burst <= 0 {
		l.Burst = d.Burst
	}
	if l.Global <= 0 {
		l.Global = d.Global
	}
	return &limiter{
		perChat: l.PerChat, chatTol: time.Duration(l.Burst-1) * l.PerChat,
		global: time.Second / time.Duration(l.Global), chats: map[int64]time.Time{},
		now: now, sleep: sleep,
	}
}

// reserve books the next slot for a message to chat and returns how long to wait
// for it.
func (l *limiter) reserve(chat int64) time.Duration { return l.reserveIn(chat, true) }

// reserveIn books a slot in the global bucket, and in chat's when perChat.
func (l *limiter) reserveIn(chat int64, perChat bool) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if !perChat {
		at := later(l.tat, now)
		l.tat = at.Add(l.global)
		return at.Sub(now)
	}
	ctat := l.chats[chat]
	if ctat.Before(now) {
		ctat = now
	}
	gtat := l.tat
	if gtat.Before(now) {
		gtat = now
	}
	at := later(later(ctat.Add(-l.chatTol), gtat), now) // the global bucket has no burst
	l.chats[chat] = later(ctat, at).Add(l.perChat)
	l.tat = at.Add(l.global)
	if l.sweeps++; l.sweeps%1024 == 0 {
		for id, t := range l.chats {
			if t.Before(now) {
				delete(l.chats, id)
			}
		}
	}
	return at.Sub(now)
}

// wait blocks until chat may get a message (perChat) or an edit (the global
// limit only: edits add no message to the chat).
func (l *limiter) wait(ctx context.Context, chat int64, perChat bool) error {
	if d := l.reserveIn(chat, perChat); d > 0 {
		return l.sleep(ctx, d)
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
