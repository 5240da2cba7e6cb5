package qoldau

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// Staff roles a chat can be linked to by a one-time code (docs/rules.md, "Behaviour").
const (
	RoleOperator = "operator"
	RoleAgency   = "agency"
)

// SurveyEntry is one service a client may be asked about, as the survey directory
// keeps it: the pseudonymous client, the keyed hash of the mobile phone the register
// gives for the service ("" when none) and the service. The directory is what the bot
// reads instead of the register rows, which hold names and IINs.
type SurveyEntry struct {
	Client    string     `json:"client"`
	PhoneHash string     `json:"phone_hash,omitempty"`
	Service   ServiceRef `json:"service"`
}

// Chat is a Telegram chat as the survey bot keeps it: who it is linked to, its flags,
// the processed update ids and the conversation state. A chat links to one client (by
// invitation or phone match) or to one staff role. It holds no name, phone or IIN.
type Chat struct {
	ID int64 `json:"chat_id"`
	// Rev is the store's revision of the chat: 0 for a chat never stored. PutChat
	// writes only over the revision it was read at.
	Rev int64 `json:"rev"`

	Lang       string    `json:"lang,omitempty"`       // kk | ru | en, once chosen
	Client     string    `json:"client,omitempty"`     // pseudonymous client id, "" when not linked
	UserHash   string    `json:"user_hash,omitempty"`  // keyed hash of the Telegram user id
	Role       string    `json:"role,omitempty"`       // staff role (operator | agency)
	Invitation string    `json:"invitation,omitempty"` // token hash of the invitation that linked the chat
	Linked     time.Time `json:"linked,omitzero"`      // when the chat was linked
	Stopped    bool      `json:"stopped,omitempty"`    // /stop: no reminders, no new offers
	Blocked    bool      `json:"blocked,omitempty"`    // the user blocked the bot (403): nothing is sent
	Offer      string    `json:"offer,omitempty"`      // the current offer of services (reminders are counted per offer)
	Offered    time.Time `json:"offered,omitzero"`     // when the current offer was made
	Started    time.Time `json:"started,omitzero"`     // when the client first answered in the current offer
	Finished   time.Time `json:"finished,omitzero"`    // when the current offer's last service was submitted
	Updates    []int64   `json:"updates,omitempty"`    // the latest processed update ids, oldest first
	Updated    time.Time `json:"updated,omitzero"`     // last change
	State      []byte    `json:"state,omitempty"`      // the conversation engine's state, opaque to stores
}

// Seen reports whether update id was processed already.
func (c *Chat) Seen(update int64) bool {
	for _, u := range c.Updates {
		if u == update {
			return true
		}
	}
	return false
}

// MaxUpdates is how many processed update ids a chat remembers.
const MaxUpdates = 64

// MarkSeen records update id as processed, forgetting the oldest beyond MaxUpdates.
func (c *Chat) MarkSeen(update int64) {
	if c.Seen(update) {
		return
	}
	c.Updates = append(c.Updates, update)
	if n := len(c.Updates); n > MaxUpdates {
		c.Updates = append([]int64(nil), c.Updates[n-MaxUpdates:]...)
	}
}

// StaffChats lists the chats linked to a staff role (by the bot's /start
// staff_<code>) that deadline reminders go to: neither stopped (/stop: no more
// reminders) nor blocked.
func StaffChats(ctx context.Context, s SurveyStore, role Role) ([]int64, error) {
	var out []int64
	err := s.Chats(ctx, func(c *Chat) error {
		if c.Role == string(role) && !c.Stopped && !c.Blocked {
			out = append(out, c.ID)
		}
		return nil
	})
	return out, err
}

// StaffCode is a one-time code that links a chat to a staff role, stored by the
// keyed hash of the code.
type StaffCode struct {
	Hash    string    `json:"hash"`
	Role    string    `json:"role"` // operator | agency
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	ChatID  int64     `json:"chat_id,omitempty"` // the chat that used it
	Used    time.Time `json:"used,omitzero"`
}

// Stored reports whether o, as a store read it back, is the unused code c as
// written: a write retried after its answer was lost finds its own code.
func (c *StaffCode) Stored(o *StaffCode) bool {
	return o.Hash == c.Hash && o.Role == c.Role && o.Created.Equal(c.Created) && o.Expires.Equal(c.Expires) &&
		o.Used.IsZero() && o.ChatID == 0
}

