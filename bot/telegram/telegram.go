// Package telegram is the survey bot's Telegram adapter (go-telegram-bot-api v5):
// the webhook http.Handler, long polling for the local server, and sending within
// Telegram's limits. The conversation is bot/conversation's; this package only translates
// updates in and actions out.
//
// Webhook: every request must carry the secret token set with setWebhook in the
// X-Telegram-Bot-Api-Secret-Token header, else 401 and nothing is stored. A
// failure to store the step answers 500, so Telegram delivers the update again; the
// engine de-duplicates by update_id, so the retry is processed once.
//
// Sending: about one message a second per chat with short bursts, 25 a second in
// all (per process: several Lambda instances each keep their own budget); a 429
// waits its retry_after; a 403 marks the chat blocked; "message is not modified" is
// success; a callback query is always answered, and a failure to answer one is only
// logged.
package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/qoldau/qoldau/bot/conversation"
)

// DefaultEndpoint is the Bot API's address format: token, then method.
const DefaultEndpoint = tgbotapi.APIEndpoint

// SecretHeader is the header Telegram puts the webhook's secret token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Config configures a Bot.
type Config struct {
	Token string
	// Endpoint is the Bot API address as a format string of the token and the
	// method (QOLDAU_TELEGRAM_API; "" is https://api.telegram.org/bot%s/%s): a
	// self-hosted Bot API server or a test fake.
	Endpoint string
	// Secret is the webhook's secret token (1-256 of A-Z a-z 0-9 _ -).
	Secret string
	// Username is the bot's username when known (QOLDAU_TELEGRAM_BOT); "" asks
	// Telegram (getMe) the first time it is needed, not before.
	Username string
	// HTTP is the client for the Bot API (nil: one with a 60 s timeout).
	HTTP *http.Client
	// Limits are the sending limits (zero: DefaultLimits).
	Limits Limits
	// MaxRetryAfter caps how long a 429 may make a send wait (0: 60 s); a longer
	// retry_after fails the send.
	MaxRetryAfter time.Duration
	Log           *slog.Logger
	// Sleep waits between tries and for the limits (nil: a timer); tests pass one
	// that records the waits.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Bot connects the engine to Telegram. It is safe for concurrent use.
type Bot struct {
	api      *tgbotapi.BotAPI
	engine   *conversation.Engine
	secret   string
	limit    *limiter
	maxRetry time.Duration
	log      *slog.Logger
	sleep    func(context.Context, time.Duration) error
	http     *http.Client

	mu   sync.Mutex
	name string // the username, once known
}

// doer gives every Bot API request the context it is created with (the library
// takes none).
type doer struct {
	c   *http.Client
	ctx context.Context
}

func (d doer) Do(r *http.Request) (*http.Response, error) { return d.c.Do(r.WithContext(d.ctx)) }

// New returns a bot running eng on the Bot API. It makes no request: a function
// starts whether or not Telegram answers (the username comes from cfg, or from
// getMe when first asked for).
func New(ctx context.Context, cfg Config, eng *conversation.Engine) (*Bot, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no bot token (QOLDAU_TELEGRAM_TOKEN)")
	}
	ep := cfg.Endpoint
	if ep == "" {
		ep = DefaultEndpoint
	}
	if strings.Count(ep, "%s") != 2 {
		return nil, errors.New("telegram: the API endpoint must be a format string with two %s (token, method)")
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	// The library's constructor would call getMe; its fields are set here instead.
	api := &tgbotapi.BotAPI{Token: cfg.Token, Buffer: 100, Client: doer{hc, context.WithoutCancel(ctx)}}
	api.SetAPIEndpoint(ep)
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	maxRetry := cfg.MaxRetryAfter
	if maxRetry <= 0 {
		maxRetry = time.Minute
	}
	sleep := cfg.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	b := &Bot{api: api, engine: eng, secret: cfg.Secret, maxRetry: maxRetry, log: log, sleep: sleep, http: hc,
		name: strings.TrimPrefix(cfg.Username, "@")}
	b.limit = newLimiter(cfg.Limits, time.Now, func(ctx context.Context, d time.Duration) error { return b.sleep(ctx, d) })
	return b, nil
}

// Username is the bot's username, for links: the configured one, else Telegram's
// answer to getMe (tried 3 times, 1 and 2 s apart; kept once known).
func (b *Bot) Username(ctx context.Context) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.name != "" {
		return b.name, nil
	}
	var err error
	for try := range 3 {
		if try > 0 {
			if serr := b.sleep(ctx, time.Duration(try)*time.Second); serr != nil {
				return "", serr
			}
		}
		var me tgbotapi.User
		if me, err = b.api.GetMe(); err == nil && me.UserName != "" {
			b.api.Self, b.name = me, me.UserName
			return b.name, nil
		}
		if err == nil {
			err = errors.New("no username in the answer")
		}
	}
	return "", fmt.Errorf("telegram: getMe: %w", redact(err, b.api.Token))
}

