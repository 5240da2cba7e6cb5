// Package conversation is the survey conversation of the Telegram bot (docs/rules.md,
// "Surveys"), with no Telegram type inside: an Update comes in, Actions (messages to
// send or edit, callback queries to answer) go out. Every step is stored in the chat's
// record (qoldau.Chat) before its actions are returned, so any process, a Lambda
// invocation or the local server after a restart, continues any conversation.
//
// A chat goes: language (Kazakh, Russian, English), then a link to one client, by
// invitation token (/start <token>) or by the client's own phone number shared with
// the contact button, then per open service, most recent first, the Annex 4
// questions and, for online services, the Annex 2 questionnaire, a summary with
// Submit and Change, and the next service. /language, /help, /stop and /forget work
// at any time; /start staff_<code> links a staff chat.
//
// Idempotency: each update id is processed once per chat (the id is stored with the
// state it led to, in one conditional write); buttons carry the step they belong
// to, so a button pressed twice, or one of an older message, changes nothing; the
// actions of a step are kept with it, so that when sending them fails the redelivered
// update sends them again instead of being skipped.
//
// Texts come from the catalogue messages.json (shared/i18n). The bot
// never writes a client's name, IIN/BIN, phone, e-mail or birth date, and a chat
// only ever shows the services of the client it is linked to.
package conversation

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/secret"
)

// Store is what the engine needs of a store: the survey store and Claim (reminders
// are claimed before they are sent). *sqlite.Store and *dynamo.Store have both.
type Store interface {
	qoldau.SurveyStore
	Claim(ctx context.Context, key string, at time.Time) (bool, error)
}

// Update is an incoming update, as the adapter reads it from Telegram.
type Update struct {
	ID       int64     // Telegram's update_id
	Chat     int64     // chat id
	Private  bool      // a private (one-to-one) chat
	User     int64     // the sender's user id
	LangCode string    // the sender's language_code
	Text     string    // message text, commands included
	Contact  *Contact  // a shared contact
	Callback *Callback // a pressed inline button
}

// Contact is a contact shared in a message.
type Contact struct {
	Phone  string
	UserID int64 // the contact's Telegram user, 0 when not a Telegram user
}

// Callback is a pressed inline button.
type Callback struct {
	ID      string // the callback query id, to answer
	Data    string // the button's data
	Message int    // the message that holds the button
}

// Kind is what an action does.
type Kind string

// Kinds of actions.
const (
	Send           Kind = "send"            // send a message (Text, Keyboard)
	Edit           Kind = "edit"            // replace the text (and inline keyboard) of Message
	EditKeyboard   Kind = "edit_keyboard"   // replace only the inline keyboard of Message
	AnswerCallback Kind = "answer_callback" // answer callback query Callback
)

// Action is one call the adapter makes to Telegram.
type Action struct {
	Kind     Kind      `json:"kind"`
	Chat     int64     `json:"chat"`
	Message  int       `json:"message,omitempty"`
	Text     string    `json:"text,omitempty"`
	Keyboard *Keyboard `json:"keyboard,omitempty"`
	Callback string    `json:"callback,omitempty"`
}

// Keyboard is the markup of a message: inline buttons, a reply keyboard with one
// button that shares the user's phone number, or the removal of a reply keyboard.
type Keyboard struct {
	Inline  [][]Button `json:"inline,omitempty"`
	Contact string     `json:"contact,omitempty"`
	Remove  bool       `json:"remove,omitempty"`
}

// Button is an inline button.
type Button struct {
	Text string `json:"text"`
	Data string `json:"data"`
}

// Result is what Handle gives: the actions to perform, and whether they are a
// resend of a step whose sending failed before (call Delivered once they are sent).
type Result struct {
	Actions []Action
	Resend  bool
}

