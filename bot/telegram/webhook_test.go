package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qoldau/qoldau/bot/conversation"
	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sqlite"
)

// flaky is the embedded store with PutChat failing while fail is positive.
type flaky struct {
	*sqlite.Store
	fail atomic.Int32
}

func (f *flaky) PutChat(ctx context.Context, c *qoldau.Chat) error {
	if f.fail.Add(-1) >= 0 {
		return qoldau.Errorf(qoldau.Internal, "injected store failure")
	}
	return f.Store.PutChat(ctx, c)
}

// post sends an update to the bot's webhook with the secret header value given
// ("" leaves the header out) and returns the status.
func post(t *testing.T, h http.Handler, raw json.RawMessage, secret string) int {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/telegram", bytes.NewReader(raw))
	r.Header.Set("Content-Type", "application/json")
	if secret != "" {
		r.Header.Set(telegram.SecretHeader, secret)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

func TestWebhookSecret(t *testing.T) {
	h := newHarness(t)
	h.stopBot()
	u := fakeapi.User{ID: userE, Lang: "en"}
	tests := []struct {
		name   string
		secret string
		want   int
	}{
		{"missing", "", http.StatusUnauthorized},
		{"wrong", "test-secreT", http.StatusUnauthorized},
		{"prefix", "test-secret-and-more", http.StatusUnauthorized},
		{"right", "test-secret", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, raw := h.api.Text(u, "/start "+h.tokens["E"])
			before := len(h.api.Calls())
			if got := post(t, h.bot, raw, tt.secret); got != tt.want {
				t.Fatalf("status = %d, want %d", got, tt.want)
			}
			_, err := h.store.Chat(context.Background(), userE)
			if tt.want == http.StatusUnauthorized {
				if qoldau.CodeOf(err) != qoldau.NotFound {
					t.Errorf("a refused update stored the chat (%v)", err)
				}
				if n := len(h.api.Calls()) - before; n != 0 {
					t.Errorf("a refused update made %d Bot API calls", n)
				}
				inv, err := h.store.Invitation(context.Background(), h.keys.TokenHash(h.tokens["E"]))
				if err != nil || !inv.Used.IsZero() {
					t.Errorf("a refused update used the invitation: %+v %v", inv, err)
				}
			} else if err != nil {
				t.Errorf("an accepted update stored no chat: %v", err)
			}
		})
	}
	r := httptest.NewRequest(http.MethodGet, "/telegram", nil)
	w := httptest.NewRecorder()
	h.bot.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET = %d, want 405", w.Code)
	}
}

// TestWebhookStoreFailure: a store failure answers 500, Telegram delivers the
// update again, and the retry is processed once.
func TestWebhookStoreFailure(t *testing.T) {
	h := newHarness(t)
	h.stopBot()
	f := &flaky{Store: h.store}
	h.engine.Store = f
	u := fakeapi.User{ID: userE, Lang: "en"}
	deliver := func(raw json.RawMessage, want int) {
		t.Helper()
		if got := post(t, h.bot, raw, "test-secret"); got != want {
			t.Fatalf("status = %d, want %d", got, want)
		}
	}
	_, start := h.api.Text(u, "/start "+h.tokens["E"])
	deliver(start, http.StatusOK)
	_, lang, _ := h.api.Tap(u, "l|en")
	deliver(lang, http.StatusOK)
	_, yes, _ := h.api.Tap(u, "a|yes")
	sends := func() int { return strings.Count(h.api.Transcript(), "← sendMessage") }
	before := sends()

	f.fail.Store(1)
	deliver(yes, http.StatusInternalServerError) // the step is not stored …
	if got := sends(); got != before {
		t.Errorf("a failed step sent %d messages", got-before)
	}
	h.api.Note("(Telegram delivers the update again)")
	deliver(yes, http.StatusOK) // … the retry does it
	deliver(yes, http.StatusOK) // and a third delivery changes nothing
	if got := sends() - before; got != 1 {
		t.Errorf("the retried step sent %d messages, want 1 (the next question)", got)
	}
	c, err := h.store.Chat(context.Background(), userE)
	if err != nil {
		t.Fatal(err)
	}
	a := h.answers()
	if len(a) != 1 || a[0].Received != "yes" || a[0].IsCompleted() {
		t.Errorf("after the retry the stored answer is %+v", a)
	}
	if !c.Seen(int64(mustID(t, yes))) {
		t.Error("the retried update is not recorded as processed")
	}
	h.golden("webhook_store_failure")
}

func mustID(t *testing.T, raw json.RawMessage) int {
	t.Helper()
	var u struct {
		ID int `json:"update_id"`
	}
	if err := json.Unmarshal(raw, &u); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestWebhookSendFailure: when the replies cannot be sent, the update is answered
// 500, and its redelivery sends the replies that did not go out, once.
func TestWebhookSendFailure(t *testing.T) {
	h := newHarness(t)
	h.stopBot()
	u := fakeapi.User{ID: userE, Lang: "en"}
	_, start := h.api.Text(u, "/start "+h.tokens["E"])
	post(t, h.bot, start, "test-secret")
	_, lang, _ := h.api.Tap(u, "l|en")
	var down atomic.Bool
	h.api.Fail = func(method string, _ map[string]string) *fakeapi.Fault {
		if down.Load() && method == "sendMessage" {
			return &fakeapi.Fault{Code: 502, Description: "Bad Gateway"}
		}
		return nil
	}
	down.Store(true)
	if got := post(t, h.bot, lang, "test-secret"); got != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", got)
	}
	down.Store(false)
	h.api.Note("(Telegram delivers the update again)")
	if got := post(t, h.bot, lang, "test-secret"); got != http.StatusOK {
		t.Fatalf("status = %d, want 200", got)
	}
	if got := post(t, h.bot, lang, "test-secret"); got != http.StatusOK {
		t.Fatalf("status = %d, want 200", got)
	}
	msgs := h.api.Messages(userE)
	if n := len(msgs); n != 4 { // welcome, language, offer, question 1
		t.Errorf("%d messages in the chat, want 4", n)
	}
	h.golden("webhook_send_failure")
}

