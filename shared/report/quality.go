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
	// import, then any other channel an answer names), then all channels together
	// (Channel "total"). Every row below that has Channels splits itself in the
	// same order (without the total, which is the row itself).
	Channels []ChannelCount `json:"channels"`
	// Response is per region, then the total (Region "total").
	Response []ResponseRow `json:"response"`
	// ByRegion and ByService hold the telephone-survey questions (Annex 4) and the
	// questionnaire (Annex 2), per region and per service, each ending with the
	// total (Key "total").
	ByRegion  []QualityRow `json:"by_region"`
	ByService []QualityRow `json:"by_service"`
	// Respondents answered the questionnaire (Annex 2); the multi-choice questions
	// count options, with shares of respondents (in all and per channel).
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
// Excluded counts its answers about services Section 2 does not count, and
// Respondents its answers to the questionnaire (Annex 2).
type ChannelCount struct {
	Channel     string     `json:"channel"`
	Invited     int        `json:"invited"`
	Reached     int        `json:"reached"`
	Started     int        `json:"started"`
	Completed   int        `json:"completed"`
	Excluded    int        `json:"excluded"`
	Respondents int        `json:"respondents"`
	Answers     QualityRow `json:"answers"`
}

// ResponseRow is the response of one region: distinct clients invited, reached,
// who started and who completed a survey, and the share of invited clients who
// completed one; in all channels, with Channels the same per channel (a client
// invited through one channel counts as completing only through that channel).
type ResponseRow struct {
	Region    string        `json:"region"`
	Channel   string        `json:"channel,omitempty"`
	Invited   int           `json:"invited"`
	Reached   int           `json:"reached"`
	Started   int           `json:"started"`
	Completed int           `json:"completed"`
	Rate      *Share        `json:"rate,omitempty"`
	Channels  []ResponseRow `json:"channels,omitempty"`
}

// QualityRow holds the answers about the services of one region or one service:
// in all channels, with Channels the same per channel (Channel set).
type QualityRow struct {
	Key     string `json:"key"` // region code, service code or "total"
	Channel string `json:"channel,omitempty"`
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

	Channels []QualityRow `json:"channels,omitempty"`
}

// empty reports whether no answer is in the row.
func (x *QualityRow) empty() bool {
	return x.Received == nil && x.Rating == nil && x.UsefulYes == nil && x.FinInterest == nil && x.Usefulness == nil &&
		x.Organisation == nil && x.Expectations == nil && x.Satisfaction == nil
}

