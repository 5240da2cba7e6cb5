package surveys

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

type reader struct {
	answers []qoldau.Answer
	invs    []qoldau.Invitation
}

func (r reader) Answers(_ context.Context, _, _ civil.Month, fn func(*qoldau.Answer) error) error {
	for i := range r.answers {
		if err := fn(&r.answers[i]); err != nil {
			return err
		}
	}
	return nil
}

func (r reader) Invitations(_ context.Context, _, _ civil.Month, fn func(*qoldau.Invitation) error) error {
	for i := range r.invs {
		if err := fn(&r.invs[i]); err != nil {
			return err
		}
	}
	return nil
}

func TestSummarize(t *testing.T) {
	p := civil.MonthOf(2026, time.September)
	done := time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)
	svc := func(row int, online bool) qoldau.ServiceRef {
		return qoldau.ServiceRef{Period: p, Version: 1, Row: row, Region: "750000000", Service: "tax", Online: online}
	}
	r := reader{
		invs: []qoldau.Invitation{{Used: done}, {}},
		answers: []qoldau.Answer{
			{Channel: "telegram", Service: svc(2, true), Completed: done, Received: "yes", Rating: 5, Useful: "yes", FinInterest: "no",
				Usefulness: 4, Organisation: 5, Expectations: 3, Satisfaction: 4, Purpose: []string{"quality", "new_markets"}},
			{Channel: "telegram", Service: svc(3, false), Completed: done, Received: "no"},
			{Channel: "phone", Service: svc(4, false), Completed: done, Outcome: "answered", Received: "yes", Rating: 3, Useful: "partly", FinInterest: "yes"},
			{Channel: "phone", Service: svc(5, false), Outcome: "no_answer"},
			{Channel: "telegram", Service: svc(6, false), Received: "yes"}, // begun
		},
	}
	s, err := Summarize(context.Background(), r, p, p)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{
		"invited": s.Invited, "used": s.Used, "completed": s.Completed, "telegram": *s.Channels["telegram"],
		"phone": *s.Channels["phone"], "rating": s.Rating, "received": s.Received, "denied": len(s.Denied),
		"outcomes": s.Outcomes, "purpose": s.Choices["purpose"], "a_org": *s.Annex2["a_organisation"],
	}
	want := map[string]any{
		"invited": 2, "used": 1, "completed": 3, "telegram": Response{Started: 1, Completed: 2, Denied: 1},
		"phone":    Response{Completed: 1},
		"rating":   Scale{Counts: [5]int{0, 0, 1, 0, 1}, N: 2, Mean: 4, Top2: 0.5},
		"received": map[string]int{"yes": 2, "no": 1}, "denied": 1,
		"outcomes": map[string]int{"answered": 1, "no_answer": 1},
		"purpose":  Counts{Respondents: 1, Options: map[string]int{"quality": 1, "new_markets": 1}},
		"a_org":    Scale{Counts: [5]int{0, 0, 0, 0, 1}, N: 1, Mean: 5, Top2: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}
