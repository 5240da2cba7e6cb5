package telegram_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/qoldau/qoldau/bot/conversation"
	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/sqlite"
)

// FuzzWebhookUpdate posts arbitrary bodies to the webhook, as anyone who learned
// the secret could (seed corpus in testdata/fuzz/FuzzWebhookUpdate): the decoder
// and the conversation must neither panic nor hang, and the answer is 200 (taken,
// or not an update: a redelivery would not help) or 500 (try again), never another.
func FuzzWebhookUpdate(f *testing.F) {
	api := fakeapi.New()
	f.Cleanup(api.Close)
	store, err := sqlite.Open(context.Background(), filepath.Join(f.TempDir(), "q.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	keys, err := secret.New([]byte("0123456789abcdef0123456789abcdef-test-key"))
	if err != nil {
		f.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	eng := &conversation.Engine{Store: store, Keys: keys, Ref: refdata.Default(), Clock: func() time.Time { return start }, Log: log}
	b, err := telegram.New(context.Background(), telegram.Config{Token: fakeapi.Token, Endpoint: api.Endpoint(),
		Secret: "s", Log: log, Limits: telegram.Limits{PerChat: time.Nanosecond, Burst: 1000, Global: 1 << 30},
		Sleep: func(context.Context, time.Duration) error { return nil }}, eng)
	if err != nil {
		f.Fatal(err)
	}
	u := fakeapi.User{ID: 42, Lang: "kk"}
	for _, s := range []string{"/start", "/start abc", "/start staff_x", "/help", "/stop", "/lang", "Сәлем \x00\xff"} {
		_, raw := api.Text(u, s)
		f.Add([]byte(raw))
	}
	_, raw := api.Contact(u, "+77011112233", 42)
	f.Add([]byte(raw))
	_, raw, _ = api.Press(u, 1, fakeapi.Button{Text: "x", Data: "a|yes"})
	f.Add([]byte(raw))
	f.Add([]byte(`{"update_id":1,"callback_query":{"id":"q","from":{"id":7},"data":"t|grant|1"}}`))
	f.Add([]byte(`{"update_id":1,"message":{"message_id":1,"chat":{"id":-100,"type":"group"},"text":"/start"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := httptest.NewRequest(http.MethodPost, "/telegram", bytes.NewReader(data))
		r.Header.Set(telegram.SecretHeader, "s")
		w := httptest.NewRecorder()
		b.ServeHTTP(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusInternalServerError {
			t.Fatalf("webhook answered %d", w.Code)
		}
	})
}
