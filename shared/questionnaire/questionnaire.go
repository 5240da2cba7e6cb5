// Package questionnaire is the client survey's questionnaire, kept in one place
// and read by the bot, the call list, the call-centre and questionnaire imports and
// the report.
//
// It has two parts, asked in this order. The telephone survey of Annex 4, about
// every counted service: q1 whether the client received a consultation or service
// on that date at that place (yes, no, does not remember), q2 a rating from 1 to 5,
// q3 whether it was useful (no, partly, yes) and q4 whether the client is
// interested in financial support (yes, no). A "no" or "does not remember" to q1
// ends the interview: a "no" is a denied service. For a service rendered online the
// questionnaire of Annex 2 follows: four ratings from 1 to 5 (usefulness of the
// consultation, its organisation, whether it met the client's expectations,
// satisfaction with the services), then the purpose of the request, the financial
// support and the non-financial support wanted, each any number of a list.
//
// The questions, their order, kinds and options are data (questionnaire.json), and
// so are their texts, in the catalogue messages.json (shared/i18n): each question's
// wording as asked ({date} and {place} stand for the service's; q1 has a wording of
// its own for a service rendered online), a short label for summaries and the
// report's heading, and each option's label, in Kazakh, Russian and English. An
// option's label is the form's wording: the Kazakh text of the order word for word,
// its English text with only evident errors fixed, Russian in the same sense; the
// bot, the call list, the imports and the report show the same label. Where a label
// is too long for a Telegram button, the option also has a short name for the
// button (the message lists the labels in full, numbered). The
// rules of an answer (which question follows which, which values are valid, which
// questions an interview must or must not have answered) are the functions here.
package questionnaire

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/i18n"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
)

// Kind is how a question is answered.
type Kind string

// Kinds of questions.
const (
	Choice Kind = "choice" // one option
	Scale  Kind = "scale"  // 1 to 5
	Multi  Kind = "multi"  // any number of the options
)

// Option is one answer of a choice or multi-choice question.
type Option struct {
	Code string
	// Label is the option as the form words it: the bot, the call list, the
	// imports and the report all show it.
	Label qoldau.Text
	// Button is a short name for a Telegram button too narrow for Label (empty
	// when Label fits); the message then lists the labels in full, numbered.
	Button qoldau.Text
}

// Question is one question of Annex 4 or Annex 2.
type Question struct {
	Key   string
	Annex int // 4 or 2
	Kind  Kind
	// Text is the question as asked; {date} and {place} stand for the service's.
	Text qoldau.Text
	// Online is the question as asked about a service rendered online, where
	// Text's {place} would not read as a sentence (empty: Text).
	Online qoldau.Text
	// Summary is a short label of the question (the bot's summary of answers).
	Summary qoldau.Text
	// Report is the question's heading in the report.
	Report  qoldau.Text
	Options []Option
	// Rows lays a choice's options out in rows of buttons (the bot's keyboard).
	Rows [][]string
}

//go:embed questionnaire.json messages.json
var files embed.FS

var texts = i18n.MustLoad(files, "messages.json")

var all, byKey = load()

// load reads the questions (questionnaire.json) and their texts (messages.json).
func load() ([]*Question, map[string]*Question) {
	var list []struct {
		Key     string     `json:"key"`
		Annex   int        `json:"annex"`
		Kind    Kind       `json:"kind"`
		Options []string   `json:"options"`
		Rows    [][]string `json:"rows"`
	}
	data, err := files.ReadFile("questionnaire.json")
	if err == nil {
		err = json.Unmarshal(data, &list)
	}
	if err != nil {
		panic(fmt.Sprintf("questionnaire: questionnaire.json: %v", err)) // embedded data, covered by tests
	}
	var qs []*Question
	m := map[string]*Question{}
	for _, x := range list {
		q := &Question{Key: x.Key, Annex: x.Annex, Kind: x.Kind, Rows: x.Rows,
			Text: texts.Text(x.Key + ".text"), Summary: texts.Text(x.Key + ".summary"), Report: texts.Text(x.Key + ".report")}
		q.Online, _ = texts.Lookup(x.Key + ".online")
		for _, code := range x.Options {
			o := Option{Code: code, Label: texts.Text(x.Key + ".options." + code + ".label")}
			o.Button, _ = texts.Lookup(x.Key + ".options." + code + ".button")
			q.Options = append(q.Options, o)
		}
		qs = append(qs, q)
		m[q.Key] = q
	}
	return qs, m
}

// First is the first question asked (Annex 4, q1).
const First = "q1_received"

// All returns the questions in the order asked: Annex 4, then Annex 2.
func All() []*Question { return slices.Clone(all) }

// Annex returns the questions of Annex n (4 or 2) in the order asked.
func Annex(n int) []*Question {
	var out []*Question
	for _, q := range all {
		if q.Annex == n {
			out = append(out, q)
		}
	}
	return out
}

// Get returns the question of a key; nil when there is none.
func Get(key string) *Question { return byKey[key] }

// FollowUps are the Annex 4 questions after the first: asked, and required of a
// completed telephone interview, only when the client received the service.
func FollowUps() []string {
	var out []string
	for _, q := range Annex(4) {
		if q.Key != First {
			out = append(out, q.Key)
		}
	}
	return out
}

// Next returns the question after key for the answer a so far, "" when the
// interview is over: a q1 other than "yes" ends it, and Annex 2 follows Annex 4
// for online services only.
func Next(key string, a *qoldau.Answer) string {
	if key == First && a.Received != "yes" {
		return ""
	}
	i := slices.IndexFunc(all, func(q *Question) bool { return q.Key == key })
	if i < 0 || i+1 >= len(all) {
		return ""
	}
	n := all[i+1]
	if n.Annex == 2 && all[i].Annex != 2 && !a.Service.Online {
		return ""
	}
	return n.Key
}

