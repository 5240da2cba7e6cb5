package survey

import (
	"slices"
	"strconv"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// kind is how a question is answered.
type kind int

const (
	choice kind = iota // one option
	scale              // 1..5
	multi              // any options, then Done
)

// question is one item of Annex 4 or Annex 2; its texts are in the catalogue under
// q.<key>, opt.<key>.<code> and sum.<key>.
type question struct {
	key     string
	kind    kind
	options []string
	rows    [][]string // keyboard layout of choice options
}

var questions = map[string]*question{
	"q1_received":     {key: "q1_received", kind: choice, options: []string{"yes", "no", "dont_remember"}, rows: [][]string{{"yes", "no"}, {"dont_remember"}}},
	"q2_rating":       {key: "q2_rating", kind: scale},
	"q3_useful":       {key: "q3_useful", kind: choice, options: []string{"no", "partly", "yes"}, rows: [][]string{{"no"}, {"partly"}, {"yes"}}},
	"q4_fin_interest": {key: "q4_fin_interest", kind: choice, options: []string{"yes", "no"}, rows: [][]string{{"yes", "no"}}},
	"a_usefulness":    {key: "a_usefulness", kind: scale},
	"a_organisation":  {key: "a_organisation", kind: scale},
	"a_expectations":  {key: "a_expectations", kind: scale},
	"a_satisfaction":  {key: "a_satisfaction", kind: scale},
	"purpose":         {key: "purpose", kind: multi, options: []string{"new_business", "increase_production", "new_markets", "quality"}},
	"fin_support":     {key: "fin_support", kind: multi, options: []string{"rate_subsidy", "loan_guarantee", "grant", "startup_guarantee"}},
	"nonfin_support": {key: "nonfin_support", kind: multi, options: []string{"programs_advice", "business_adviser", "business_growth",
		"young_entrepreneur_school", "staff_training", "foreign_partners", "senior_experts", "consulting_cofinancing"}},
}

// order is the questions in the order asked: Annex 4, then Annex 2 for online
// services.
var order = []string{"q1_received", "q2_rating", "q3_useful", "q4_fin_interest",
	"a_usefulness", "a_organisation", "a_expectations", "a_satisfaction", "purpose", "fin_support", "nonfin_support"}

const firstQuestion = "q1_received"

// next returns the question after key for the draft, "" when the summary is next:
// q1 "no" (a denied service) and "dont_remember" end the service's questions;
// Annex 2 follows q4 for online services only.
func next(key string, a *qoldau.Answer) string {
	if key == "q1_received" && a.Received != "yes" {
		return ""
	}
	i := slices.Index(order, key)
	if i < 0 || i+1 >= len(order) {
		return ""
	}
	n := order[i+1]
	if n == "a_usefulness" && !a.Service.Online {
		return ""
	}
	return n
}

func (q *question) valid(v string) bool {
	if q.kind == scale {
		n, err := strconv.Atoi(v)
		return err == nil && n >= 1 && n <= 5
	}
	return slices.Contains(q.options, v)
}

// set records answer v to question key in a.
func set(a *qoldau.Answer, key, v string) {
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

// get returns the answer to question key in a ("" when none).
func get(a *qoldau.Answer, key string) string {
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

// chosen returns the multi-choice list of question key in a.
func chosen(a *qoldau.Answer, key string) *[]string {
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

// clearAnswers empties a's answers (Change), keeping its identity and start.
func clearAnswers(a *qoldau.Answer) {
	*a = qoldau.Answer{ID: a.ID, Channel: a.Channel, Client: a.Client, Service: a.Service, Started: a.Started}
}

// Options returns the option codes of a choice or multi-choice question (nil for a
// scale or an unknown key), in the order the bot shows them.
func Options(question string) []string {
	if q := questions[question]; q != nil {
		return slices.Clone(q.options)
	}
	return nil
}

// OptionLabel returns the label of an option of a question in lang, as the bot
// shows it (imports accept these labels beside the codes).
func OptionLabel(lang, question, code string) string {
	return text(lang, "opt."+question+"."+code)
}

// QuestionText returns the wording of a question in lang, its {date} and {place}
// left as "____" (call lists and help sheets).
func QuestionText(lang, question string) string {
	return text(lang, "q."+question, "{date}", "____", "{place}", "____")
}
