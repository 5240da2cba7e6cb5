package report

import (
	"cmp"
	"context"
	"slices"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
)

// Quality is Section 3: what clients said about the services counted in Section
// 2, from the answers recorded up to the build time (docs/rules.md, "Quality audit").
type Quality struct {
	// NoAnswers: no answer about a counted service yet (the section is kept).
	NoAnswers bool `json:"no_answers"`
	// Answers counts the completed answers about counted services; Excluded the
	// answers about services that Section 2 does not count (left out).
	Answers  int `json:"answers"`
	Excluded int `json:"excluded"`
	// Channels splits the response and the answers by channel (telegram, phone,
	// import), then all channels together (Channel "total").
	Channels []ChannelCount `json:"channels"`
	// Response is per region, then the total (Region "total").
	Response []ResponseRow `json:"response"`
	// ByRegion and ByService hold the telephone-survey questions (Annex 4) and the
	// questionnaire (Annex 2), per region and per service, each ending with the
	// total (Key "total").
	ByRegion  []QualityRow `json:"by_region"`
	ByService []QualityRow `json:"by_service"`
	// Respondents answered the questionnaire (Annex 2); the multi-choice questions
	// count options, with shares of respondents.
	Respondents   int      `json:"respondents"`
	Purpose       []Choice `json:"purpose"`
	FinSupport    []Choice `json:"fin_support"`
	NonfinSupport []Choice `json:"nonfin_support"`
	// Denied lists the services clients say they did not receive (Annex 4, Q1 "no").
	Denied []Denied `json:"denied"`
}

// ChannelCount is the response and the answers of one channel: the distinct
// clients asked through it (invited by a Telegram link, called by the call centre,
// or with a questionnaire imported) and reached (who opened the link or began in
// the bot, who answered the call, whose questionnaire was imported), the answers
// begun and completed, and the completed answers' items.
type ChannelCount struct {
	Channel   string     `json:"channel"`
	Invited   int        `json:"invited"`
	Reached   int        `json:"reached"`
	Started   int        `json:"started"`
	Completed int        `json:"completed"`
	Answers   QualityRow `json:"answers"`
}

// ResponseRow is the response of one region: distinct clients invited, who started
// and who completed a survey, and the share of invited clients who completed one.
type ResponseRow struct {
	Region    string `json:"region"`
	Invited   int    `json:"invited"`
	Started   int    `json:"started"`
	Completed int    `json:"completed"`
	Rate      *Share `json:"rate,omitempty"`
}

// QualityRow holds the answers about the services of one region or one service.
type QualityRow struct {
	Key string `json:"key"` // region code, service code or "total"
	// Annex 4.
	Received    *Share `json:"q1_received,omitempty"` // share who confirm receiving the service
	Rating      *Mean  `json:"q2_rating,omitempty"`
	UsefulNo    *Share `json:"q3_no,omitempty"`
	UsefulPart  *Share `json:"q3_partly,omitempty"`
	UsefulYes   *Share `json:"q3_yes,omitempty"`
	FinInterest *Share `json:"q4_fin_interest,omitempty"`
	// Annex 2 (online services).
	Usefulness   *Mean `json:"a_usefulness,omitempty"`
	Organisation *Mean `json:"a_organisation,omitempty"`
	Expectations *Mean `json:"a_expectations,omitempty"`
	Satisfaction *Mean `json:"a_satisfaction,omitempty"`
}

// Choice is one option of a multi-choice question.
type Choice struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
	Share *Share `json:"share,omitempty"`
}

// Denied is a service a client says was not received: an audit lead.
type Denied struct {
	Date       civil.Date  `json:"date"`
	Region     string      `json:"region"`
	Service    string      `json:"service"`
	Place      string      `json:"service_place"`
	Centre     string      `json:"centre,omitempty"`
	Settlement string      `json:"settlement,omitempty"`
	Manager    string      `json:"manager_name,omitempty"`
	Period     civil.Month `json:"period"`
	Version    int         `json:"version"`
	Row        int         `json:"row"`
	Channel    string      `json:"channel"`
}

// Options of the multi-choice questions of Annex 2, from the questionnaire.
var (
	PurposeOptions    = questionnaire.Get("purpose").Codes()
	FinSupportOptions = questionnaire.Get("fin_support").Codes()
	NonfinOptions     = questionnaire.Get("nonfin_support").Codes()
	Channels          = []string{qoldau.ChannelTelegram, qoldau.ChannelPhone, qoldau.ChannelImport}
)

// acc accumulates the answers of one region or service.
type acc struct {
	q1, q1yes                 int
	rating                    scale
	q3                        [3]int // no, partly, yes
	q4, q4yes                 int
	use, org, expect, satisfy scale
}