// Codes returns the option codes of a choice or multi-choice question in order
// (nil for a scale).
func (q *Question) Codes() []string {
	var out []string
	for _, o := range q.Options {
		out = append(out, o.Code)
	}
	return out
}

// Option returns the option of a code.
func (q *Question) Option(code string) (Option, bool) {
	for _, o := range q.Options {
		if o.Code == code {
			return o, true
		}
	}
	return Option{}, false
}

// Values lists what a cell may hold: the option codes, or 1 to 5 for a scale.
func (q *Question) Values() []string {
	if q.Kind == Scale {
		return []string{"1", "2", "3", "4", "5"}
	}
	return q.Codes()
}

// Valid reports whether v is an answer to q as stored: an option code, or 1 to 5.
func (q *Question) Valid(v string) bool {
	if q.Kind == Scale {
		n, err := strconv.Atoi(v)
		return err == nil && n >= 1 && n <= 5
	}
	_, ok := q.Option(v)
	return ok
}

// Match reads an answer written by a person (an imported cell): an option code or
// an option's label in any of the three languages, in any case and spacing; for a
// scale, a whole number from 1 to 5. It returns the code (the number as text).
func (q *Question) Match(v string) (string, bool) {
	if q.Kind == Scale {
		n, ok := ParseScale(v)
		return strconv.Itoa(n), ok
	}
	n := norm(v)
	if n == "" {
		return "", false
	}
	for _, o := range q.Options {
		if norm(o.Code) == n || norm(o.Label.KK) == n || norm(o.Label.RU) == n || norm(o.Label.EN) == n {
			return o.Code, true
		}
	}
	return "", false
}

// ParseScale reads a rating from 1 to 5 ("4", "4.0", "4,0").
func ParseScale(v string) (int, bool) {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", "."), 64)
	if err != nil || f != float64(int(f)) || f < 1 || f > 5 {
		return 0, false
	}
	return int(f), true
}

func norm(s string) string { return refdata.Norm(strings.ReplaceAll(s, "_", " ")) }

// Wording returns the question in lang with the service's date and place; online
// tells that the service was rendered online (place is then not named).
func (q *Question) Wording(lang, date, place string, online bool) string {
	text := q.Text
	if online && q.Online != (qoldau.Text{}) {
		text = q.Online
	}
	return strings.NewReplacer("{date}", date, "{place}", place).Replace(text.In(lang))
}

// Numbered reports whether q's options are too long for buttons: a message then
// lists them in full, numbered, and the buttons carry the numbers and the short
// names (Option.Button).
func (q *Question) Numbered() bool {
	for _, o := range q.Options {
		if o.Button != (qoldau.Text{}) {
			return true
		}
	}
	return false
}

// Set records the answer v (a code, or a rating as text) to a single-answer
// question key in a.
func Set(a *qoldau.Answer, key, v string) {
	n, _ := strconv.Atoi(v)
	switch key {
	case "q1_received":
		a.Received = v
	case "q2_rating":
		a.Rating = n
	case "q3_useful":
		a.Useful = v
	case "q4_fin_interest":
		a.FinInterest = v
	case "a_usefulness":
		a.Usefulness = n
	case "a_organisation":
		a.Organisation = n
	case "a_expectations":
		a.Expectations = n
	case "a_satisfaction":
		a.Satisfaction = n
	}
}

// Value returns the answer to a single-answer question key in a ("" when none).
func Value(a *qoldau.Answer, key string) string {
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	switch key {
	case "q1_received":
		return a.Received
	case "q2_rating":
		return num(a.Rating)
	case "q3_useful":
		return a.Useful
	case "q4_fin_interest":
		return a.FinInterest
	case "a_usefulness":
		return num(a.Usefulness)
	case "a_organisation":
		return num(a.Organisation)
	case "a_expectations":
		return num(a.Expectations)
	case "a_satisfaction":
		return num(a.Satisfaction)
	}
	return ""
}

// Chosen returns the list of a multi-choice question key in a (nil for any other
// key).
func Chosen(a *qoldau.Answer, key string) *[]string {
	switch key {
	case "purpose":
		return &a.Purpose
	case "fin_support":
		return &a.FinSupport
	case "nonfin_support":
		return &a.NonfinSupport
	}
	return nil
}

// Clear empties a's answers, keeping its identity, channel, client, service and
// start.
func Clear(a *qoldau.Answer) {
	*a = qoldau.Answer{ID: a.ID, Channel: a.Channel, Client: a.Client, Service: a.Service, Started: a.Started}
}

// Call outcomes of the telephone survey: an answered call carries the Annex 4
// answers; the others are recorded on their own.
const (
	OutcomeAnswered    = "answered"
	OutcomeNoAnswer    = "no_answer"
	OutcomeWrongNumber = "wrong_number"
	OutcomeRefused     = "refused"
)

// Outcomes are the call outcomes, in the order a call list offers them.
var Outcomes = []string{OutcomeAnswered, OutcomeNoAnswer, OutcomeWrongNumber, OutcomeRefused}

// OutcomeLabel is a call outcome's label, as a call list offers it.
func OutcomeLabel(code string) qoldau.Text { return texts.Text("outcome." + code) }

// MatchOutcome reads a call outcome written by a person: its code or its label
// in any of the three languages, in any case and spacing.
func MatchOutcome(v string) (string, bool) {
	n := norm(v)
	for _, c := range Outcomes {
		l := OutcomeLabel(c)
		if n != "" && (norm(c) == n || norm(l.KK) == n || norm(l.RU) == n || norm(l.EN) == n) {
			return c, true
		}
	}
	return "", false
}