// Engine runs conversations. Its fields are set once; it is safe for concurrent use.
type Engine struct {
	Store Store
	Keys  *secret.Key
	Ref   *refdata.Set
	Clock func() time.Time
	Log   *slog.Logger
	// CallCentre is the phone number the bot gives for questions ("" gives a
	// generic phrase).
	CallCentre string
	// Lookback is how many months (the current one included) of a client's
	// services the phone match and the offers consider (0: 6).
	Lookback int
}

func (e *Engine) now() time.Time {
	if e.Clock != nil {
		return e.Clock()
	}
	return time.Now()
}

func (e *Engine) log() *slog.Logger {
	if e.Log != nil {
		return e.Log
	}
	return slog.Default()
}

func (e *Engine) lookback() int {
	if e.Lookback > 0 {
		return e.Lookback
	}
	return 6
}

// Steps of a conversation.
const (
	stepNew      = ""
	stepLang     = "lang"     // waiting for a language
	stepContact  = "contact"  // waiting for the contact
	stepQuestion = "question" // waiting for the answer to Q
	stepSummary  = "summary"  // waiting for Submit or Change
	stepIdle     = "idle"     // nothing asked
)

// state is the conversation state kept in qoldau.Chat.State.
type state struct {
	Step string `json:"step"`
	// Seq numbers the messages that carry buttons; a button works only while its
	// sequence number is the current one.
	Seq int `json:"seq"`
	// Then is what follows the language choice: "begin", "contact" or "resume".
	Then  string              `json:"then,omitempty"`
	Queue []qoldau.ServiceRef `json:"queue,omitempty"` // open services of the offer, the current one first
	Total int                 `json:"total,omitempty"` // services in the offer
	Done  int                 `json:"done,omitempty"`  // services submitted in the offer
	Q     string              `json:"q,omitempty"`     // the current question
	Draft *qoldau.Answer      `json:"draft,omitempty"` // answers about Queue[0]

	// Outbox holds the actions of update OutboxUpdate; Undelivered says their
	// sending failed (from the first unsent one on).
	Outbox       []Action `json:"outbox,omitempty"`
	OutboxUpdate int64    `json:"outbox_update,omitempty"`
	Undelivered  bool     `json:"undelivered,omitempty"`
}

func loadState(c *qoldau.Chat) (*state, error) {
	st := &state{}
	if len(c.State) > 0 {
		if err := json.Unmarshal(c.State, st); err != nil {
			return nil, qoldau.Errorf(qoldau.Internal, "survey: a chat's state does not decode")
		}
	}
	return st, nil
}

func saveState(c *qoldau.Chat, st *state) {
	b, _ := json.Marshal(st) // plain data: cannot fail
	c.State = b
}

// maxAttempts bounds the read-change-write loop on concurrent changes to a chat.
const maxAttempts = 10

// chat reads a chat, or starts a new one.
func (e *Engine) chat(ctx context.Context, id int64) (*qoldau.Chat, error) {
	c, err := e.Store.Chat(ctx, id)
	if qoldau.CodeOf(err) == qoldau.NotFound {
		return &qoldau.Chat{ID: id}, nil
	}
	return c, err
}