// Start waits until the Bot API answers getMe and returns the bot's username (the
// start of a long-polling bot): a token Telegram refuses (401) returns at once, while
// a Bot API that cannot be reached is tried again, the wait doubling from first
// (0: 1 s) up to 5 minutes, until ctx ends, rather than leave a server running
// without its bot.
func (b *Bot) Start(ctx context.Context, first time.Duration) (string, error) {
	wait := first
	if wait <= 0 {
		wait = time.Second
	}
	for {
		name, err := b.Username(ctx)
		if err == nil {
			return name, nil
		}
		var te *tgbotapi.Error
		if errors.As(err, &te) && te.Code == http.StatusUnauthorized || ctx.Err() != nil {
			return "", err
		}
		b.log.Error("bot: the Bot API cannot be reached, trying again", "in", wait, "error", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		case <-t.C:
		}
		wait = min(2*wait, 5*time.Minute)
	}
}

// redact removes the token from an error's text (URLs in net/http errors hold it).
func redact(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), token, "<token>"))
}

// SetWebhook points Telegram at url with the bot's secret token (the library has no
// secret_token field, so the request is made by hand).
func (b *Bot) SetWebhook(url string) error {
	if b.secret == "" {
		return errors.New("telegram: a webhook needs a secret token (QOLDAU_WEBHOOK_SECRET)")
	}
	allowed, _ := json.Marshal([]string{"message", "callback_query"})
	_, err := b.api.MakeRequest("setWebhook", tgbotapi.Params{
		"url": url, "secret_token": b.secret, "allowed_updates": string(allowed), "max_connections": "40",
	})
	return redact(err, b.api.Token)
}

// DeleteWebhook stops webhook delivery, so that getUpdates works.
func (b *Bot) DeleteWebhook() error {
	_, err := b.api.MakeRequest("deleteWebhook", nil)
	return redact(err, b.api.Token)
}

