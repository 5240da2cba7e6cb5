package lambdafn

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// fakeSES is an SES v2 endpoint that records the e-mails sent through it.
type fakeSES struct {
	*httptest.Server
	mu   sync.Mutex
	sent []map[string]any
}

func newFakeSES(t *testing.T) *fakeSES {
	f := &fakeSES{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v2/email/outbound-emails" {
			http.Error(w, `{"message":"unknown operation"}`, http.StatusNotFound)
			return
		}
		var body map[string]any
		data, _ := io.ReadAll(r.Body)
		json.Unmarshal(data, &body)
		f.mu.Lock()
		f.sent = append(f.sent, body)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"MessageId":"fake-1"}`)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSES) count() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.sent) }

// TestTelegramDown: the remind and bot functions start with the Bot API down (no
// getMe at start); a reminder run sends the e-mail, records what Telegram did not
// take, and neither a retried event nor a later run sends the e-mail again, while
// the Telegram message goes out once Telegram is back.
func TestTelegramDown(t *testing.T) {
	ep := endpoint(t)
	api := fakeapi.New()
	t.Cleanup(api.Close)
	var down atomic.Bool
	down.Store(true)
	api.Fail = func(string, map[string]string) *fakeapi.Fault {
		if down.Load() {
			return &fakeapi.Fault{Code: 502, Description: "Bad Gateway"}
		}
		return nil
	}
	ses := newFakeSES(t)
	var b [5]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	a, err := app.Open(context.Background(), app.Config{
		Table: "qoldau-fn-" + id, DynamoEndpoint: ep, Bucket: "qoldau-fn-" + id, S3Endpoint: ep,
		Data: t.TempDir(), LogLevel: "error", Secret: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		TelegramToken: fakeapi.Token, TelegramAPI: api.Endpoint(), WebhookSecret: "test-secret",
		MailFrom: "noreply@example.kz", SESEndpoint: ses.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	ctx := context.Background()
	// The operator has an e-mail address and a linked staff chat.
	if _, _, err := a.Svc.AddUser(ctx, "operator", qoldau.RoleOperator, "operator@example.kz", "test"); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.PutChat(ctx, &qoldau.Chat{ID: 4242, Role: string(qoldau.RoleOperator)}); err != nil {
		t.Fatal(err)
	}

	// Both functions start as their mains do, with Telegram answering nothing.
	if err := a.AddSurveyTick(ctx); err != nil {
		t.Fatalf("remind start with the Bot API down: %v", err)
	}
	if _, err := Bot(ctx, a); err != nil {
		t.Fatalf("bot start with the Bot API down: %v", err)
	}
	calls := len(api.Calls())
	if calls != 0 {
		t.Errorf("the functions called the Bot API %d times at start, want none", calls)
	}

	// 09:00 on Monday 28 September: September's register is due in 3 working days.
	var ev events.EventBridgeEvent
	event(t, "schedule-remind.json", &ev)
	remind := Remind(a)
	const notice = "due/2026-09/d-3"
	steps := []struct {
		name            string
		up              bool
		wantSent        []string
		wantUndelivered []string
	}{
		{"Telegram down", false, []string{notice}, []string{"telegram/" + notice}},
		{"the event again, Telegram still down", false, nil, []string{"telegram/" + notice}},
		{"Telegram back", true, []string{notice}, nil},
		{"the event again", true, nil, nil},
	}
	for _, st := range steps {
		down.Store(!st.up)
		res, err := remind(ctx, ev)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if diff := cmp.Diff(st.wantSent, res.Sent, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: sent (-want +got):\n%s", st.name, diff)
		}
		if diff := cmp.Diff(st.wantUndelivered, res.Undelivered, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: undelivered (-want +got):\n%s", st.name, diff)
		}
		if n := ses.count(); n != 1 {
			t.Errorf("%s: %d e-mails sent, want 1 (the first run's, never again)", st.name, n)
		}
	}
	sends := 0
	for _, c := range api.Calls() {
		if c.Method == "sendMessage" {
			sends++
		}
	}
	if sends != 3 {
		t.Errorf("%d sendMessage calls, want 3: two refused while Telegram was down, one delivered", sends)
	}
	if undelivered := auditCount(t, a.Store, "undelivered"); undelivered != 2 {
		t.Errorf("%d undelivered entries in the audit log, want 2 (one per run with Telegram down)", undelivered)
	}
}