func (a *acc) add(x *qoldau.Answer, online bool) {
	switch x.Received {
	case "yes", "no", "dont_remember":
		a.q1++
		if x.Received == "yes" {
			a.q1yes++
		}
	}
	a.rating.add(x.Rating)
	switch x.Useful {
	case "no":
		a.q3[0]++
	case "partly":
		a.q3[1]++
	case "yes":
		a.q3[2]++
	}
	switch x.FinInterest {
	case "yes", "no":
		a.q4++
		if x.FinInterest == "yes" {
			a.q4yes++
		}
	}
	if online {
		a.use.add(x.Usefulness)
		a.org.add(x.Organisation)
		a.expect.add(x.Expectations)
		a.satisfy.add(x.Satisfaction)
	}
}

func (a *acc) row(key string) QualityRow {
	n3 := a.q3[0] + a.q3[1] + a.q3[2]
	return QualityRow{Key: key, Received: NewShare(a.q1yes, a.q1), Rating: a.rating.mean(),
		UsefulNo: NewShare(a.q3[0], n3), UsefulPart: NewShare(a.q3[1], n3), UsefulYes: NewShare(a.q3[2], n3),
		FinInterest: NewShare(a.q4yes, a.q4), Usefulness: a.use.mean(), Organisation: a.org.mean(),
		Expectations: a.expect.mean(), Satisfaction: a.satisfy.mean()}
}