// ServeHTTP is the webhook: POST of one JSON Update with the secret header.
func (b *Bot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	got := r.Header.Get(SecretHeader)
	if b.secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(b.secret)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	var u tgbotapi.Update
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&u); err != nil {
		// Not an update: a redelivery would not fix it.
		b.log.Warn("bot webhook: undecodable update")
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := b.HandleUpdate(r.Context(), &u); errors.Is(err, ErrPermanent) {
		// Telegram refused the replies themselves: a redelivery would not help.
		b.log.Error("bot webhook: update dropped", "update", u.UpdateID, "error", err)
	} else if err != nil {
		b.log.Error("bot webhook: update not processed", "update", u.UpdateID, "error", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// convert reads what the engine needs of an update; nil for kinds it ignores.
func convert(u *tgbotapi.Update) *conversation.Update {
	out := &conversation.Update{ID: int64(u.UpdateID)}
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		m := u.Message
		out.Chat, out.Private, out.Text = m.Chat.ID, m.Chat.Type == "private", m.Text
		if m.From != nil {
			out.User, out.LangCode = m.From.ID, m.From.LanguageCode
		}
		if m.Contact != nil {
			out.Contact = &conversation.Contact{Phone: m.Contact.PhoneNumber, UserID: m.Contact.UserID}
		}
		if out.Text == "" && out.Contact == nil {
			return nil // stickers, photos …
		}
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		out.Callback = &conversation.Callback{ID: q.ID, Data: q.Data}
		if q.From != nil {
			out.User, out.LangCode = q.From.ID, q.From.LanguageCode
		}
		if q.Message != nil && q.Message.Chat != nil {
			out.Chat, out.Private = q.Message.Chat.ID, q.Message.Chat.Type == "private"
			out.Callback.Message = q.Message.MessageID
		} else {
			out.Chat, out.Private = out.User, true // an old message: the private chat is the user's id
		}
	default:
		return nil
	}
	return out
}

// HandleUpdate processes one update: the engine's step, then its actions. An error
// means the update should be delivered again (nothing was stored, or the replies
// did not all go out and will be resent on the redelivery).
func (b *Bot) HandleUpdate(ctx context.Context, tu *tgbotapi.Update) error {
	u := convert(tu)
	if u == nil {
		return nil
	}
	res, err := b.engine.Handle(ctx, *u)
	if err != nil {
		return err
	}
	sent, err := b.Send(ctx, res.Actions)
	switch {
	case errors.Is(err, conversation.ErrBlocked):
		return b.engine.MarkBlocked(ctx, u.Chat)
	case err != nil:
		if uerr := b.engine.Undelivered(context.WithoutCancel(ctx), u.Chat, u.ID, sent); uerr != nil {
			b.log.Error("bot: cannot record undelivered replies", "update", u.ID, "error", uerr)
		}
		return err
	case res.Resend:
		return b.engine.Delivered(ctx, u.Chat, u.ID)
	}
	return nil
}

// RemindTick sends the client reminders and offers due at now (the scheduler's
// call; see conversation.Engine.RemindTick).
func (b *Bot) RemindTick(ctx context.Context, now time.Time) (*conversation.TickResult, error) {
	return b.engine.RemindTick(ctx, now, b)
}

var _ conversation.Sender = (*Bot)(nil)

// Send performs actions in order within the limits and returns how many went out.
func (b *Bot) Send(ctx context.Context, acts []conversation.Action) (int, error) {
	for i, a := range acts {
		if err := b.do(ctx, a); err != nil {
			return i, err
		}
	}
	return len(acts), nil
}

// chattable builds the Bot API call of an action.
func chattable(a conversation.Action) tgbotapi.Chattable {
	switch a.Kind {
	case conversation.Send:
		m := tgbotapi.NewMessage(a.Chat, a.Text)
		if k := a.Keyboard; k != nil {
			switch {
			case len(k.Inline) > 0:
				m.ReplyMarkup = inline(k.Inline)
			case k.Contact != "":
				rk := tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(k.Contact)))
				m.ReplyMarkup = rk
			case k.Remove:
				m.ReplyMarkup = tgbotapi.NewRemoveKeyboard(false)
			}
		}
		return m
	case conversation.Edit:
		e := tgbotapi.NewEditMessageText(a.Chat, a.Message, a.Text)
		if a.Keyboard != nil && len(a.Keyboard.Inline) > 0 {
			mk := inline(a.Keyboard.Inline)
			e.ReplyMarkup = &mk
		}
		return e
	case conversation.EditKeyboard:
		var rows [][]conversation.Button
		if a.Keyboard != nil {
			rows = a.Keyboard.Inline
		}
		return tgbotapi.NewEditMessageReplyMarkup(a.Chat, a.Message, inline(rows))
	case conversation.AnswerCallback:
		return tgbotapi.NewCallback(a.Callback, a.Text)
	}
	return nil
}

func inline(rows [][]conversation.Button) tgbotapi.InlineKeyboardMarkup {
	mk := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}
	for _, r := range rows {
		var row []tgbotapi.InlineKeyboardButton
		for _, bt := range r {
			row = append(row, tgbotapi.NewInlineKeyboardButtonData(bt.Text, bt.Data))
		}
		mk.InlineKeyboard = append(mk.InlineKeyboard, row)
	}
	return mk
}

