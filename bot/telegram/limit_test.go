package telegram

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestLimiter: a chat gets a burst, then one message a second; all chats together
// get Global a second.
func TestLimiter(t *testing.T) {
	now := time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)
	l := newLimiter(Limits{PerChat: time.Second, Burst: 3, Global: 25}, func() time.Time { return now },
		func(context.Context, time.Duration) error { return nil })
	var got []time.Duration
	for range 5 {
		got = append(got, l.reserve(1))
	}
	// The burst still respects the global spacing (40 ms at 25 a second).
	want := []time.Duration{0, 40 * time.Millisecond, 80 * time.Millisecond, time.Second, 2 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("one chat's waits (-want +got):\n%s", diff)
	}

	now = now.Add(time.Hour)
	got = nil
	for c := range 30 {
		got = append(got, l.reserve(int64(100+c)))
	}
	// 25 a second: message k waits k × 40 ms.
	for k, d := range got {
		if w := time.Duration(k) * 40 * time.Millisecond; d != w {
			t.Fatalf("message %d to a new chat waits %v, want %v", k, d, w)
		}
	}
}

// TestLimiterEdits: edits wait for the global limit only.
func TestLimiterEdits(t *testing.T) {
	now := time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)
	l := newLimiter(Limits{PerChat: time.Second, Burst: 1, Global: 10}, func() time.Time { return now },
		func(context.Context, time.Duration) error { return nil })
	got := []time.Duration{l.reserve(1), l.reserveIn(1, false), l.reserveIn(1, false), l.reserve(1)}
	want := []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond, time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestLimiterDefaults(t *testing.T) {
	l := newLimiter(Limits{}, time.Now, nil)
	if l.perChat != time.Second || l.chatTol != 2*time.Second || l.global != 40*time.Millisecond {
		t.Errorf("defaults: per chat %v, tolerance %v, global %v", l.perChat, l.chatTol, l.global)
	}
}