// Handle processes one update and returns what to send. The step is stored before
// Handle returns: an error means nothing was stored (a retry of the update is
// processed afresh), and an update processed before gives no actions, except its
// stored actions when their sending failed (Result.Resend) and the answer to a
// callback query, which Telegram wants whatever happens.
func (e *Engine) Handle(ctx context.Context, u Update) (Result, error) {
	if u.Chat == 0 {
		return Result{}, nil
	}
	if !u.Private {
		// Groups and channels: the survey is personal.
		var acts []Action
		if u.Callback != nil {
			acts = append(acts, Action{Kind: AnswerCallback, Chat: u.Chat, Callback: u.Callback.ID})
		}
		if u.Text != "" && len(u.Text) > 1 && u.Text[0] == '/' {
			acts = append(acts, Action{Kind: Send, Chat: u.Chat, Text: text(langOf(u.LangCode), "private_only")})
		}
		return Result{Actions: acts}, nil
	}
	for range maxAttempts {
		c, err := e.chat(ctx, u.Chat)
		if err != nil {
			return Result{}, err
		}
		st, err := loadState(c)
		if err != nil {
			return Result{}, err
		}
		if c.Seen(u.ID) {
			if st.OutboxUpdate == u.ID && st.Undelivered {
				return Result{Actions: st.Outbox, Resend: true}, nil
			}
			if u.Callback != nil {
				return Result{Actions: []Action{{Kind: AnswerCallback, Chat: u.Chat, Callback: u.Callback.ID}}}, nil
			}
			return Result{}, nil
		}
		t := &turn{e: e, c: c, st: st, u: u, now: e.now()}
		if err := t.run(ctx); err != nil {
			return Result{}, err
		}
		c.MarkSeen(u.ID)
		c.Blocked = false // the user writes: the bot is not blocked
		c.Updated = t.now
		st.Outbox, st.OutboxUpdate, st.Undelivered = t.acts, u.ID, false
		saveState(c, st)
		err = e.Store.PutChat(ctx, c)
		if qoldau.CodeOf(err) == qoldau.Conflict {
			continue // another delivery changed the chat: redo the step on it
		}
		if err != nil {
			return Result{}, err
		}
		e.log().Debug("bot update", "update", u.ID, "step", st.Step)
		return Result{Actions: t.acts}, nil
	}
	return Result{}, qoldau.Errorf(qoldau.Conflict, "survey: the chat kept changing")
}

// update changes a chat with fn and stores it, redoing on concurrent changes; fn
// returns false to store nothing.
func (e *Engine) update(ctx context.Context, id int64, fn func(c *qoldau.Chat, st *state) (bool, error)) error {
	for range maxAttempts {
		c, err := e.Store.Chat(ctx, id)
		if err != nil {
			return err
		}
		st, err := loadState(c)
		if err != nil {
			return err
		}
		ok, err := fn(c, st)
		if err != nil || !ok {
			return err
		}
		saveState(c, st)
		err = e.Store.PutChat(ctx, c)
		if qoldau.CodeOf(err) != qoldau.Conflict {
			return err
		}
	}
	return qoldau.Errorf(qoldau.Conflict, "survey: the chat kept changing")
}

// Undelivered records that the actions of update could not all be sent, from the
// sent-th on: the update's redelivery sends them again.
func (e *Engine) Undelivered(ctx context.Context, chat, update int64, sent int) error {
	err := e.update(ctx, chat, func(c *qoldau.Chat, st *state) (bool, error) {
		if st.OutboxUpdate != update {
			return false, nil
		}
		if sent > 0 && sent <= len(st.Outbox) {
			st.Outbox = st.Outbox[sent:]
		}
		st.Undelivered = true
		return true, nil
	})
	if qoldau.CodeOf(err) == qoldau.NotFound {
		return nil
	}
	return err
}

// Delivered records that a resent update's actions went out.
func (e *Engine) Delivered(ctx context.Context, chat, update int64) error {
	err := e.update(ctx, chat, func(c *qoldau.Chat, st *state) (bool, error) {
		if st.OutboxUpdate != update || !st.Undelivered {
			return false, nil
		}
		st.Undelivered = false
		return true, nil
	})
	if qoldau.CodeOf(err) == qoldau.NotFound {
		return nil
	}
	return err
}

// MarkBlocked records that the user blocked the bot (Telegram answered 403):
// nothing more is sent to the chat until the user writes again.
func (e *Engine) MarkBlocked(ctx context.Context, chat int64) error {
	err := e.update(ctx, chat, func(c *qoldau.Chat, st *state) (bool, error) {
		if c.Blocked {
			return false, nil
		}
		c.Blocked = true
		return true, nil
	})
	if qoldau.CodeOf(err) == qoldau.NotFound {
		return nil
	}
	return err
}

// ErrBlocked is what a Sender returns when Telegram says the user blocked the bot.
var ErrBlocked = errors.New("survey: the bot is blocked in this chat")