// ErrPermanent marks a failure that trying the update again would repeat: the Bot
// API refused a request itself (a 4xx other than 429).
var ErrPermanent = errors.New("telegram: refused for good")

// maxAttempts bounds the tries of one call (429s and transient failures).
const maxAttempts = 5

// do performs one action: the limits, then the call, retried on 429 (after
// retry_after) and on transient failures.
func (b *Bot) do(ctx context.Context, a conversation.Action) error {
	c := chattable(a)
	if c == nil {
		return nil
	}
	if a.Kind != conversation.AnswerCallback {
		if err := b.limit.wait(ctx, a.Chat, a.Kind == conversation.Send); err != nil {
			return err
		}
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		_, err := b.api.Request(c)
		if err == nil {
			return nil
		}
		var te *tgbotapi.Error
		if errors.As(err, &te) {
			switch {
			case te.Code == http.StatusTooManyRequests || te.RetryAfter > 0:
				wait := time.Duration(max(te.RetryAfter, 1)) * time.Second
				if wait > b.maxRetry || attempt >= maxAttempts {
					return fmt.Errorf("telegram: %s: too many requests (retry after %v)", methodOf(c), wait)
				}
				b.log.Warn("bot: Telegram asks to wait", "method", methodOf(c), "retry_after", te.RetryAfter)
				if err := b.sleep(ctx, wait); err != nil {
					return err
				}
				continue
			case te.Code == http.StatusForbidden,
				te.Code == http.StatusBadRequest && strings.Contains(te.Message, "chat not found"):
				// Blocked, or a chat the bot can no longer write to: it gets nothing more.
				return conversation.ErrBlocked
			case a.Kind == conversation.AnswerCallback:
				// An old query ("query is too old") or the like: nothing to do.
				b.log.Info("bot: callback query not answered", "error", te.Message)
				return nil
			case strings.Contains(te.Message, "message is not modified"):
				return nil // the message already shows it: done
			case te.Code == http.StatusBadRequest && a.Kind != conversation.Send:
				// The message is gone or too old to edit: the conversation goes on.
				b.log.Info("bot: message not edited", "error", te.Message)
				return nil
			case te.Code >= 500 && attempt < maxAttempts:
				if err := b.sleep(ctx, time.Duration(attempt)*200*time.Millisecond); err != nil {
					return err
				}
				continue
			case te.Code >= 400 && te.Code < 500:
				// The request itself is refused: the same request would be again.
				return fmt.Errorf("telegram: %s: %d %s: %w", methodOf(c), te.Code, te.Message, ErrPermanent)
			}
			return fmt.Errorf("telegram: %s: %d %s", methodOf(c), te.Code, te.Message)
		}
		if a.Kind == conversation.AnswerCallback {
			b.log.Info("bot: callback query not answered", "error", redact(err, b.api.Token))
			return nil
		}
		if attempt >= maxAttempts {
			return fmt.Errorf("telegram: %s: %w", methodOf(c), redact(err, b.api.Token))
		}
		if err := b.sleep(ctx, time.Duration(attempt)*200*time.Millisecond); err != nil {
			return err
		}
	}
}

// methodOf names a call's Bot API method for logs.
func methodOf(c tgbotapi.Chattable) string {
	switch c.(type) {
	case tgbotapi.MessageConfig:
		return "sendMessage"
	case tgbotapi.EditMessageTextConfig:
		return "editMessageText"
	case tgbotapi.EditMessageReplyMarkupConfig:
		return "editMessageReplyMarkup"
	case tgbotapi.CallbackConfig:
		return "answerCallbackQuery"
	}
	return "request"
}

