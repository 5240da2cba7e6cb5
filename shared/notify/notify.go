// Package notify delivers qoldau.Notice values to staff: Telegram messages to the
// staff chats linked to a role, e-mail through Amazon SES (v2) to the users of a
// role, and a log line where neither is configured. Multi sends through several.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"github.com/qoldau/qoldau/shared/qoldau"
)

var (
	_ qoldau.Notifier = (*Telegram)(nil)
	_ qoldau.Notifier = (*SES)(nil)
	_ qoldau.Notifier = Multi(nil)
	_ qoldau.Notifier = (*Log)(nil)
)

// text is the notice as staff read it: Kazakh, then Russian.
func text(n qoldau.Notice) string {
	return n.Subject.KK + "\n" + n.Body.KK + "\n\n" + n.Subject.RU + "\n" + n.Body.RU
}

// Telegram sends notices through the Telegram Bot API's sendMessage to the chats
// Chats names for the notice's role.
type Telegram struct {
	Token  string
	Base   string // QOLDAU_TELEGRAM_API: the Bot API's base URL, or a format string of token and method; empty: https://api.telegram.org
	Chats  func(ctx context.Context, role qoldau.Role) ([]int64, error)
	Client *http.Client
}

// Notify sends the notice to every chat of its role; a chat that fails does not stop
// the others, and the first failure is returned.
func (t *Telegram) Notify(ctx context.Context, n qoldau.Notice) error {
	if t.Chats == nil || t.Token == "" {
		return nil
	}
	chats, err := t.Chats(ctx, n.To)
	if err != nil {
		return err
	}
	var first error
	for _, c := range chats {
		if err := t.send(ctx, c, text(n)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (t *Telegram) send(ctx context.Context, chat int64, msg string) error {
	base := t.Base
	if base == "" {
		base = "https://api.telegram.org"
	}
	body, _ := json.Marshal(map[string]any{"chat_id": chat, "text": msg})
	u := strings.TrimSuffix(base, "/") + "/bot" + t.Token + "/sendMessage"
	if strings.Contains(base, "%s") { // a format string, as the bot takes it
		u = fmt.Sprintf(base, t.Token, "sendMessage")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return internal("telegram", err)
	}
	req.Header.Set("Content-Type", "application/json")
	c := t.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		// The URL holds the token: report the operation only.
		return internal("telegram", errors.New("sendMessage request failed"))
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return internal("telegram", fmt.Errorf("sendMessage: HTTP %d", resp.StatusCode))
	}
	return nil
}

// SESAPI is the SES v2 client method SES calls.
type SESAPI interface {
	SendEmail(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// SES sends notices by e-mail from From to the addresses Emails names for the role.
type SES struct {
	API    SESAPI
	From   string
	Emails func(ctx context.Context, role qoldau.Role) ([]string, error)
}

// Notify sends one e-mail to all addresses of the role (none: nothing to do).
func (s *SES) Notify(ctx context.Context, n qoldau.Notice) error {
	if s.API == nil || s.From == "" || s.Emails == nil {
		return nil
	}
	to, err := s.Emails(ctx, n.To)
	if err != nil || len(to) == 0 {
		return err
	}
	content := func(s string) *types.Content {
		return &types.Content{Data: aws.String(s), Charset: aws.String("UTF-8")}
	}
	_, err = s.API.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.From),
		Destination:      &types.Destination{BccAddresses: to},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: content(n.Subject.KK + " / " + n.Subject.RU),
			Body:    &types.Body{Text: content(text(n))},
		}},
	})
	if err != nil {
		return internal("ses", err)
	}
	return nil
}

// EmailsOf returns an Emails func that lists the e-mail addresses of a role's users.
func EmailsOf(access qoldau.AccessStore) func(ctx context.Context, role qoldau.Role) ([]string, error) {
	return func(ctx context.Context, role qoldau.Role) ([]string, error) {
		us, err := access.Users(ctx)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, u := range us {
			if u.Role == role && u.Email != "" {
				out = append(out, u.Email)
			}
		}
		return out, nil
	}
}

// Multi sends through each notifier in turn; all are tried, and the first failure
// is returned.
type Multi []qoldau.Notifier

// Notify sends n through every notifier.
func (m Multi) Notify(ctx context.Context, n qoldau.Notice) error {
	var first error
	for _, x := range m {
		if err := x.Notify(ctx, n); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Log writes each notice's key and role as a log line (no channel configured).
type Log struct{ Logger *slog.Logger }

// Notify logs the notice.
func (l *Log) Notify(ctx context.Context, n qoldau.Notice) error {
	l.Logger.InfoContext(ctx, "notice", "notice", n.Key, "to", string(n.To), "subject", n.Subject.EN)
	return nil
}

func internal(what string, err error) error {
	return qoldau.E(qoldau.Internal, qoldau.Text{
		KK: "Хабарлама жіберілмеді", RU: "Уведомление не отправлено", EN: "The notice was not sent"}, fmt.Errorf("notify: %s: %w", what, err))
}
