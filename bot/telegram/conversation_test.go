package telegram_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/bot/conversation"
	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Users of the conversations; a private chat's id is the user's id.
const (
	userA     = 1001
	userB     = 1002
	userE     = 1005
	userF     = 1006
	stranger  = 1009
	secondOne = 1010
)

// scenario is one whole conversation; it returns which client each chat belongs to
// ("" for none), for the privacy check.
type scenario struct {
	name string
	run  func(t *testing.T, h *harness, lang string) map[int64]string
}

// answerAnnex4 answers q1..q4.
func (h *harness) answerAnnex4(u fakeapi.User, rating, useful, interest string) {
	h.t.Helper()
	h.tap(u, "a|yes")
	h.tap(u, "a|"+rating)
	h.tap(u, "a|"+useful)
	h.tap(u, "a|"+interest)
}

func (h *harness) wantAnswers(want []qoldau.Answer) {
	h.t.Helper()
	got := h.answers()
	type short struct {
		Client, Service, Received, Useful, Fin string
		Rating, A1, A2, A3, A4                 int
		Purpose, FinS, NonFin                  []string
		Completed, Signed                      bool
	}
	conv := func(as []qoldau.Answer) []short {
		var out []short
		for _, a := range as {
			out = append(out, short{a.Client, a.Service.Key(), a.Received, a.Useful, a.FinInterest,
				a.Rating, a.Usefulness, a.Organisation, a.Expectations, a.Satisfaction,
				a.Purpose, a.FinSupport, a.NonfinSupport, a.IsCompleted(), a.Signature != ""})
		}
		return out
	}
	if diff := cmp.Diff(conv(want), conv(got)); diff != "" {
		h.t.Errorf("stored answers (-want +got):\n%s", diff)
	}
}

func (h *harness) clientID(key string) string { return h.keys.ClientID(clients[key].rows[0].ClientKey) }

func (h *harness) ref(key string, i int) qoldau.ServiceRef {
	r := clients[key].rows[i]
	return qoldau.ServiceRef{Period: period, Version: 1, Row: r.Num}
}

func (h *harness) submitted(key string, i int, a qoldau.Answer) qoldau.Answer {
	a.Client, a.Service, a.Completed, a.Signature = h.clientID(key), h.ref(key, i), time.Now(), "x"
	return a
}