// Poll runs long polling until ctx ends: getUpdates, then each update in order,
// offset after it. An update whose processing fails is tried again later, with a
// backoff (1 s doubling to a minute, at most maxRedeliveries times, as Telegram
// redelivers to a webhook), while every other chat goes on: only the later updates
// of the same chat wait behind it, so its conversation keeps its order. A failure
// a retry cannot mend (ErrPermanent) is logged and not retried. It deletes any
// webhook first (getUpdates does not work while one is set), trying that with a
// backoff until it works or ctx ends.
func (b *Bot) Poll(ctx context.Context, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = 25 * time.Second
	}
	api := *b.api // the same bot, its requests bound to ctx
	api.Client = doer{b.http, ctx}
	for wait := time.Second; ctx.Err() == nil; wait = min(2*wait, 5*time.Minute) {
		_, err := api.MakeRequest("deleteWebhook", nil)
		if err == nil {
			break
		}
		b.log.Error("bot: deleteWebhook failed, trying again", "in", wait, "error", redact(err, b.api.Token))
		sleepCtx(ctx, wait)
	}
	q := &retryQueue{b: b, chats: map[int64][]*pending{}}
	offset := 0
	for ctx.Err() == nil {
		cfg := tgbotapi.NewUpdate(offset)
		cfg.Timeout = int(q.wait(timeout) / time.Second)
		cfg.AllowedUpdates = []string{"message", "callback_query"}
		ups, err := api.GetUpdates(cfg)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			b.log.Warn("bot: getUpdates failed", "error", redact(err, b.api.Token))
			if sleepCtx(ctx, time.Second) != nil {
				break
			}
			continue
		}
		for i := range ups {
			q.handle(ctx, &ups[i])
			offset = max(offset, ups[i].UpdateID+1)
		}
		q.retryDue(ctx)
	}
	return nil
}

// maxRedeliveries bounds the tries of one update in long polling.
const maxRedeliveries = 10

// pending is an update waiting for another try.
type pending struct {
	u     *tgbotapi.Update
	tries int
	next  time.Time
}

// retryQueue keeps, per chat, the updates waiting behind one that failed.
type retryQueue struct {
	b     *Bot
	chats map[int64][]*pending
}

// handle processes u now, or queues it behind its chat's failed update.
func (q *retryQueue) handle(ctx context.Context, u *tgbotapi.Update) {
	chat := int64(0)
	if su := convert(u); su != nil {
		chat = su.Chat
	}
	if waiting := q.chats[chat]; len(waiting) > 0 {
		q.chats[chat] = append(waiting, &pending{u: u})
		return
	}
	if p := q.try(ctx, &pending{u: u}); p != nil {
		q.chats[chat] = []*pending{p}
	}
}

// try processes p's update; it returns p to try again later, or nil when done
// (processed, refused for good, or tried too often).
func (q *retryQueue) try(ctx context.Context, p *pending) *pending {
	err := q.b.HandleUpdate(ctx, p.u)
	if err == nil || ctx.Err() != nil {
		return nil
	}
	p.tries++
	if errors.Is(err, ErrPermanent) || p.tries >= maxRedeliveries {
		q.b.log.Error("bot: update dropped", "update", p.u.UpdateID, "tries", p.tries, "error", err)
		return nil
	}
	d := min(time.Second<<(p.tries-1), time.Minute)
	p.next = time.Now().Add(d)
	q.b.log.Warn("bot: update not processed, trying again later", "update", p.u.UpdateID, "in", d, "error", err)
	return p
}

// retryDue tries each chat's first waiting update whose time has come, and the
// ones behind it while they succeed.
func (q *retryQueue) retryDue(ctx context.Context) {
	now := time.Now()
	for chat, waiting := range q.chats {
		if waiting[0].next.After(now) {
			continue
		}
		for len(waiting) > 0 && ctx.Err() == nil {
			if again := q.try(ctx, waiting[0]); again != nil {
				break
			}
			waiting = waiting[1:]
		}
		if len(waiting) == 0 {
			delete(q.chats, chat)
		} else {
			q.chats[chat] = waiting
		}
	}
}

// wait is how long the next getUpdates may wait: timeout, or less when a retry is
// due sooner (at least a second).
func (q *retryQueue) wait(timeout time.Duration) time.Duration {
	for _, waiting := range q.chats {
		if d := time.Until(waiting[0].next); d < timeout {
			timeout = d
		}
	}
	return max(timeout, time.Second)
}
