package report_test

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/langtest"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/workday"
)

// surveys is a SurveyReader over fixed answers and invitations.
type surveys struct {
	answers     []qoldau.Answer
	invitations []qoldau.Invitation
}

func (s *surveys) Answers(_ context.Context, from, to civil.Month, fn func(*qoldau.Answer) error) error {
	for i := range s.answers {
		if p := s.answers[i].Service.Period; p >= from && p <= to {
			if err := fn(&s.answers[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *surveys) Invitations(_ context.Context, from, to civil.Month, fn func(*qoldau.Invitation) error) error {
	for i := range s.invitations {
		if p := s.invitations[i].Period; p >= from && p <= to {
			if err := fn(&s.invitations[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func TestWilsonAndMean(t *testing.T) {
	tests := []struct {
		k, n   int
		lo, hi float64
	}{
		{1, 2, 0.0945, 0.9055},
		{2, 3, 0.2077, 0.9385},
		{0, 10, 0, 0.2775},
		{10, 10, 0.7225, 1},
		{45, 100, 0.3561, 0.5476},
	}
	for _, tt := range tests {
		s := report.NewShare(tt.k, tt.n)
		if math.Abs(s.Lo-tt.lo) > 1e-4 || math.Abs(s.Hi-tt.hi) > 1e-4 || s.Small != (tt.n < 30) {
			t.Errorf("NewShare(%d, %d) = %+v, want [%v, %v]", tt.k, tt.n, s, tt.lo, tt.hi)
		}
	}
	if report.NewShare(0, 0) != nil {
		t.Error("NewShare(0, 0) is not nil")
	}
}

// TestQuality checks Section 3 against answers counted by hand: only completed
// answers about counted services count, by the build time.
func TestQuality(t *testing.T) {
	h, _ := quarter(t)
	at := func(s string) time.Time {
		v, _ := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
		return v
	}
	ref := func(period string, version, row int, region, service string, online bool) qoldau.ServiceRef {
		return qoldau.ServiceRef{Period: month(period), Version: version, Row: row, Region: region, Service: service,
			Place: "service_center", Centre: "г. Алматы", Manager: "Жұмабаев Ерлан Сәкенұлы", End: civil.D(2026, 7, 21), Online: online}
	}
	done := at("2026-09-15 12:00")
	sv := &surveys{
		answers: []qoldau.Answer{
			{ID: "telegram:1", Channel: "telegram", Client: "c1", Service: ref("2026-07", 2, 2, "750000000", "accounting", false),
				Started: done, Completed: done, Received: "yes", Rating: 5, Useful: "yes", FinInterest: "yes"},
			{ID: "phone:2", Channel: "phone", Client: "c3", Service: ref("2026-07", 2, 5, "750000000", "marketing", false),
				Started: done, Completed: done, Received: "no", Outcome: "answered"},
			{ID: "telegram:3", Channel: "telegram", Client: "c1", Service: ref("2026-07", 2, 3, "750000000", "tax", true),
				Started: done, Completed: done, Received: "yes", Rating: 3, Useful: "partly", FinInterest: "no",
				Usefulness: 4, Organisation: 5, Expectations: 3, Satisfaction: 4,
				Purpose: []string{"new_markets", "quality"}, FinSupport: []string{"grant"}, NonfinSupport: []string{"staff_training"}},
			{ID: "telegram:4", Channel: "telegram", Client: "c2", Service: ref("2026-07", 2, 4, "710000000", "legal", false),
				Started: done, Received: "yes"},
			// About a row acts do not confirm, and about a version not counted.
			{ID: "import:5", Channel: "import", Client: "c5", Service: ref("2026-07", 2, 6, "750000000", "state_support", false),
				Started: done, Completed: done, Received: "yes", Rating: 1},
			{ID: "telegram:6", Channel: "telegram", Client: "c2", Service: ref("2026-07", 1, 4, "710000000", "legal", false),
				Started: done, Completed: done, Received: "yes", Rating: 1},
			// A call that reached no one: the client was asked, not reached.
			{ID: "phone:8", Channel: "phone", Client: "c6", Service: ref("2026-07", 2, 2, "750000000", "accounting", false),
				Started: done, Outcome: "no_answer"},
			// Completed after the build: started only.
			{ID: "phone:7", Channel: "phone", Client: "c4", Service: ref("2026-08", 1, 2, "350000000", "export", false),
				Started: at("2026-10-08 12:00"), Completed: at("2026-10-10 12:00"), Received: "yes", Rating: 1},
		},
		invitations: []qoldau.Invitation{
			{Client: "c1", Period: month("2026-07"), Region: "750000000", Created: done},
			{Client: "c3", Period: month("2026-07"), Region: "750000000", Created: done},
			{Client: "c2", Period: month("2026-07"), Region: "710000000", Created: done},
			{Client: "c9", Period: month("2026-08"), Region: "790000000", Created: done},
		},
	}
	r, err := report.Build(context.Background(), h.svc, report.Options{Keys: testKeys, Period: report.Quarter(2026, 3), Surveys: sv})
	if err != nil {
		t.Fatal(err)
	}
	q := r.Quality
	if q.NoAnswers || q.Answers != 3 || q.Excluded != 2 || q.Respondents != 1 {
		t.Errorf("answers %d, excluded %d, respondents %d (no answers %v); want 3, 2, 1", q.Answers, q.Excluded, q.Respondents, q.NoAnswers)
	}
	// Asked: invitations and answers of any outcome; reached: who began (or
	// answered the call).
	wantCh := []report.ChannelCount{{Channel: "telegram", Invited: 4, Reached: 2, Started: 3, Completed: 2, Excluded: 1, Respondents: 1},
		{Channel: "phone", Invited: 3, Reached: 2, Started: 2, Completed: 1}, {Channel: "import", Excluded: 1},
		{Channel: "total", Invited: 6, Reached: 4, Started: 5, Completed: 3, Excluded: 2, Respondents: 1}}
	if diff := cmp.Diff(wantCh, q.Channels, cmpopts.IgnoreFields(report.ChannelCount{}, "Answers")); diff != "" {
		t.Errorf("channels (-want +got):\n%s", diff)
	}
	// The answers of each channel apart: the phone's one client denied the service.
	tg, ph, im, all := q.Channels[0].Answers, q.Channels[1].Answers, q.Channels[2].Answers, q.Channels[3].Answers
	if tg.Received == nil || tg.Received.N != 2 || tg.Received.Value != 1 || tg.Rating == nil || tg.Rating.Value != 4 ||
		ph.Received == nil || ph.Received.N != 1 || ph.Received.Value != 0 || ph.Rating != nil || im.Received != nil ||
		all.Received == nil || all.Received.N != 3 {
		t.Errorf("answers by channel: telegram %+v, phone %+v, import %+v, all %+v", tg, ph, im, all)
	}
	resp := map[string]report.ResponseRow{}
	for _, x := range q.Response {
		x.Rate = nil
		x.Channels = slices.Clone(x.Channels)
		for i := range x.Channels {
			x.Channels[i].Rate = nil
		}
		resp[x.Region] = x
	}
	// Each region's response split by channel: Almaty's client c3 answered the
	// call centre, c6 was called and not reached, c1 answered in Telegram.
	split := func(tg, ph report.ResponseRow, region string) []report.ResponseRow {
		tg.Region, tg.Channel, ph.Region, ph.Channel = region, "telegram", region, "phone"
		return []report.ResponseRow{tg, ph, {Region: region, Channel: "import"}}
	}
	for reg, want := range map[string]report.ResponseRow{
		"750000000": {Region: "750000000", Invited: 3, Reached: 2, Started: 2, Completed: 2,
			Channels: split(report.ResponseRow{Invited: 2, Reached: 1, Started: 1, Completed: 1},
				report.ResponseRow{Invited: 2, Reached: 1, Started: 1, Completed: 1}, "750000000")},
		"710000000": {Region: "710000000", Invited: 1, Reached: 1, Started: 1,
			Channels: split(report.ResponseRow{Invited: 1, Reached: 1, Started: 1}, report.ResponseRow{}, "710000000")},
		"350000000": {Region: "350000000", Invited: 1, Reached: 1, Started: 1,
			Channels: split(report.ResponseRow{}, report.ResponseRow{Invited: 1, Reached: 1, Started: 1}, "350000000")},
		"790000000": {Region: "790000000", Invited: 1,
			Channels: split(report.ResponseRow{Invited: 1}, report.ResponseRow{}, "790000000")},
		"total": {Region: "total", Invited: 6, Reached: 4, Started: 4, Completed: 2,
			Channels: split(report.ResponseRow{Invited: 4, Reached: 2, Started: 2, Completed: 1},
				report.ResponseRow{Invited: 3, Reached: 2, Started: 2, Completed: 1}, "total")},
	} {
		if diff := cmp.Diff(want, resp[reg]); diff != "" {
			t.Errorf("response %s (-want +got):\n%s", reg, diff)
		}
	}
	if got := q.Response[len(q.Response)-1].Rate; got == nil || got.K != 2 || got.N != 6 || !got.Small {
		t.Errorf("total response rate = %+v, want 2 of 6 (invited by link or called), a small sample", got)
	}
	for _, x := range q.Response {
		if x.Region != "750000000" {
			continue
		}
		// Of the two called, one answered; of the two sent a link, one completed.
		if tg, ph, im := x.Channels[0].Rate, x.Channels[1].Rate, x.Channels[2].Rate; tg == nil || tg.K != 1 || tg.N != 2 ||
			ph == nil || ph.K != 1 || ph.N != 2 || im != nil {
			t.Errorf("Almaty's response rates by channel: telegram %+v, phone %+v, import %+v", tg, ph, im)
		}
	}
	var almaty report.QualityRow
	for _, x := range q.ByRegion {
		if x.Key == "750000000" {
			almaty = x
		}
	}
	// The phone's answer (c3 denies the marketing service in Almaty) is in the
	// phone rows of the tables by region and by service, not in Telegram's.
	var marketing report.QualityRow
	for _, x := range q.ByService {
		if x.Key == "marketing" {
			marketing = x
		}
	}
	for _, x := range []report.QualityRow{almaty, marketing, q.ByRegion[len(q.ByRegion)-1], q.ByService[len(q.ByService)-1]} {
		if len(x.Channels) != 3 {
			t.Fatalf("%s is not split by channel: %+v", x.Key, x.Channels)
		}
		tg, ph, im := x.Channels[0], x.Channels[1], x.Channels[2]
		if ph.Key != x.Key || ph.Channel != "phone" || ph.Received == nil || ph.Received.N != 1 || ph.Received.K != 0 ||
			ph.Rating != nil || im.Channel != "import" || im.Received != nil || im.Rating != nil {
			t.Errorf("%s: phone %+v, import %+v; want the call's one denial, no import answers", x.Key, ph, im)
		}
		if x.Key != "marketing" && (tg.Received == nil || tg.Received.N != x.Received.N-1 || tg.Received.K != x.Received.K) {
			t.Errorf("%s: telegram %+v beside all %+v: want all but the call", x.Key, tg.Received, x.Received)
		}
		if x.Key == "marketing" && (tg.Received != nil || x.Received.N != 1) {
			t.Errorf("marketing: telegram %+v, all %+v; want the call alone", tg.Received, x.Received)
		}
	}
	almaty.Channels = nil
	total := q.ByRegion[len(q.ByRegion)-1]
	total.Channels = nil
	if total.Key != "total" || !cmp.Equal(almaty, report.QualityRow{Key: "750000000", Received: almaty.Received, Rating: almaty.Rating,
		UsefulNo: almaty.UsefulNo, UsefulPart: almaty.UsefulPart, UsefulYes: almaty.UsefulYes, FinInterest: almaty.FinInterest,
		Usefulness: almaty.Usefulness, Organisation: almaty.Organisation, Expectations: almaty.Expectations, Satisfaction: almaty.Satisfaction}) {
		t.Fatalf("rows: %+v", q.ByRegion)
	}
	wantAlmaty := report.QualityRow{
		Key:         "750000000",
		Received:    &report.Share{N: 3, K: 2, Value: 0.6667, Lo: 0.2077, Hi: 0.9385, Small: true},
		Rating:      &report.Mean{N: 2, Value: 4, Lo: 2.04, Hi: 5, Dist: [5]int{0, 0, 1, 0, 1}, High: report.NewShare(1, 2), Small: true},
		UsefulNo:    report.NewShare(0, 2),
		UsefulPart:  report.NewShare(1, 2),
		UsefulYes:   report.NewShare(1, 2),
		FinInterest: report.NewShare(1, 2),
		Usefulness:  &report.Mean{N: 1, Value: 4, Lo: 4, Hi: 4, Dist: [5]int{0, 0, 0, 1, 0}, High: report.NewShare(1, 1), Small: true},
		Organisation: &report.Mean{N: 1, Value: 5, Lo: 5, Hi: 5, Dist: [5]int{0, 0, 0, 0, 1}, High: report.NewShare(1, 1),
			Small: true},
		Expectations: &report.Mean{N: 1, Value: 3, Lo: 3, Hi: 3, Dist: [5]int{0, 0, 1, 0, 0}, High: report.NewShare(0, 1),
			Small: true},
		Satisfaction: &report.Mean{N: 1, Value: 4, Lo: 4, Hi: 4, Dist: [5]int{0, 0, 0, 1, 0}, High: report.NewShare(1, 1),
			Small: true},
	}
	if diff := cmp.Diff(wantAlmaty, almaty); diff != "" {
		t.Errorf("Almaty (-want +got):\n%s", diff)
	}
	total.Key = "750000000"
	if diff := cmp.Diff(wantAlmaty, total); diff != "" {
		t.Errorf("total, all from Almaty (-want +got):\n%s", diff)
	}
	wantChoices := map[string]int{"new_markets": 1, "quality": 1}
	for _, c := range q.Purpose {
		if c.Count != wantChoices[c.Code] {
			t.Errorf("purpose %s = %d, want %d", c.Code, c.Count, wantChoices[c.Code])
		}
	}
	if g := q.FinSupport[2]; g.Code != "grant" || g.Count != 1 || g.Share.Value != 1 || len(g.Channels) != 3 ||
		g.Channels[0].Count != 1 || g.Channels[0].Share.Value != 1 || g.Channels[1].Count != 0 || g.Channels[1].Share != nil {
		t.Errorf("fin support = %+v", q.FinSupport)
	}
	wantDenied := []report.Denied{{Date: civil.D(2026, 7, 21), Region: "750000000", Service: "marketing", Place: "service_center",
		Centre: "г. Алматы", Manager: "Жұмабаев Ерлан Сәкенұлы", Period: month("2026-07"), Version: 2, Row: 5, Channel: "phone"}}
	if diff := cmp.Diff(wantDenied, q.Denied); diff != "" {
		t.Errorf("denied (-want +got):\n%s", diff)
	}
	// The tables as people read them, in every language and format: under each
	// region and service with answers, a row per channel; the call's denial is in
	// the call centre's row under Almaty city (3.2) and Marketing services (3.3).
	for _, lang := range report.Langs {
		js, xl, pdf := renderAll(t, r, lang)
		text := sheetText(t, xl)
		from := bytes.Index(text, []byte("=== 3.1\n"))
		to := bytes.Index(text[from:], []byte("=== 3.8\n"))
		end := bytes.Index(text[from+to+1:], []byte("\n=== "))
		if from < 0 || to < 0 || end < 0 {
			t.Fatalf("%s: no Section 3 sheets in\n%s", lang, text)
		}
		golden(t, "quality.xlsx."+lang+".txt", text[from:from+to+1+end+1])
		if lang == "en" {
			i := bytes.Index(js, []byte("\n \"quality\":"))
			golden(t, "quality.json", js[i+1:i+1+bytes.IndexByte(js[i+1:], '\n')+1])
		}
		want := map[string]string{"kk": "Байланыс орталығы", "ru": "Колл-центр", "en": "Call centre"}[lang]
		if !strings.Contains(langtest.PDFText(pdf), want) {
			t.Errorf("%s: the PDF does not split the tables by channel (no %q)", lang, want)
		}
		if lang != "en" {
			continue
		}
		for _, tt := range []struct{ sheet, row string }{{"3.2", "Almaty city"}, {"3.3", "Marketing services"}} {
			rows := sheetRows(t, xl, tt.sheet)
			var phone []string
			for i, x := range rows {
				if len(x) > 0 && x[0] == tt.row {
					for _, y := range rows[i+1:] {
						if len(y) == 0 || !strings.HasPrefix(y[0], "    ") {
							break
						}
						if y[0] == "    Call centre" {
							phone = y
						}
					}
				}
			}
			if len(phone) < 4 || phone[1] != "1" || phone[2] != "0.0%" || phone[5] != "no answers" {
				t.Errorf("%s: the call centre's row under %s = %q; want 1 answer, 0.0%% confirming, no rating", tt.sheet, tt.row, phone)
			}
		}
	}

	// The conclusion names the denied service; no region has 30 ratings.
	var texts []string
	for _, s := range r.Conclusion {
		texts = append(texts, s.Text.EN)
	}
	wantTexts := []string{
		"Counted: 5 services to 3 clients of 4 enterprises (Q3 2026).",
		"Rows received: 8; excluded: 3 (late registers: 1, rows with errors: 0, not confirmed by acts: 2).",
		"Most clients: Almaty city (2); fewest: Akmola Region (0).",
		"No region has 30 or more ratings yet, so quality scores are not compared.",
		"Services clients say they did not receive: 1; Section 3 lists them for audit.",
		"Registers late: 1, not submitted: 0; letters sent late or not sent: 0; corrections late or missing: 0.",
	}
	if diff := cmp.Diff(wantTexts, texts); diff != "" {
		t.Errorf("conclusion (-want +got):\n%s", diff)
	}
}

// sheetRows returns the rows of one sheet of a workbook, cells as Excel shows them.
func sheetRows(t *testing.T, data []byte, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