var scenarios = []scenario{
	{"invitation", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userE, Lang: lang}
		h.text(u, "/start "+h.tokens["E"])
		h.tap(u, "l|"+lang)
		h.answerAnnex4(u, "4", "yes", "no")
		h.tap(u, "s")
		h.wantAnswers([]qoldau.Answer{h.submitted("E", 0, qoldau.Answer{Received: "yes", Rating: 4, Useful: "yes", FinInterest: "no"})})
		return map[int64]string{userE: "E"}
	}},
	{"two_services", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userA, Lang: lang}
		h.text(u, "/start "+h.tokens["A"])
		h.tap(u, "l|"+lang)
		// The most recent service first: online, so Annex 2 follows Annex 4.
		h.answerAnnex4(u, "5", "partly", "yes")
		for _, v := range []string{"5", "4", "3", "5"} {
			h.tap(u, "a|"+v)
		}
		h.tap(u, "t|new_markets|1")
		h.tap(u, "t|quality|1")
		h.tap(u, "t|new_markets|0") // changed the mind
		h.tap(u, "d")
		h.tap(u, "d") // no financial support wanted
		h.tap(u, "t|staff_training|1")
		h.tap(u, "t|programs_advice|1")
		h.tap(u, "d")
		h.tap(u, "s")
		// Then the service at the centre: Annex 4 only.
		h.answerAnnex4(u, "3", "no", "no")
		h.tap(u, "s")
		h.wantAnswers([]qoldau.Answer{
			h.submitted("A", 0, qoldau.Answer{Received: "yes", Rating: 3, Useful: "no", FinInterest: "no"}),
			h.submitted("A", 1, qoldau.Answer{Received: "yes", Rating: 5, Useful: "partly", FinInterest: "yes",
				Usefulness: 5, Organisation: 4, Expectations: 3, Satisfaction: 5, Purpose: []string{"quality"},
				NonfinSupport: []string{"programs_advice", "staff_training"}}),
		})
		return map[int64]string{userA: "A"}
	}},
	{"phone_match", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userB, Lang: lang}
		h.text(u, "/start")
		h.tap(u, "l|"+lang)
		h.contact(u, "77012223344", userB) // Telegram's form: no plus
		h.answerAnnex4(u, "5", "yes", "yes")
		h.tap(u, "s")
		h.wantAnswers([]qoldau.Answer{h.submitted("B", 0, qoldau.Answer{Received: "yes", Rating: 5, Useful: "yes", FinInterest: "yes"})})
		return map[int64]string{userB: "B"}
	}},
	{"no_match", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: stranger, Lang: lang}
		h.text(u, "/start")
		h.tap(u, "l|"+lang)
		h.contact(u, "+7 701 999 88 77", stranger) // nobody's
		h.text(u, "/start")
		h.contact(u, "87013334455", stranger) // two clients' number
		c, err := h.store.Chat(context.Background(), stranger)
		if err != nil || c.Client != "" {
			t.Errorf("after no match the chat is linked to %q (%v)", c.Client, err)
		}
		h.wantAnswers(nil)
		return map[int64]string{stranger: ""}
	}},
	{"denied", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userF, Lang: lang}
		h.text(u, "/start "+h.tokens["F"])
		h.tap(u, "l|"+lang)
		h.tap(u, "a|no")
		h.tap(u, "s")
		h.wantAnswers([]qoldau.Answer{h.submitted("F", 0, qoldau.Answer{Received: "no"})})
		if a := h.answers(); len(a) != 1 || !a[0].Denied() {
			t.Errorf("the answer is not a denied service: %+v", a)
		}
		return map[int64]string{userF: "F"}
	}},
	{"restart", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userA, Lang: lang}
		h.text(u, "/start "+h.tokens["A"])
		h.tap(u, "l|"+lang)
		h.tap(u, "a|yes")
		h.tap(u, "a|4")
		h.restart()
		// The question sent before the restart still takes the answer.
		h.tap(u, "a|yes")
		h.tap(u, "a|no")
		for _, v := range []string{"4", "4", "4", "4"} {
			h.tap(u, "a|"+v)
		}
		h.tap(u, "d")
		h.tap(u, "d")
		h.tap(u, "d")
		h.restart()
		h.text(u, "/start") // after a day away: the summary again
		h.tap(u, "s")
		h.tap(u, "a|dont_remember")
		h.tap(u, "s")
		h.wantAnswers([]qoldau.Answer{
			h.submitted("A", 0, qoldau.Answer{Received: "dont_remember"}),
			h.submitted("A", 1, qoldau.Answer{Received: "yes", Rating: 4, Useful: "yes", FinInterest: "no",
				Usefulness: 4, Organisation: 4, Expectations: 4, Satisfaction: 4}),
		})
		return map[int64]string{userA: "A"}
	}},
	{"duplicate_update", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userE, Lang: lang}
		start := h.text(u, "/start "+h.tokens["E"])
		h.again(start)
		h.tap(u, "l|"+lang)
		yes := h.tap(u, "a|yes")
		h.again(yes)
		h.tap(u, "a|2")
		h.tap(u, "a|partly")
		h.tap(u, "a|yes")
		submit := h.tap(u, "s")
		h.again(submit)
		h.wantAnswers([]qoldau.Answer{h.submitted("E", 0, qoldau.Answer{Received: "yes", Rating: 2, Useful: "partly", FinInterest: "yes"})})
		return map[int64]string{userE: "E"}
	}},
	{"double_tap", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userA, Lang: lang}
		h.text(u, "/start "+h.tokens["A"])
		h.tap(u, "l|"+lang)
		press := func(match string) {
			t.Helper()
			id, b, ok := h.api.Button(u, match)
			if !ok {
				t.Fatalf("no button %q", match)
			}
			for range 2 {
				_, raw, _ := h.api.Press(u, id, b)
				h.deliver(raw)
			}
		}
		press("a|yes")
		press("a|5")
		h.tap(u, "a|yes")
		h.tap(u, "a|yes")
		for _, v := range []string{"5", "5", "5", "5"} {
			h.tap(u, "a|"+v)
		}
		press("t|new_business|1") // the second press finds it chosen already
		h.tap(u, "d")
		press("t|grant|1")
		press("d") // the second Done is for a question answered
		h.tap(u, "d")
		press("s")
		h.wantAnswers([]qoldau.Answer{h.submitted("A", 1, qoldau.Answer{Received: "yes", Rating: 5, Useful: "yes", FinInterest: "yes",
			Usefulness: 5, Organisation: 5, Expectations: 5, Satisfaction: 5, Purpose: []string{"new_business"},
			FinSupport: []string{"grant"}})})
		return map[int64]string{userA: "A"}
	}},
	{"stop_then_remind", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userE, Lang: lang}
		h.text(u, "/start "+h.tokens["E"])
		h.tap(u, "l|"+lang)
		h.text(u, "/stop")
		h.setNow(start.Add(4 * 24 * time.Hour))
		res, err := h.bot.RemindTick(context.Background(), h.clock())
		if err != nil {
			t.Fatal(err)
		}
		h.api.Note("reminder tick: %d reminded, %d offered", res.Reminded, res.Offered)
		if res.Reminded+res.Offered != 0 {
			t.Errorf("a stopped chat got reminders: %+v", res)
		}
		return map[int64]string{userE: "E"}
	}},
	{"expired_token", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userE, Lang: lang}
		h.setNow(start.Add(31 * 24 * time.Hour))
		h.text(u, "/start "+h.tokens["E"])
		h.text(u, "/start not-a-token-at-all")
		if c, err := h.store.Chat(context.Background(), userE); err != nil || c.Client != "" {
			t.Errorf("an expired token linked the chat: %+v %v", c, err)
		}
		return map[int64]string{userE: ""}
	}},
	{"token_second_chat", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userE, Lang: lang}
		other := fakeapi.User{ID: secondOne, Lang: lang}
		h.text(u, "/start "+h.tokens["E"])
		h.tap(u, "l|"+lang)
		h.text(other, "/start "+h.tokens["E"])
		if c, err := h.store.Chat(context.Background(), secondOne); err != nil || c.Client != "" {
			t.Errorf("a second chat was linked by a used token: %+v %v", c, err)
		}
		return map[int64]string{userE: "E", secondOne: ""}
	}},
	{"contact_not_own", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userB, Lang: lang}
		h.text(u, "/start")
		h.tap(u, "l|"+lang)
		h.contact(u, "+77012223344", 4242) // B's number, forwarded by someone else
		if c, err := h.store.Chat(context.Background(), userB); err != nil || c.Client != "" {
			t.Errorf("someone else's contact linked the chat: %+v %v", c, err)
		}
		h.contact(u, "+77012223344", userB)
		return map[int64]string{userB: "B"}
	}},
}

