package qoldau

import (
	"context"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// Survey channels.
const (
	ChannelTelegram = "telegram"
	ChannelPhone    = "phone"
	ChannelImport   = "import"
)

// ServiceRef names one service (a register row) a client is asked about, with what
// the survey and the report need of it. It holds no personal data of the client.
type ServiceRef struct {
	Period  civil.Month `json:"period"`
	Version int         `json:"version"`
	Row     int         `json:"row"`
	Region  string      `json:"region"`
	Service string      `json:"service"`
	Subtype string      `json:"service_subtype,omitempty"`
	Place   string      `json:"service_place"`
	Centre  string      `json:"centre,omitempty"`
	Town    string      `json:"settlement,omitempty"`
	Manager string      `json:"manager_name,omitempty"`
	End     civil.Date  `json:"end_date"`
	Online  bool        `json:"online"`
}

// Key identifies the service: period, version and row.
func (s *ServiceRef) Key() string {
	return s.Period.String() + "#" + itoa(s.Version) + "#" + itoa(s.Row)
}

// Answer is a client's answers about one service: the telephone-survey questions of
// Annex 4 for every service, and the questionnaire of Annex 2 for online services.
// Zero values mean "not answered". Client is a pseudonymous client id (a keyed hash
// of the client key), never the name or IIN.
type Answer struct {
	ID      string     `json:"id"` // channel + ":" + the source's key: the same answer stored twice is one
	Channel string     `json:"channel"`
	Client  string     `json:"client"`
	Service ServiceRef `json:"service"`

	Started   time.Time `json:"started,omitzero"`
	Completed time.Time `json:"completed,omitzero"` // zero while not submitted

	// Annex 4.
	Received    string `json:"q1_received,omitempty"`     // yes | no | dont_remember
	Rating      int    `json:"q2_rating,omitempty"`       // 1..5
	Useful      string `json:"q3_useful,omitempty"`       // no | partly | yes
	FinInterest string `json:"q4_fin_interest,omitempty"` // yes | no

	// Annex 2 (online services).
	Usefulness    int      `json:"a_usefulness,omitempty"`
	Organisation  int      `json:"a_organisation,omitempty"`
	Expectations  int      `json:"a_expectations,omitempty"`
	Satisfaction  int      `json:"a_satisfaction,omitempty"`
	Purpose       []string `json:"purpose,omitempty"`
	FinSupport    []string `json:"fin_support,omitempty"`
	NonfinSupport []string `json:"nonfin_support,omitempty"`

	// Phone: the call's outcome (answered | no_answer | wrong_number | refused).
	Outcome string `json:"outcome,omitempty"`
	// Signature: a keyed hash of the Telegram user id that submitted the answer.
	Signature string `json:"signature,omitempty"`
}

// Denied reports whether the client says the service was not received.
func (a *Answer) Denied() bool { return a.Received == "no" }

// IsCompleted reports whether the answer was submitted (final); an answer that is
// not is a survey started and not finished.
func (a *Answer) IsCompleted() bool { return !a.Completed.IsZero() }

// AnswerID is the ID of the answer about service through channel.
func AnswerID(channel string, s *ServiceRef) string { return channel + ":" + s.Key() }

// Invitation is a survey invitation: a random token (stored only as its hash)
// bound to one client and that client's services in a period.
type Invitation struct {
	TokenHash string       `json:"token_hash"`
	Client    string       `json:"client"` // pseudonymous client id
	Period    civil.Month  `json:"period"`
	Region    string       `json:"region"`
	Services  []ServiceRef `json:"services"`
	Created   time.Time    `json:"created"`
	Expires   time.Time    `json:"expires"`
	ChatID    int64        `json:"chat_id,omitempty"` // the chat that used it, once used (0 again after /forget)
	Used      time.Time    `json:"used,omitzero"`
	// Sealed is the token encrypted with the deployment's key (secret.Key.Seal), so
	// that the agency can export the links again; the store never sees the token.
	Sealed string `json:"sealed_token,omitempty"`
}

// Expired reports whether the invitation is past its expiry at t.
func (inv *Invitation) Expired(t time.Time) bool { return !t.Before(inv.Expires) }

// SurveyReader is what the report reads of the surveys.
type SurveyReader interface {
	// Answers calls fn for every stored answer about a service of a period from
	// `from` to `to` inclusive, in ID order.
	Answers(ctx context.Context, from, to civil.Month, fn func(*Answer) error) error
	// Invitations calls fn for every invitation of a period from `from` to `to`.
	Invitations(ctx context.Context, from, to civil.Month, fn func(*Invitation) error) error
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