// quality computes Section 3 over the counted rows r.trace (in register and row
// order).
func (b *builder) quality(ctx context.Context, r *Report) (*Quality, error) {
	q := &Quality{NoAnswers: true, Channels: []ChannelCount{}, Denied: []Denied{}}
	for _, c := range Channels {
		q.Channels = append(q.Channels, ChannelCount{Channel: c})
	}
	nReg := len(b.dicts.region.names)
	regAcc := make([]acc, nReg)
	svcAcc := make([]acc, len(b.dicts.service.names))
	var total acc
	type pair struct {
		region uint16
		client string
	}
	invited, started, completed := map[pair]bool{}, map[pair]bool{}, map[pair]bool{}
	// Per channel: the clients asked and reached, and the completed answers.
	chInvited, chReached, chAcc := map[string]map[string]bool{}, map[string]map[string]bool{}, map[string]*acc{}
	mark := func(m map[string]map[string]bool, channel, client string) {
		if m[channel] == nil {
			m[channel] = map[string]bool{}
		}
		m[channel][client] = true
	}
	purpose, fin, nonfin := map[string]int{}, map[string]int{}, map[string]int{}
	if b.opt.Surveys != nil {
		// Counted rows by (register, row number), to find an answer's service.
		keys := make([]uint64, len(r.trace))
		for i := range r.trace {
			keys[i] = uint64(r.trace[i].reg)<<32 | uint64(uint32(r.trace[i].num))
		}
		idx := make([]int32, len(keys))
		for i := range idx {
			idx[i] = int32(i)
		}
		if !slices.IsSorted(keys) {
			slices.SortFunc(idx, func(a, c int32) int { return cmp.Compare(keys[a], keys[c]) })
			sorted := make([]uint64, len(keys))
			for i, k := range idx {
				sorted[i] = keys[k]
			}
			keys = sorted
		}
		find := func(s *qoldau.ServiceRef) *rec {
			if s.Period < r.Period.From || s.Period > r.Period.To {
				return nil
			}
			reg := int(s.Period - r.Period.From)
			if r.regs[reg].version != s.Version {
				return nil
			}
			k := uint64(reg)<<32 | uint64(uint32(s.Row))
			i, ok := slices.BinarySearch(keys, k)
			if !ok {
				return nil
			}
			return &r.trace[idx[i]]
		}
		channel := func(c string) *ChannelCount {
			for i := range q.Channels {
				if q.Channels[i].Channel == c {
					return &q.Channels[i]
				}
			}
			q.Channels = append(q.Channels, ChannelCount{Channel: c})
			return &q.Channels[len(q.Channels)-1]
		}
		built := r.Built
		err := b.opt.Surveys.Answers(ctx, r.Period.From, r.Period.To, func(a *qoldau.Answer) error {
			x := find(&a.Service)
			if x == nil {
				q.Excluded++
				return nil
			}
			isStarted := !a.Started.IsZero() && !a.Started.After(built) || !a.Completed.IsZero() && !a.Completed.After(built)
			isCompleted := !a.Completed.IsZero() && !a.Completed.After(built)
			if !isStarted {
				return nil
			}
			ch := channel(a.Channel)
			mark(chInvited, a.Channel, a.Client)
			invited[pair{x.region, a.Client}] = true
			if a.Outcome != "" && a.Outcome != questionnaire.OutcomeAnswered {
				return nil // a call that reached no one: asked, not answered
			}
			mark(chReached, a.Channel, a.Client)
			ch.Started++
			started[pair{x.region, a.Client}] = true
			if !isCompleted {
				return nil
			}
			ch.Completed++
			completed[pair{x.region, a.Client}] = true
			q.Answers++
			if chAcc[a.Channel] == nil {
				chAcc[a.Channel] = &acc{}
			}
			chAcc[a.Channel].add(a, x.online)
			regAcc[x.region].add(a, x.online)
			svcAcc[x.service].add(a, x.online)
			total.add(a, x.online)
			if x.online && (a.Usefulness > 0 || a.Organisation > 0 || a.Expectations > 0 || a.Satisfaction > 0 ||
				len(a.Purpose) > 0 || len(a.FinSupport) > 0 || len(a.NonfinSupport) > 0) {
				q.Respondents++
				for _, m := range []struct {
					to   map[string]int
					from []string
				}{{purpose, a.Purpose}, {fin, a.FinSupport}, {nonfin, a.NonfinSupport}} {
					for i, o := range m.from {
						if !slices.Contains(m.from[:i], o) {
							m.to[o]++
						}
					}
				}
			}
			if a.Denied() {
				s := &a.Service
				q.Denied = append(q.Denied, Denied{Date: s.End, Region: b.dicts.region.name(x.region),
					Service: b.dicts.service.name(x.service), Place: s.Place, Centre: s.Centre, Settlement: s.Town,
					Manager: s.Manager, Period: s.Period, Version: s.Version, Row: s.Row, Channel: a.Channel})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		err = b.opt.Surveys.Invitations(ctx, r.Period.From, r.Period.To, func(inv *qoldau.Invitation) error {
			if inv.Created.After(built) {
				return nil
			}
			if id, ok := b.dicts.region.idx[inv.Region]; ok {
				invited[pair{uint16(id), inv.Client}] = true
			}
			mark(chInvited, qoldau.ChannelTelegram, inv.Client)
			if !inv.Used.IsZero() && !inv.Used.After(built) {
				mark(chReached, qoldau.ChannelTelegram, inv.Client)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	q.NoAnswers = q.Answers == 0
	allInvited, allReached := map[string]bool{}, map[string]bool{}
	all := ChannelCount{Channel: "total", Answers: total.row("total")}
	for i := range q.Channels {
		c := &q.Channels[i]
		c.Invited, c.Reached = len(chInvited[c.Channel]), len(chReached[c.Channel])
		for k := range chInvited[c.Channel] {
			allInvited[k] = true
		}
		for k := range chReached[c.Channel] {
			allReached[k] = true
		}
		a := chAcc[c.Channel]
		if a == nil {
			a = &acc{}
		}
		c.Answers = a.row(c.Channel)
		all.Started += c.Started
		all.Completed += c.Completed
	}
	all.Invited, all.Reached = len(allInvited), len(allReached)
	q.Channels = append(q.Channels, all)
	slices.SortFunc(q.Denied, func(a, c Denied) int {
		return cmp.Or(cmp.Compare(a.Date, c.Date), cmp.Compare(a.Period, c.Period), cmp.Compare(a.Version, c.Version),
			cmp.Compare(a.Row, c.Row), cmp.Compare(a.Channel, c.Channel))
	})

	// Response by region and in all.
	count := func(m map[pair]bool) (per []int, all int, clients map[string]bool) {
		per = make([]int, nReg)
		clients = map[string]bool{}
		for k := range m {
			per[k.region]++
			clients[k.client] = true
		}
		return per, len(clients), clients
	}
	inv, invAll, invClients := count(invited)
	st, stAll, _ := count(started)
	co, coAll, _ := count(completed)
	both := make([]int, nReg) // invited clients who completed, per region
	bothClients := map[string]bool{}
	for k := range completed {
		if invited[k] {
			both[k.region]++
		}
		if invClients[k.client] {
			bothClients[k.client] = true
		}
	}
	for _, id := range b.regionRows {
		q.Response = append(q.Response, ResponseRow{Region: b.dicts.region.names[id], Invited: inv[id],
			Started: st[id], Completed: co[id], Rate: NewShare(both[id], inv[id])})
	}
	q.Response = append(q.Response, ResponseRow{Region: "total", Invited: invAll, Started: stAll, Completed: coAll,
		Rate: NewShare(len(bothClients), invAll)})

	for _, id := range b.regionRows {
		q.ByRegion = append(q.ByRegion, regAcc[id].row(b.dicts.region.names[id]))
	}
	q.ByRegion = append(q.ByRegion, total.row("total"))
	for _, id := range b.dicts.service.order() {
		q.ByService = append(q.ByService, svcAcc[id].row(b.dicts.service.names[id]))
	}
	q.ByService = append(q.ByService, total.row("total"))
	choices := func(m map[string]int, options []string) []Choice {
		out := []Choice{}
		seen := map[string]bool{}
		for _, o := range options {
			seen[o] = true
			out = append(out, Choice{Code: o, Count: m[o], Share: NewShare(m[o], q.Respondents)})
		}
		var extra []string
		for o := range m {
			if !seen[o] {
				extra = append(extra, o)
			}
		}
		slices.Sort(extra)
		for _, o := range extra {
			out = append(out, Choice{Code: o, Count: m[o], Share: NewShare(m[o], q.Respondents)})
		}
		return out
	}
	q.Purpose = choices(purpose, PurposeOptions)
	q.FinSupport = choices(fin, FinSupportOptions)
	q.NonfinSupport = choices(nonfin, NonfinOptions)
	return q, nil
}
