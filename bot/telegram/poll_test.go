package telegram_test

import (
	"context"
	"log/slog"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
)

// waitFor polls cond until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestPollOtherChatsGoOn: in long polling, one chat whose replies fail was tried
// again every second and blocked every other chat (no reply to another chat in
// 10 s). Now the failing update waits for its retry, with a backoff, while the
// others are served; a chat Telegram says does not exist is not retried at all.
func TestPollOtherChatsGoOn(t *testing.T) {
	for _, tt := range []struct {
		name    string
		fault   fakeapi.Fault
		retried bool
	}{
		{"a failing chat", fakeapi.Fault{Code: 502, Description: "Bad Gateway"}, true},
		{"chat not found", fakeapi.Fault{Code: 400, Description: "Bad Request: chat not found"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			var down atomic.Bool
			var failed atomic.Int32
			down.Store(true)
			h.api.Fail = func(method string, p map[string]string) *fakeapi.Fault {
				if down.Load() && method == "sendMessage" && p["chat_id"] == strconv.Itoa(userA) {
					failed.Add(1)
					f := tt.fault
					return &f
				}
				return nil
			}
			a, e := fakeapi.User{ID: userA, Lang: "en"}, fakeapi.User{ID: userE, Lang: "en"}
			h.text(a, "/start "+h.tokens["A"])
			start := time.Now()
			h.text(e, "/start "+h.tokens["E"])
			if n := len(h.api.Messages(userE)); n == 0 || time.Since(start) > 3*time.Second {
				t.Fatalf("another chat got %d replies in %v while one chat failed", n, time.Since(start))
			}
			first := failed.Load()
			retried := waitFor(3*time.Second, func() bool { return failed.Load() > first })
			if retried != tt.retried {
				t.Errorf("the failing update was retried: %v, want %v", retried, tt.retried)
			}
			if !tt.retried {
				c, err := h.store.Chat(context.Background(), userA)
				if err != nil || !c.Blocked {
					t.Errorf("a chat not found is not marked blocked: %+v %v", c, err)
				}
				return
			}
			// Telegram answers again: the failed update goes through on its retry.
			down.Store(false)
			if !waitFor(10*time.Second, func() bool { return len(h.api.Messages(userA)) > 0 }) {
				t.Error("the failed chat got no reply after Telegram came back")
			}
		})
	}
}

// TestStartRetries: when the Bot API could not be reached as serve started, the
// bot stopped for good while the server ran on; now it tries again with a backoff.
func TestStartRetries(t *testing.T) {
	h := newHarness(t)
	h.stopBot()
	var getMe atomic.Int32
	h.api.Fail = func(method string, _ map[string]string) *fakeapi.Fault {
		if method == "getMe" && getMe.Add(1) <= 3 {
			return &fakeapi.Fault{Code: 502, Description: "Bad Gateway"}
		}
		return nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	// getMe's own tries (1 and 2 s apart) without their waits: what is tested is
	// Start's retry after they all failed.
	b, err := telegram.New(ctx, telegram.Config{Token: fakeapi.Token, Endpoint: h.api.Endpoint(),
		Log: slog.New(slog.DiscardHandler), Sleep: func(context.Context, time.Duration) error { return nil }}, h.engine)
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if _, err := b.Start(ctx, 20*time.Millisecond); err != nil {
			done <- err
			return
		}
		done <- b.Poll(ctx, time.Second)
	}()
	defer func() { cancel(); <-done }()
	e := fakeapi.User{ID: userE, Lang: "en"}
	h.text(e, "/start "+h.tokens["E"])
	if n := len(h.api.Messages(userE)); n == 0 || getMe.Load() < 4 {
		t.Errorf("after %d getMe calls, %d replies", getMe.Load(), n)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned: %v", err)
	default:
	}
}
