package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// RunSurvey runs the qoldau.SurveyStore contract; open returns a fresh, empty store
// for each subtest.
//
//	storetest.RunSurvey(t, func(t *testing.T) qoldau.Store { … })
func RunSurvey(t *testing.T, open func(t *testing.T) qoldau.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s qoldau.SurveyStore)
	}{
		{"Directory", testDirectory},
		{"DirectoryReplace", testDirectoryReplace},
		{"Invitations", testInvitations},
		{"InvitationRace", testInvitationRace},
		{"Chats", testChats},
		{"ChatRace", testChatRace},
		{"Answers", testAnswers},
		{"StaffCodes", testStaffCodes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// Service returns a service reference of row n of version v of period p.
func Service(p civil.Month, v, n int, end civil.Date) qoldau.ServiceRef {
	return qoldau.ServiceRef{
		Period: p, Version: v, Row: n, Region: "750000000", Service: "accounting",
		Place: "service_center", Centre: fmt.Sprintf("г. Алматы №%d", n%3), Town: "Алматы",
		Manager: "Менеджер Тест", End: end, Online: n%2 == 0,
	}
}

func testDirectory(t *testing.T, s qoldau.SurveyStore) {
	sep, oct := month(2026, time.September), month(2026, time.October)
	v, err := s.SurveyVersion(ctx(t), sep)
	must(t, err)
	if v != 0 {
		t.Errorf("SurveyVersion of an empty store = %d, want 0", v)
	}
	a1 := Service(sep, 1, 2, civil.D(2026, 9, 3))
	a2 := Service(sep, 1, 3, civil.D(2026, 9, 20))
	b1 := Service(sep, 1, 4, civil.D(2026, 9, 20))
	a3 := Service(oct, 2, 2, civil.D(2026, 10, 1))
	must(t, s.PutSurveyServices(ctx(t), sep, 1, []qoldau.SurveyEntry{
		{Client: "cA", PhoneHash: "pA", Service: a1},
		{Client: "cA", PhoneHash: "pA", Service: a2},
		{Client: "cB", PhoneHash: "pShared", Service: b1},
	}))
	must(t, s.PutSurveyServices(ctx(t), oct, 2, []qoldau.SurveyEntry{
		{Client: "cA", PhoneHash: "pShared", Service: a3},
	}))
	// The same version again is harmless.
	must(t, s.PutSurveyServices(ctx(t), oct, 2, []qoldau.SurveyEntry{
		{Client: "cA", PhoneHash: "pShared", Service: a3},
	}))
	wantCode(t, s.PutSurveyServices(ctx(t), oct, 0, nil), qoldau.Invalid)
	v, err = s.SurveyVersion(ctx(t), oct)
	must(t, err)
	if v != 2 {
		t.Errorf("SurveyVersion = %d, want 2", v)
	}
	got, err := s.ClientServices(ctx(t), "cA")
	must(t, err)
	if diff := cmp.Diff([]qoldau.ServiceRef{a3, a2, a1}, got); diff != "" {
		t.Errorf("ClientServices (-want +got):\n%s", diff)
	}
	got, err = s.ClientServices(ctx(t), "nobody")
	must(t, err)
	if len(got) != 0 {
		t.Errorf("ClientServices of an unknown client = %v", got)
	}
	phones := []struct {
		hash  string
		since civil.Month
		want  []string
	}{
		{"pA", sep, []string{"cA"}},
		{"pShared", sep, []string{"cA", "cB"}},
		{"pShared", oct, []string{"cA"}},
		{"pA", oct, nil},
		{"unknown", sep, nil},
		{"", sep, nil},
	}
	for _, tt := range phones {
		got, err := s.ClientsByPhone(ctx(t), tt.hash, tt.since)
		must(t, err)
		if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
			t.Errorf("ClientsByPhone(%q, %s) (-want +got):\n%s", tt.hash, tt.since, diff)
		}
	}
}

func testDirectoryReplace(t *testing.T, s qoldau.SurveyStore) {
	p := month(2026, time.September)
	old := Service(p, 1, 2, civil.D(2026, 9, 3))
	must(t, s.PutSurveyServices(ctx(t), p, 1, []qoldau.SurveyEntry{{Client: "cA", PhoneHash: "pA", Service: old}}))
	// A correction version: the row moved, the phone changed.
	nw := Service(p, 2, 5, civil.D(2026, 9, 3))
	must(t, s.PutSurveyServices(ctx(t), p, 2, []qoldau.SurveyEntry{{Client: "cA", PhoneHash: "pB", Service: nw}}))
	got, err := s.ClientServices(ctx(t), "cA")
	must(t, err)
	if diff := cmp.Diff([]qoldau.ServiceRef{nw}, got); diff != "" {
		t.Errorf("after a new version, ClientServices (-want +got):\n%s", diff)
	}
	cs, err := s.ClientsByPhone(ctx(t), "pA", p)
	must(t, err)
	if len(cs) != 0 {
		t.Errorf("the old version's phone still matches: %v", cs)
	}
}

// Invitation returns an invitation of period p for client with token hash h.
func Invitation(p civil.Month, client, h string) *qoldau.Invitation {
	created := time.Date(2026, 10, 5, 10, 0, 0, 0, almaty)
	return &qoldau.Invitation{
		TokenHash: h, Client: client, Period: p, Region: "750000000",
		Services: []qoldau.ServiceRef{Service(p, 1, 2, p.First().AddDays(3))},
		Created:  created, Expires: created.Add(30 * 24 * time.Hour), Sealed: "sealed-" + h,
	}
}

func testInvitations(t *testing.T, s qoldau.SurveyStore) {
	sep, oct := month(2026, time.September), month(2026, time.October)
	a, b, c := Invitation(sep, "cA", "hA"), Invitation(sep, "cB", "hB"), Invitation(oct, "cA", "hC")
	for _, inv := range []*qoldau.Invitation{b, c, a} {
		must(t, s.PutInvitation(ctx(t), inv))
	}
	wantCode(t, s.PutInvitation(ctx(t), Invitation(sep, "cZ", "hA")), qoldau.Conflict)
	wantCode(t, s.PutInvitation(ctx(t), Invitation(sep, "cZ", "")), qoldau.Invalid)

	got, err := s.Invitation(ctx(t), "hA")
	must(t, err)
	if diff := cmp.Diff(a, got, equateEmpty); diff != "" {
		t.Errorf("Invitation (-want +got):\n%s", diff)
	}
	_, err = s.Invitation(ctx(t), "nope")
	wantCode(t, err, qoldau.NotFound)

	at := time.Date(2026, 10, 6, 12, 0, 0, 0, almaty)
	used, err := s.UseInvitation(ctx(t), "hA", 1001, at)
	must(t, err)
	if used.ChatID != 1001 || !used.Used.Equal(at) {
		t.Errorf("UseInvitation = chat %d at %v, want 1001 at %v", used.ChatID, used.Used, at)
	}
	again, err := s.UseInvitation(ctx(t), "hA", 1001, at.Add(time.Hour))
	must(t, err)
	if !again.Used.Equal(at) {
		t.Errorf("a second use from the same chat moved Used to %v", again.Used)
	}
	_, err = s.UseInvitation(ctx(t), "hA", 2002, at)
	wantCode(t, err, qoldau.Conflict)
	_, err = s.UseInvitation(ctx(t), "nope", 2002, at)
	wantCode(t, err, qoldau.NotFound)

	// /forget: the chat is dropped, the invitation stays used.
	must(t, s.ReleaseInvitation(ctx(t), "hA", 2002)) // another chat's: nothing happens
	got, err = s.Invitation(ctx(t), "hA")
	must(t, err)
	if got.ChatID != 1001 {
		t.Errorf("released by another chat: chat = %d", got.ChatID)
	}
	must(t, s.ReleaseInvitation(ctx(t), "hA", 1001))
	got, err = s.Invitation(ctx(t), "hA")
	must(t, err)
	if got.ChatID != 0 || got.Used.IsZero() {
		t.Errorf("after release: chat %d, used %v; want 0 and still used", got.ChatID, got.Used)
	}
	_, err = s.UseInvitation(ctx(t), "hA", 1001, at)
	wantCode(t, err, qoldau.Conflict)
	wantCode(t, s.ReleaseInvitation(ctx(t), "nope", 1), qoldau.NotFound)

	var hashes []string
	must(t, s.Invitations(ctx(t), sep, sep, func(inv *qoldau.Invitation) error {
		hashes = append(hashes, inv.TokenHash)
		return nil
	}))
	if diff := cmp.Diff([]string{"hA", "hB"}, hashes); diff != "" {
		t.Errorf("Invitations(Sep) (-want +got):\n%s", diff)
	}
	hashes = nil
	must(t, s.Invitations(ctx(t), sep, oct, func(inv *qoldau.Invitation) error {
		hashes = append(hashes, inv.TokenHash)
		return nil
	}))
	if diff := cmp.Diff([]string{"hA", "hB", "hC"}, hashes); diff != "" {
		t.Errorf("Invitations(Sep..Oct) (-want +got):\n%s", diff)
	}
	stop := errors.New("stop")
	if err := s.Invitations(ctx(t), sep, oct, func(*qoldau.Invitation) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("Invitations returned %v, want the callback's error", err)
	}
}

func testInvitationRace(t *testing.T, s qoldau.SurveyStore) {
	must(t, s.PutInvitation(ctx(t), Invitation(month(2026, time.September), "cA", "hR")))
	const n = 6
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins []int64
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			chat := int64(5000 + i)
			inv, err := s.UseInvitation(context.WithoutCancel(ctx(t)), "hR", chat, time.Now())
			mu.Lock()
			defer mu.Unlock()
			switch qoldau.CodeOf(err) {
			case "":
				if inv.ChatID == chat {
					wins = append(wins, chat)
				}
			case qoldau.Conflict:
			default:
				t.Errorf("UseInvitation: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if len(wins) != 1 {
		t.Errorf("%d chats won the invitation, want 1", len(wins))
	}
}

func testChats(t *testing.T, s qoldau.SurveyStore) {
	_, err := s.Chat(ctx(t), 42)
	wantCode(t, err, qoldau.NotFound)
	c := &qoldau.Chat{ID: 42, Lang: "kk", Client: "cA", UserHash: "u", Linked: time.Date(2026, 10, 6, 9, 0, 0, 0, almaty),
		Offer: "o1", Offered: time.Date(2026, 10, 6, 9, 0, 0, 0, almaty), Updates: []int64{7, 8}, State: []byte(`{"step":"q1"}`)}
	must(t, s.PutChat(ctx(t), c))
	if c.Rev == 0 {
		t.Fatal("PutChat left Rev at 0")
	}
	got, err := s.Chat(ctx(t), 42)
	must(t, err)
	if diff := cmp.Diff(c, got, equateEmpty); diff != "" {
		t.Errorf("Chat (-want +got):\n%s", diff)
	}
	// A stale write (read before the last one) is a conflict.
	stale := *got
	got.Stopped = true
	must(t, s.PutChat(ctx(t), got))
	stale.Lang = "ru"
	wantCode(t, s.PutChat(ctx(t), &stale), qoldau.Conflict)
	fresh := &qoldau.Chat{ID: 42}
	wantCode(t, s.PutChat(ctx(t), fresh), qoldau.Conflict) // "new" over an existing chat
	wantCode(t, s.PutChat(ctx(t), &qoldau.Chat{}), qoldau.Invalid)
	again, err := s.Chat(ctx(t), 42)
	must(t, err)
	if !again.Stopped || again.Lang != "kk" {
		t.Errorf("after a conflict the chat is %+v", again)
	}
	must(t, s.PutChat(ctx(t), &qoldau.Chat{ID: -100500, Role: qoldau.RoleAgency}))
	ids := map[int64]string{}
	must(t, s.Chats(ctx(t), func(c *qoldau.Chat) error {
		ids[c.ID] = c.Role
		return nil
	}))
	if diff := cmp.Diff(map[int64]string{42: "", -100500: "agency"}, ids); diff != "" {
		t.Errorf("Chats (-want +got):\n%s", diff)
	}
}

func testChatRace(t *testing.T, s qoldau.SurveyStore) {
	must(t, s.PutChat(ctx(t), &qoldau.Chat{ID: 7}))
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Read, change, write, redo on conflict: every increment lands once.
			for {
				c, err := s.Chat(context.WithoutCancel(ctx(t)), 7)
				if err != nil {
					errs[i] = err
					return
				}
				c.MarkSeen(int64(100 + i))
				err = s.PutChat(context.WithoutCancel(ctx(t)), c)
				if qoldau.CodeOf(err) == qoldau.Conflict {
					continue
				}
				errs[i] = err
				return
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		must(t, err)
	}
	c, err := s.Chat(ctx(t), 7)
	must(t, err)
	if len(c.Updates) != n {
		t.Errorf("after %d racing writers the chat has %d updates: %v", n, len(c.Updates), c.Updates)
	}
}

// Answer returns an answer of channel about svc.
func Answer(channel string, svc qoldau.ServiceRef, completed bool) *qoldau.Answer {
	a := &qoldau.Answer{
		ID: qoldau.AnswerID(channel, &svc), Channel: channel, Client: "cA", Service: svc,
		Started:  time.Date(2026, 10, 6, 9, 0, 0, 0, almaty),
		Received: "yes", Rating: 4, Useful: "partly", FinInterest: "yes",
	}
	if svc.Online {
		a.Usefulness, a.Organisation, a.Expectations, a.Satisfaction = 5, 4, 3, 5
		a.Purpose, a.FinSupport, a.NonfinSupport = []string{"new_markets"}, nil, []string{"staff_training", "senior_experts"}
	}
	if completed {
		a.Completed = time.Date(2026, 10, 6, 9, 5, 0, 0, almaty)
		a.Signature = "sig"
	}
	return a
}

func testAnswers(t *testing.T, s qoldau.SurveyStore) {
	sep, oct := month(2026, time.September), month(2026, time.October)
	s1 := Service(sep, 1, 2, civil.D(2026, 9, 3))
	s2 := Service(sep, 1, 3, civil.D(2026, 9, 4))
	s3 := Service(oct, 1, 2, civil.D(2026, 10, 4))
	draft := Answer(qoldau.ChannelTelegram, s1, false)
	draft.Rating, draft.Useful, draft.FinInterest = 0, "", ""
	must(t, s.PutAnswer(ctx(t), draft))
	final := Answer(qoldau.ChannelTelegram, s1, true)
	must(t, s.PutAnswer(ctx(t), final))
	// Submitted answers are final, a retry included.
	wantCode(t, s.PutAnswer(ctx(t), final), qoldau.Conflict)
	other := Answer(qoldau.ChannelTelegram, s1, true)
	other.Rating = 1
	wantCode(t, s.PutAnswer(ctx(t), other), qoldau.Conflict)
	wantCode(t, s.PutAnswer(ctx(t), &qoldau.Answer{}), qoldau.Invalid)
	wantCode(t, s.PutAnswer(ctx(t), &qoldau.Answer{ID: "telegram:bad"}), qoldau.Invalid)

	got, err := s.Answer(ctx(t), final.ID)
	must(t, err)
	if diff := cmp.Diff(final, got, equateEmpty); diff != "" {
		t.Errorf("Answer (-want +got):\n%s", diff)
	}
	_, err = s.Answer(ctx(t), "telegram:2026-09#1#99")
	wantCode(t, err, qoldau.NotFound)

	phone := Answer(qoldau.ChannelPhone, s1, true)
	phone.Outcome = "answered"
	must(t, s.PutAnswer(ctx(t), phone))
	must(t, s.PutAnswer(ctx(t), Answer(qoldau.ChannelImport, s2, true)))
	must(t, s.PutAnswer(ctx(t), Answer(qoldau.ChannelTelegram, s3, false)))

	ids := func(as []qoldau.Answer) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	forSvc, err := s.AnswersFor(ctx(t), []qoldau.ServiceRef{s3, s1, Service(sep, 1, 77, civil.D(2026, 9, 1))})
	must(t, err)
	want := []string{"phone:2026-09#1#2", "telegram:2026-09#1#2", "telegram:2026-10#1#2"}
	if diff := cmp.Diff(want, ids(forSvc)); diff != "" {
		t.Errorf("AnswersFor (-want +got):\n%s", diff)
	}
	none, err := s.AnswersFor(ctx(t), nil)
	must(t, err)
	if len(none) != 0 {
		t.Errorf("AnswersFor(nil) = %v", none)
	}

	var all []qoldau.Answer
	must(t, s.Answers(ctx(t), sep, sep, func(a *qoldau.Answer) error { all = append(all, *a); return nil }))
	if diff := cmp.Diff([]string{"import:2026-09#1#3", "phone:2026-09#1#2", "telegram:2026-09#1#2"}, ids(all)); diff != "" {
		t.Errorf("Answers(Sep) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(*phone, all[1], equateEmpty); diff != "" {
		t.Errorf("Answers content (-want +got):\n%s", diff)
	}
	all = nil
	must(t, s.Answers(ctx(t), sep, oct, func(a *qoldau.Answer) error { all = append(all, *a); return nil }))
	if len(all) != 4 {
		t.Errorf("Answers(Sep..Oct) gave %d, want 4", len(all))
	}
}

func testStaffCodes(t *testing.T, s qoldau.SurveyStore) {
	now := time.Date(2026, 10, 6, 9, 0, 0, 0, almaty)
	c := &qoldau.StaffCode{Hash: "h1", Role: qoldau.RoleOperator, Created: now, Expires: now.Add(24 * time.Hour)}
	must(t, s.PutStaffCode(ctx(t), c))
	must(t, s.PutStaffCode(ctx(t), c)) // the same write again: idempotent
	other := *c
	other.Expires = now.Add(time.Hour)
	wantCode(t, s.PutStaffCode(ctx(t), &other), qoldau.Conflict)
	must(t, s.PutStaffCode(ctx(t), &qoldau.StaffCode{Hash: "h2", Role: qoldau.RoleAgency, Created: now, Expires: now.Add(time.Hour)}))

	_, err := s.UseStaffCode(ctx(t), "h2", 9, now.Add(2*time.Hour))
	wantCode(t, err, qoldau.NotFound) // expired
	_, err = s.UseStaffCode(ctx(t), "nope", 9, now)
	wantCode(t, err, qoldau.NotFound)
	got, err := s.UseStaffCode(ctx(t), "h1", 9, now.Add(time.Minute))
	must(t, err)
	if got.Role != qoldau.RoleOperator || got.ChatID != 9 {
		t.Errorf("UseStaffCode = %+v", got)
	}
	if _, err := s.UseStaffCode(ctx(t), "h1", 9, now.Add(48*time.Hour)); err != nil {
		t.Errorf("the same chat again: %v", err)
	}
	_, err = s.UseStaffCode(ctx(t), "h1", 10, now.Add(time.Minute))
	wantCode(t, err, qoldau.Conflict)
}
