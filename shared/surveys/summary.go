package surveys

import (
	"context"
	"sort"
	"strconv"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
)

// Summary counts the survey answers of a range of periods, until the report's
// quality section (Section 3) takes them over: response by channel and region, the
// Annex 4 and Annex 2 items, and the denied services.
type Summary struct {
	From     civil.Month          `json:"from"`
	To       civil.Month          `json:"to"`
	Invited  int                  `json:"invited"` // invitations (one per client and period)
	Used     int                  `json:"invitations_used"`
	Channels map[string]*Response `json:"channels"`
	Regions  map[string]*Response `json:"regions"`
	// ByRegion splits each region's response by channel (region → channel).
	ByRegion  map[string]map[string]*Response `json:"regions_by_channel"`
	Services  map[string]*Response            `json:"services"`
	Received  map[string]int                  `json:"q1_received"` // yes | no | dont_remember
	Rating    Scale                           `json:"q2_rating"`
	Useful    map[string]int                  `json:"q3_useful"`
	Interest  map[string]int                  `json:"q4_fin_interest"`
	Annex2    map[string]*Scale               `json:"annex2"`  // a_usefulness … a_satisfaction
	Choices   map[string]Counts               `json:"choices"` // purpose, fin_support, nonfin_support
	Outcomes  map[string]int                  `json:"call_outcomes"`
	Denied    []Denied                        `json:"denied"`
	Completed int                             `json:"completed"`
}

// Response counts answers begun and submitted (and, by region, the invitations).
type Response struct {
	Invited   int `json:"invited,omitempty"`
	Started   int `json:"started"` // begun and not submitted
	Completed int `json:"completed"`
	Denied    int `json:"denied"`
}

// Scale is a 1-5 item: counts of each score, the number of answers and the mean.
type Scale struct {
	Counts [5]int  `json:"counts"`
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	Top2   float64 `json:"share_4_5"`
}

func (s *Scale) add(v int) {
	if v >= 1 && v <= 5 {
		s.Counts[v-1]++
		s.N++
	}
}

func (s *Scale) finish() {
	if s.N == 0 {
		return
	}
	sum := 0
	for i, c := range s.Counts {
		sum += (i + 1) * c
	}
	s.Mean = round2(float64(sum) / float64(s.N))
	s.Top2 = round2(float64(s.Counts[3]+s.Counts[4]) / float64(s.N))
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// Counts counts the options of a multi-choice question and its respondents.
type Counts struct {
	Respondents int            `json:"respondents"`
	Options     map[string]int `json:"options"`
}

// Denied is a service the client says was not received: an audit lead.
type Denied struct {
	Service qoldau.ServiceRef `json:"service"`
	Channel string            `json:"channel"`
}

// Summarize counts the answers and invitations of the periods from..to.
func Summarize(ctx context.Context, r qoldau.SurveyReader, from, to civil.Month) (*Summary, error) {
	s := &Summary{From: from, To: to, Channels: map[string]*Response{}, Regions: map[string]*Response{}, ByRegion: map[string]map[string]*Response{},
		Services: map[string]*Response{}, Received: map[string]int{}, Useful: map[string]int{},
		Interest: map[string]int{}, Annex2: map[string]*Scale{}, Choices: map[string]Counts{},
		Outcomes: map[string]int{}, Denied: []Denied{}}
	annex2 := questionnaire.Annex(2)
	for _, q := range annex2 {
		if q.Kind == questionnaire.Scale {
			s.Annex2[q.Key] = &Scale{}
		} else {
			s.Choices[q.Key] = Counts{Options: map[string]int{}}
		}
	}
	resp := func(m map[string]*Response, k string) *Response {
		if m[k] == nil {
			m[k] = &Response{}
		}
		return m[k]
	}
	if err := r.Invitations(ctx, from, to, func(inv *qoldau.Invitation) error {
		s.Invited++
		resp(s.Regions, inv.Region).Invited++
		if !inv.Used.IsZero() {
			s.Used++
		}
		return nil
	}); err != nil {
		return nil, err
	}
	err := r.Answers(ctx, from, to, func(a *qoldau.Answer) error {
		if a.Outcome != "" {
			s.Outcomes[a.Outcome]++
			if a.Outcome != questionnaire.OutcomeAnswered {
				return nil // a call that reached no answer: not a survey begun
			}
		}
		if s.ByRegion[a.Service.Region] == nil {
			s.ByRegion[a.Service.Region] = map[string]*Response{}
		}
		rs := []*Response{resp(s.Channels, a.Channel), resp(s.Regions, a.Service.Region), resp(s.Services, a.Service.Service),
			resp(s.ByRegion[a.Service.Region], a.Channel)}
		if !a.IsCompleted() {
			for _, x := range rs {
				x.Started++
			}
			return nil
		}
		s.Completed++
		for _, x := range rs {
			x.Completed++
			if a.Denied() {
				x.Denied++
			}
		}
		if a.Received != "" {
			s.Received[a.Received]++
		}
		if a.Denied() {
			s.Denied = append(s.Denied, Denied{Service: a.Service, Channel: a.Channel})
		}
		s.Rating.add(a.Rating)
		if a.Useful != "" {
			s.Useful[a.Useful]++
		}
		if a.FinInterest != "" {
			s.Interest[a.FinInterest]++
		}
		respondent := a.Service.Online && a.Received == "yes" && a.Usefulness > 0
		for _, q := range annex2 {
			if q.Kind == questionnaire.Scale {
				n, _ := strconv.Atoi(questionnaire.Value(a, q.Key))
				s.Annex2[q.Key].add(n)
				continue
			}
			if respondent {
				c := s.Choices[q.Key]
				c.Respondents++
				for _, o := range *questionnaire.Chosen(a, q.Key) {
					c.Options[o]++
				}
				s.Choices[q.Key] = c
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.Rating.finish()
	for _, sc := range s.Annex2 {
		sc.finish()
	}
	sort.SliceStable(s.Denied, func(i, j int) bool {
		a, b := s.Denied[i].Service, s.Denied[j].Service
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Key() < b.Key()
	})
	return s, nil
}