// Choice is one option of a multi-choice question: its count and share of the
// respondents, in all channels and (Channels) per channel.
type Choice struct {
	Code     string   `json:"code"`
	Channel  string   `json:"channel,omitempty"`
	Count    int      `json:"count"`
	Share    *Share   `json:"share,omitempty"`
	Channels []Choice `json:"channels,omitempty"`
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

// pair is a client in a region.
type pair struct {
	region uint16
	client string
}

// tally is what one channel, or all of them, gathered: the clients asked,
// reached, who started and who completed (by region, and as clients over the
// whole period), the completed answers by region, by service and in all, and the
// questionnaire's multi-choice options.
type tally struct {
	invited, reached, started, completed map[pair]bool
	invitedClients, reachedClients       map[string]bool
	region, service                      []acc
	total                                acc
	respondents                          int
	purpose, fin, nonfin                 map[string]int
}

func newTally(regions, services int) *tally {
	return &tally{invited: map[pair]bool{}, reached: map[pair]bool{}, started: map[pair]bool{}, completed: map[pair]bool{},
		invitedClients: map[string]bool{}, reachedClients: map[string]bool{},
		region: make([]acc, regions), service: make([]acc, services),
		purpose: map[string]int{}, fin: map[string]int{}, nonfin: map[string]int{}}
}

// invite marks client k as asked (known: its region is one of the report's).
func (t *tally) invite(k pair, known bool) {
	if known {
		t.invited[k] = true
	}
	t.invitedClients[k.client] = true
}

func (t *tally) reach(k pair, known bool) {
	if known {
		t.reached[k] = true
	}
	t.reachedClients[k.client] = true
}

// answer adds a completed answer about the counted service x.
func (t *tally) answer(a *qoldau.Answer, x *rec) {
	t.region[x.region].add(a, x.online)
	t.service[x.service].add(a, x.online)
	t.total.add(a, x.online)
	if x.online && (a.Usefulness > 0 || a.Organisation > 0 || a.Expectations > 0 || a.Satisfaction > 0 ||
		len(a.Purpose) > 0 || len(a.FinSupport) > 0 || len(a.NonfinSupport) > 0) {
		t.respondents++
		for _, m := range []struct {
			to   map[string]int
			from []string
		}{{t.purpose, a.Purpose}, {t.fin, a.FinSupport}, {t.nonfin, a.NonfinSupport}} {
			for i, o := range m.from {
				if !slices.Contains(m.from[:i], o) {
					m.to[o]++
				}
			}
		}
	}
}

// response is the response by region (rows, in report order) and in all.
func (t *tally) response(rows []uint32, names []string) []ResponseRow {
	per := func(m map[pair]bool) []int {
		out := make([]int, len(t.region))
		for k := range m {
			out[k.region]++
		}
		return out
	}
	clients := func(m map[pair]bool) map[string]bool {
		out := map[string]bool{}
		for k := range m {
			out[k.client] = true
		}
		return out
	}
	inv, rch, st, co := per(t.invited), per(t.reached), per(t.started), per(t.completed)
	invClients := clients(t.invited)
	both := make([]int, len(t.region)) // invited clients who completed, per region
	bothClients := map[string]bool{}
	for k := range t.completed {
		if t.invited[k] {
			both[k.region]++
		}
		if invClients[k.client] {
			bothClients[k.client] = true
		}
	}
	var out []ResponseRow
	for _, id := range rows {
		out = append(out, ResponseRow{Region: names[id], Invited: inv[id], Reached: rch[id], Started: st[id],
			Completed: co[id], Rate: NewShare(both[id], inv[id])})
	}
	return append(out, ResponseRow{Region: "total", Invited: len(invClients), Reached: len(clients(t.reached)),
		Started: len(clients(t.started)), Completed: len(clients(t.completed)), Rate: NewShare(len(bothClients), len(invClients))})
}

// choices counts the options of a multi-choice question: the question's own,
// then any other code found, sorted.
func choices(m map[string]int, options []string, respondents int) []Choice {
	out := []Choice{}
	seen := map[string]bool{}
	for _, o := range options {
		seen[o] = true
		out = append(out, Choice{Code: o, Count: m[o], Share: NewShare(m[o], respondents)})
	}
	var extra []string
	for o := range m {
		if !seen[o] {
			extra = append(extra, o)
		}
	}
	slices.Sort(extra)
	for _, o := range extra {
		out = append(out, Choice{Code: o, Count: m[o], Share: NewShare(m[o], respondents)})
	}
	return out
}

// quality computes Section 3 over the counted rows r.trace (in register and row
// order), in all channels and per channel.
func (b *builder) quality(ctx context.Context, r *Report) (*Quality, error) {
	q := &Quality{NoAnswers: true, Channels: []ChannelCount{}, Denied: []Denied{}}
	nReg, nSvc := len(b.dicts.region.names), len(b.dicts.service.names)
	all := newTally(nReg, nSvc)
	var per []*tally // per channel, as q.Channels
	channel := func(c string) int {
		for i := range q.Channels {
			if q.Channels[i].Channel == c {
				return i
			}
		}
		q.Channels = append(q.Channels, ChannelCount{Channel: c})
		per = append(per, newTally(nReg, nSvc))
		return len(q.Channels) - 1
	}
	for _, c := range Channels {
		channel(c)
	}
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
		built := r.Built
		err := b.opt.Surveys.Answers(ctx, r.Period.From, r.Period.To, func(a *qoldau.Answer) error {
			ci := channel(a.Channel)
			ch, t := &q.Channels[ci], per[ci]
			x := find(&a.Service)
			if x == nil {
				q.Excluded++
				ch.Excluded++
				return nil
			}
			isStarted := !a.Started.IsZero() && !a.Started.After(built) || !a.Completed.IsZero() && !a.Completed.After(built)
			isCompleted := !a.Completed.IsZero() && !a.Completed.After(built)
			if !isStarted {
				return nil
			}
			k := pair{x.region, a.Client}
			all.invite(k, true)
			t.invite(k, true)
			if a.Outcome != "" && a.Outcome != questionnaire.OutcomeAnswered {
				return nil // a call that reached no one: asked, not answered
			}
			all.reach(k, true)
			t.reach(k, true)
			ch.Started++
			all.started[k], t.started[k] = true, true
			if !isCompleted {
				return nil
			}
			ch.Completed++
			all.completed[k], t.completed[k] = true, true
			q.Answers++
			all.answer(a, x)
			t.answer(a, x)
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
		tg := per[channel(qoldau.ChannelTelegram)]
		err = b.opt.Surveys.Invitations(ctx, r.Period.From, r.Period.To, func(inv *qoldau.Invitation) error {
			if inv.Created.After(built) {
				return nil
			}
			id, known := b.dicts.region.idx[inv.Region]
			k := pair{uint16(id), inv.Client}
			all.invite(k, known)
			tg.invite(k, known)
			if !inv.Used.IsZero() && !inv.Used.After(built) {
				all.reach(k, known)
				tg.reach(k, known)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	q.NoAnswers = q.Answers == 0
	q.Respondents = all.respondents
	total := ChannelCount{Channel: "total", Invited: len(all.invitedClients), Reached: len(all.reachedClients),
		Excluded: q.Excluded, Respondents: all.respondents, Answers: all.total.row("total")}
	for i := range q.Channels {
		c, t := &q.Channels[i], per[i]
		c.Invited, c.Reached, c.Respondents = len(t.invitedClients), len(t.reachedClients), t.respondents
		c.Answers = t.total.row(c.Channel)
		total.Started += c.Started
		total.Completed += c.Completed
	}
	q.Channels = append(q.Channels, total)
	slices.SortFunc(q.Denied, func(a, c Denied) int {
		return cmp.Or(cmp.Compare(a.Date, c.Date), cmp.Compare(a.Period, c.Period), cmp.Compare(a.Version, c.Version),
			cmp.Compare(a.Row, c.Row), cmp.Compare(a.Channel, c.Channel))
	})
	codes := func(i int) string { return q.Channels[i].Channel }

	// Response by region and in all, each split by channel.
	names := b.dicts.region.names
	q.Response = all.response(b.regionRows, names)
	for i, t := range per {
		for j, x := range t.response(b.regionRows, names) {
			x.Channel = codes(i)
			q.Response[j].Channels = append(q.Response[j].Channels, x)
		}
	}

	// The answers by region and by service, each split by channel.
	row := func(pick func(t *tally) *acc, key string) QualityRow {
		out := pick(all).row(key)
		for i, t := range per {
			x := pick(t).row(key)
			x.Channel = codes(i)
			out.Channels = append(out.Channels, x)
		}
		return out
	}
	totalRow := func(t *tally) *acc { return &t.total }
	for _, id := range b.regionRows {
		q.ByRegion = append(q.ByRegion, row(func(t *tally) *acc { return &t.region[id] }, names[id]))
	}
	q.ByRegion = append(q.ByRegion, row(totalRow, "total"))
	for _, id := range b.dicts.service.order() {
		q.ByService = append(q.ByService, row(func(t *tally) *acc { return &t.service[id] }, b.dicts.service.names[id]))
	}
	q.ByService = append(q.ByService, row(totalRow, "total"))

	// The multi-choice questions, each option split by channel.
	split := func(pick func(t *tally) map[string]int, options []string) []Choice {
		out := choices(pick(all), options, all.respondents)
		for j := range out {
			for i, t := range per {
				n := pick(t)[out[j].Code]
				out[j].Channels = append(out[j].Channels, Choice{Code: out[j].Code, Channel: codes(i), Count: n,
					Share: NewShare(n, t.respondents)})
			}
		}
		return out
	}
	q.Purpose = split(func(t *tally) map[string]int { return t.purpose }, PurposeOptions)
	q.FinSupport = split(func(t *tally) map[string]int { return t.fin }, FinSupportOptions)
	q.NonfinSupport = split(func(t *tally) map[string]int { return t.nonfin }, NonfinOptions)
	return q, nil
}