func init() {
	scenarios = append(scenarios, scenario{"commands", func(t *testing.T, h *harness, lang string) map[int64]string {
		u := fakeapi.User{ID: userE, Lang: lang}
		staff := fakeapi.User{ID: 2001, Lang: lang}
		h.text(u, "/start "+h.tokens["E"])
		h.tap(u, "l|"+lang)
		h.text(u, "/help")
		h.text(u, "hello")
		other := map[string]string{"kk": "ru", "ru": "en", "en": "kk"}[lang]
		h.text(u, "/language")
		h.tap(u, "l|"+other) // the question again, in the other language
		h.text(u, "/language")
		h.tap(u, "l|"+lang)
		h.tap(u, "a|yes")
		h.text(u, "/forget")
		if c, err := h.store.Chat(context.Background(), userE); err != nil || c.Client != "" || c.UserHash != "" {
			t.Errorf("after /forget the chat is %+v (%v)", c, err)
		}
		if a := h.answers(); len(a) != 1 || a[0].IsCompleted() {
			t.Errorf("after /forget the begun answer is %+v", a)
		}
		h.text(u, "/start "+h.tokens["E"]) // the token was used: neutral
		// Staff: a one-time code links a chat to a role.
		code := "abcDEF123456"
		now := h.clock()
		if err := h.store.PutStaffCode(context.Background(), &qoldau.StaffCode{Hash: h.keys.TokenHash("staff_" + code),
			Role: qoldau.RoleOperator, Created: now, Expires: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		h.text(staff, "/start staff_"+code)
		h.text(staff, "/start staff_wrong")
		h.text(u, "/start staff_"+code) // used by the other chat
		c, err := h.store.Chat(context.Background(), 2001)
		if err != nil || c.Role != qoldau.RoleOperator {
			t.Errorf("the staff chat is %+v (%v)", c, err)
		}
		return map[int64]string{userE: "E", 2001: ""}
	}})
}

// TestConversations runs every scenario in Kazakh, Russian and English against the
// fake Bot API (long polling) and compares its transcript with testdata/.
func TestConversations(t *testing.T) {
	for _, sc := range scenarios {
		for _, lang := range conversation.Languages {
			t.Run(sc.name+"/"+lang, func(t *testing.T) {
				h := newHarness(t)
				chats := sc.run(t, h, lang)
				h.stopBot()
				h.checkPrivacy(chats)
				h.golden(sc.name + "." + lang)
			})
		}
	}
}