// TestRateLimitAndBlocked: a 429 waits retry_after and tries again; a 403 marks the
// chat blocked, and no reminder goes to it.
func TestRateLimitAndBlocked(t *testing.T) {
	h := newHarness(t)
	h.stopBot()
	u := fakeapi.User{ID: userE, Lang: "en"}
	var busy, blocked atomic.Int32
	busy.Store(1)
	h.api.Fail = func(method string, _ map[string]string) *fakeapi.Fault {
		if method == "sendMessage" && busy.Add(-1) >= 0 {
			return &fakeapi.Fault{Code: 429, Description: "Too Many Requests: retry after 3", RetryAfter: 3}
		}
		if method == "sendMessage" && blocked.Load() > 0 {
			return &fakeapi.Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"}
		}
		return nil
	}
	_, first := h.api.Text(u, "/start "+h.tokens["E"])
	if got := post(t, h.bot, first, "test-secret"); got != http.StatusOK {
		t.Fatalf("status = %d", got)
	}
	h.mu.Lock()
	waited := append([]time.Duration(nil), h.sleeps...)
	h.mu.Unlock()
	if len(waited) != 1 || waited[0] != 3*time.Second {
		t.Errorf("waits = %v, want one of 3s (retry_after)", waited)
	}
	if n := len(h.api.Messages(userE)); n != 2 {
		t.Errorf("%d messages after the 429, want 2", n)
	}
	blocked.Store(1)
	_, lang, _ := h.api.Tap(u, "l|en")
	if got := post(t, h.bot, lang, "test-secret"); got != http.StatusOK {
		t.Fatalf("a blocked chat's update = %d, want 200 (nothing to retry)", got)
	}
	c, err := h.store.Chat(context.Background(), userE)
	if err != nil || !c.Blocked {
		t.Fatalf("the chat is not marked blocked: %+v %v", c, err)
	}
	before := len(h.api.Calls())
	res, err := h.bot.RemindTick(context.Background(), start.Add(4*24*time.Hour).Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if res.Reminded != 0 || len(h.api.Calls()) != before {
		t.Errorf("a blocked chat got a reminder: %+v", res)
	}
}

func TestSetWebhook(t *testing.T) {
	h := newHarness(t)
	h.stopBot()
	if err := h.bot.SetWebhook("https://example.kz/telegram"); err != nil {
		t.Fatal(err)
	}
	w := h.api.Webhook
	if w["url"] != "https://example.kz/telegram" || w["secret_token"] != "test-secret" {
		t.Errorf("setWebhook parameters = %v", w)
	}
	if name, err := h.bot.Username(t.Context()); err != nil || name != fakeapi.Username {
		t.Errorf("Username = %q, %v", name, err)
	}
}

// TestIdentityLazy: a bot starts without asking Telegram anything; its username is
// the configured one, or getMe's, asked when first needed, retried, and kept.
func TestIdentityLazy(t *testing.T) {
	api := fakeapi.New()
	t.Cleanup(api.Close)
	var down atomic.Bool
	down.Store(true)
	api.Fail = func(method string, _ map[string]string) *fakeapi.Fault {
		if down.Load() {
			return &fakeapi.Fault{Code: 502, Description: "Bad Gateway"}
		}
		return nil
	}
	var waits []time.Duration
	cfg := telegram.Config{Token: fakeapi.Token, Endpoint: api.Endpoint(),
		Sleep: func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }}
	b, err := telegram.New(t.Context(), cfg, &conversation.Engine{})
	if err != nil {
		t.Fatalf("New with Telegram down: %v", err)
	}
	if n := len(api.Calls()); n != 0 {
		t.Fatalf("New made %d Bot API calls, want none", n)
	}
	if _, err := b.Username(t.Context()); err == nil || strings.Contains(err.Error(), fakeapi.Token) {
		t.Fatalf("Username with Telegram down = %v, want an error without the token", err)
	}
	if n := len(api.Calls()); n != 3 || !slices.Equal(waits, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("getMe tried %d times with waits %v, want 3 tries, 1 s and 2 s apart", n, waits)
	}
	down.Store(false)
	for range 2 {
		if name, err := b.Username(t.Context()); err != nil || name != fakeapi.Username {
			t.Errorf("Username = %q, %v; want %q", name, err, fakeapi.Username)
		}
	}
	if n := len(api.Calls()); n != 4 {
		t.Errorf("%d calls, want 4: the username is kept once known", n)
	}

	cfg.Username = "@configured_bot"
	b, err = telegram.New(t.Context(), cfg, &conversation.Engine{})
	if err != nil {
		t.Fatal(err)
	}
	if name, err := b.Username(t.Context()); err != nil || name != "configured_bot" || len(api.Calls()) != 4 {
		t.Errorf("configured Username = %q, %v after %d calls; want configured_bot without a call", name, err, len(api.Calls()))
	}
}