// SurveyStore keeps what the survey bot, the call centre and imported
// questionnaires need: the survey directory, invitations, chats, answers and staff
// codes (a part of Store, whose Claim makes reminders happen once); the storetest
// suite checks both stores alike. Methods return *Error with the codes named; any
// other failure is Internal.
type SurveyStore interface {
	SurveyReader

	// PutSurveyServices records that version of period is the one surveys are
	// offered for, with its surveyable services (error-free rows of the counted
	// version). Storing the same version again is harmless; storing another
	// version replaces the period's services for every reader. Invalid when version
	// is below 1.
	PutSurveyServices(ctx context.Context, period civil.Month, version int, entries []SurveyEntry) error
	// SurveyVersion returns the version last stored for period, 0 when none.
	SurveyVersion(ctx context.Context, period civil.Month) (int, error)
	// ClientServices lists the services of client in the current version of every
	// period, most recent end date first, then by period, version and row. Empty when none.
	ClientServices(ctx context.Context, client string) ([]ServiceRef, error)
	// ClientsByPhone lists the distinct clients (sorted) whose services in periods
	// from since on carry the phone hash. Empty when none.
	ClientsByPhone(ctx context.Context, phoneHash string, since civil.Month) ([]string, error)

	// PutInvitation stores a new invitation; Conflict when its TokenHash exists,
	// Invalid without a TokenHash.
	PutInvitation(ctx context.Context, inv *Invitation) error
	// Invitation returns the invitation with that token hash; NotFound when none.
	Invitation(ctx context.Context, tokenHash string) (*Invitation, error)
	// UseInvitation binds the invitation to chat at the first use and returns it;
	// using it again from the same chat returns it unchanged. NotFound when none;
	// Conflict when another chat used it (including a chat that forgot it). Expiry is
	// the caller's check.
	UseInvitation(ctx context.Context, tokenHash string, chat int64, at time.Time) (*Invitation, error)
	// ReleaseInvitation drops the chat id from an invitation the chat used (/forget);
	// the invitation stays used. NotFound when none; nothing happens when another
	// chat holds it.
	ReleaseInvitation(ctx context.Context, tokenHash string, chat int64) error

	// Chat returns a chat; NotFound when it was never stored.
	Chat(ctx context.Context, id int64) (*Chat, error)
	// PutChat stores c over the revision c.Rev it was read at (0: a new chat) and
	// sets c.Rev to the new revision. Conflict when the stored revision differs
	// (another process changed the chat: read it again and redo the step).
	PutChat(ctx context.Context, c *Chat) error
	// Chats calls fn for every stored chat, in no particular order. An error from
	// fn stops the walk and is returned.
	Chats(ctx context.Context, fn func(*Chat) error) error

	// PutAnswer stores an answer by its ID: a new one, or over a stored answer that
	// is not completed. Conflict when a completed answer with that ID is stored (a
	// submitted answer is final; a retry of the same submission sees Conflict too).
	// Invalid without an ID or a service period.
	PutAnswer(ctx context.Context, a *Answer) error
	// Answer returns the answer with that ID; NotFound when none.
	Answer(ctx context.Context, id string) (*Answer, error)
	// AnswersFor returns the stored answers, of any channel, about the services
	// given, in ID order.
	AnswersFor(ctx context.Context, services []ServiceRef) ([]Answer, error)

	// PutStaffCode stores a new staff code; the same code again (unused) is a
	// no-op; Conflict when the hash is another code's.
	PutStaffCode(ctx context.Context, c *StaffCode) error
	// UseStaffCode binds the code to chat at the first use and returns it; the same
	// chat again gets it unchanged. NotFound when unknown or expired at `at`;
	// Conflict when another chat used it.
	UseStaffCode(ctx context.Context, hash string, chat int64, at time.Time) (*StaffCode, error)
}

// ParseServiceKey reads a ServiceRef.Key ("2026-09#1#17") into its period, version
// and row; Invalid when it is not one.
func ParseServiceKey(key string) (period civil.Month, version, row int, err error) {
	parts := strings.Split(key, "#")
	if len(parts) == 3 {
		if period, err = civil.ParseMonth(parts[0]); err == nil {
			if version, err = strconv.Atoi(parts[1]); err == nil {
				if row, err = strconv.Atoi(parts[2]); err == nil && version > 0 && row > 0 {
					return period, version, row, nil
				}
			}
		}
	}
	return 0, 0, 0, Errorf(Invalid, "not a service key")
}

// AnswerPeriod returns the period of the service an answer ID names (channel +
// ":" + service key); Invalid when the ID is not of that form.
func AnswerPeriod(id string) (civil.Month, error) {
	i := strings.IndexByte(id, ':')
	if i < 0 {
		return 0, Errorf(Invalid, "not an answer ID")
	}
	p, _, _, err := ParseServiceKey(id[i+1:])
	return p, err
}
