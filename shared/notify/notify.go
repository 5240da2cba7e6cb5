// Package notify delivers qoldau.Notice values to staff: Telegram messages to the
// staff chats linked to a role, e-mail through Amazon SES (v2) to the users of a
// role, and a log line. Each is one channel of the reminder job (remind.Channel),
// which claims each notice per channel; a channel's error wraps qoldau.ErrNotSent
// when the notice surely reached no one, so it may be sent again.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"

	"github.com/qoldau/qoldau/shared/qoldau"
)

var (
	_ qoldau.Notifier = (*Telegram)(nil)
	_ qoldau.Notifier = (*SES)(nil)
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
// the others, and the first failure is returned. It wraps qoldau.ErrNotSent only
// when no chat got the notice and every failure is sure (Telegram refused or could
// not be reached): then it may be sent again to them all.
func (t *Telegram) Notify(ctx context.Context, n qoldau.Notice) error {
	if t.Chats == nil || t.Token == "" {
		return nil
	}
	chats, err := t.Chats(ctx, n.To)
	if err != nil {
		return err
	}
	var first error
	delivered, unsure := 0, false
	for _, c := range chats {
		err := t.send(ctx, c, text(n))
		switch {
		case err == nil:
			delivered++
			continue
		case !errors.Is(err, qoldau.ErrNotSent):
			unsure = true
		}
		if first == nil {
			first = err
		}
	}
	if first != nil && (delivered > 0 || unsure) && errors.Is(first, qoldau.ErrNotSent) {
		// Some chat got it, or may have: sending again could double it.
		return internal("telegram", errors.New("sendMessage failed for some chats"))
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
		if unreachable(err) {
			return internal("telegram", fmt.Errorf("%w: sendMessage: Telegram could not be reached", qoldau.ErrNotSent))
		}
		return internal("telegram", errors.New("sendMessage request failed"))
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		// Telegram answered, and did not send.
		return internal("telegram", fmt.Errorf("%w: sendMessage: HTTP %d", qoldau.ErrNotSent, resp.StatusCode))
	}
	return nil
}

// unreachable reports whether a request failed before it could reach the server
// (no connection was made), so that nothing was done there.
func unreachable(err error) bool {
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &op) && op.Op == "dial" || errors.As(err, &dns)
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
		var ae smithy.APIError
		if errors.As(err, &ae) || unreachable(err) {
			// SES refused it, or could not be reached: no e-mail went out.
			return internal("ses", fmt.Errorf("%w: %w", qoldau.ErrNotSent, err))
		}
		return internal("ses", err)
	}
	return nil
}

// UserLister lists the staff users (a part of qoldau.AccessStore).
type UserLister interface {
	Users(ctx context.Context) ([]qoldau.User, error)
}

// EmailsOf returns an Emails func that lists the e-mail addresses of a role's users.
func EmailsOf(access UserLister) func(ctx context.Context, role qoldau.Role) ([]string, error) {
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

// Log writes each notice's key and role as a log line (no channel configured).
type Log struct{ Logger *slog.Logger }

// Notify logs the notice.
func (l *Log) Notify(ctx context.Context, n qoldau.Notice) error {
	l.Logger.InfoContext(ctx, "notice", "notice", n.Key, "to", string(n.To), "subject", n.Subject.EN)
	return nil
}

func internal(what string, err error) error {
	return qoldau.E(qoldau.Internal, texts.Text("notice-was-not-sent"), fmt.Errorf("notify: %s: %w", what, err))
}
