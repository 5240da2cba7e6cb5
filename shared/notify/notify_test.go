package notify

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
)

var notice = qoldau.Notice{Key: "due/2026-09/d-1", To: qoldau.RoleOperator,
	Subject: qoldau.Text{KK: "Мерзім", RU: "Срок", EN: "Due"}, Body: qoldau.Text{KK: "ертең", RU: "завтра", EN: "tomorrow"}}

func TestTelegram(t *testing.T) {
	var (
		mu    sync.Mutex
		chats []int64
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/botTOKEN/sendMessage" {
			t.Errorf("path %s", r.URL.Path)
		}
		var m struct {
			ChatID int64  `json:"chat_id"`
			Text   string `json:"text"`
		}
		json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		chats = append(chats, m.ChatID)
		mu.Unlock()
		if m.ChatID == 13 {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	tg := &Telegram{Token: "TOKEN", Base: srv.URL, Chats: func(ctx context.Context, role qoldau.Role) ([]int64, error) {
		if role != qoldau.RoleOperator {
			return nil, nil
		}
		return []int64{11, 13, 12}, nil
	}}
	err := tg.Notify(context.Background(), notice)
	if qoldau.CodeOf(err) != qoldau.Internal {
		t.Errorf("a chat that refuses: err = %v, want Internal", err)
	}
	if diff := cmp.Diff([]int64{11, 13, 12}, chats); diff != "" {
		t.Errorf("chats (-want +got):\n%s", diff)
	}
	// QOLDAU_TELEGRAM_API may also be a format string of token and method.
	chats = nil
	tg.Base = srv.URL + "/bot%s/%s"
	tg.Notify(context.Background(), notice)
	if len(chats) != 3 {
		t.Errorf("with a format string: chats %v", chats)
	}
}

type fakeSES struct{ in []*sesv2.SendEmailInput }

func (f *fakeSES) SendEmail(ctx context.Context, in *sesv2.SendEmailInput, _ ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	f.in = append(f.in, in)
	return &sesv2.SendEmailOutput{}, nil
}

type users []qoldau.User

func (u users) PutUser(context.Context, *qoldau.User) error { return nil }
func (u users) UserByKeyHash(context.Context, string) (*qoldau.User, error) {
	return nil, qoldau.Errorf(qoldau.NotFound, "none")
}
func (u users) Users(context.Context) ([]qoldau.User, error) { return u, nil }

func TestSES(t *testing.T) {
	api := &fakeSES{}
	s := &SES{API: api, From: "noreply@example.kz", Emails: EmailsOf(users{
		{Name: "a", Role: qoldau.RoleOperator, Email: "op1@example.kz"},
		{Name: "b", Role: qoldau.RoleAgency, Email: "ag@example.kz"},
		{Name: "c", Role: qoldau.RoleOperator},
	})}
	if err := s.Notify(context.Background(), notice); err != nil {
		t.Fatal(err)
	}
	if len(api.in) != 1 {
		t.Fatalf("%d e-mails, want 1", len(api.in))
	}
	got := []string{aws.ToString(api.in[0].FromEmailAddress), aws.ToString(api.in[0].Content.Simple.Subject.Data)}
	got = append(got, api.in[0].Destination.BccAddresses...)
	want := []string{"noreply@example.kz", "Мерзім / Срок", "op1@example.kz"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("e-mail (-want +got):\n%s", diff)
	}
	// A role with no address sends nothing.
	if err := s.Notify(context.Background(), qoldau.Notice{To: qoldau.RoleAdmin}); err != nil || len(api.in) != 1 {
		t.Errorf("admin notice: %v, %d e-mails", err, len(api.in))
	}
}

// TestNotSent: a notice that surely reached no one says so (qoldau.ErrNotSent), so
// the reminder job may send it again; one that reached a chat, or may have, does
// not.
func TestNotSent(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer refusing.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // nothing listens there any more
	partly := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct {
			ChatID int64 `json:"chat_id"`
		}
		json.NewDecoder(r.Body).Decode(&m)
		if m.ChatID == 2 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer partly.Close()
	chats := func(context.Context, qoldau.Role) ([]int64, error) { return []int64{1, 2}, nil }
	tests := []struct {
		name    string
		base    string
		notSent bool
	}{
		{"Telegram answers 502", refusing.URL, true},
		{"Telegram cannot be reached", closed.URL, true},
		{"one chat of two got it", partly.URL, false},
	}
	for _, tt := range tests {
		err := (&Telegram{Token: "TOKEN", Base: tt.base, Chats: chats}).Notify(context.Background(), notice)
		if err == nil || errors.Is(err, qoldau.ErrNotSent) != tt.notSent {
			t.Errorf("%s: %v; want an error, not sent: %v", tt.name, err, tt.notSent)
		}
	}
	ses := &SES{API: failingSES{}, From: "noreply@example.kz",
		Emails: func(context.Context, qoldau.Role) ([]string, error) { return []string{"a@example.kz"}, nil }}
	if err := ses.Notify(context.Background(), notice); !errors.Is(err, qoldau.ErrNotSent) {
		t.Errorf("SES refusing: %v, want not sent", err)
	}
}

type failingSES struct{}

func (failingSES) SendEmail(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "MessageRejected", Message: "Email address is not verified."}
}
