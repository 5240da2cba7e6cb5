package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// surveys plays the clients and the call centre over the report's months, so the
// report's Section 3 has answers in every channel: invitations for a sample of
// clients, a few of whom answer in Telegram (the conversation run against the
// built-in fake Bot API, nothing sent to Telegram), and the call list of each
// month, filled as a call centre would and imported.
func (d *demo) surveys(ctx context.Context, a *app.App, p report.Period) error {
	admin, err := a.Surveys()
	if err != nil {
		return err
	}
	eng, err := a.Engine()
	if err != nil {
		return err
	}
	api := fakeapi.New()
	defer api.Close()
	bot, err := telegram.New(ctx, telegram.Config{Token: fakeapi.Token, Endpoint: api.Endpoint(), Username: fakeapi.Username,
		Limits: telegram.Limits{PerChat: time.Millisecond, Burst: 100, Global: 10000}}, eng)
	if err != nil {
		return err
	}
	rnd := rand.New(rand.NewPCG(d.seed, 0x5eed))
	cal := d.svc.Cal
	chats := 0
	user := int64(7100000000)
	for i := 0; i < p.Months(); i++ {
		m := p.From.Add(i)
		if st, err := d.svc.State(ctx, m); err != nil {
			return err
		} else if st.Counted == nil {
			continue // a late register: not counted, nobody to ask
		}
		// Invitations for a sample of the month's clients; a few answer in the bot.
		d.now = d.now.Add(time.Hour)
		if _, err := admin.CreateInvitations(ctx, m, 6, d.seed+uint64(i)); err != nil {
			return err
		}
		var tokens []string
		err := a.Store.Invitations(ctx, m, m, func(inv *qoldau.Invitation) error {
			tok, err := admin.Keys.Open(inv.Sealed)
			if err == nil && len(tokens) < 3 {
				tokens = append(tokens, tok)
			}
			return err
		})
		if err != nil {
			return err
		}
		for j, tok := range tokens {
			user++
			d.now = d.now.Add(47 * time.Minute)
			u := fakeapi.User{ID: user, Lang: []string{"kk", "ru", "en"}[j%3]}
			if err := converse(ctx, api, bot, u, "/start "+tok, rnd); err != nil {
				return err
			}
			chats++
		}
		// The call list two working days later, called over the next day.
		d.now = d.at(cal.AddWorking(workday.Today(d.now), 2), 9, 0)
		var buf bytes.Buffer
		if _, err := admin.WriteCallList(ctx, m, 2, d.seed+uint64(i), &buf); err != nil {
			return err
		}
		path := filepath.Join(d.dir, "registers", "calls-"+m.String()+".xlsx")
		n, err := fillCalls(buf.Bytes(), path, rnd)
		if err != nil {
			return err
		}
		d.now = d.at(cal.AddWorking(workday.Today(d.now), 1), 17, 0)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		st, _ := f.Stat()
		res, err := a.ImportCalls(ctx, f, st.Size(), filepath.Base(path), d.now)
		f.Close()
		if err != nil {
			return err
		}
		d.say("demo.calls", m.String(), n, res.Stored, filepath.Join("registers", filepath.Base(path)))
		// The operator's questionnaires of services rendered online (clause 6).
		path = filepath.Join(d.dir, "registers", "questionnaires-"+m.String()+".csv")
		if n, err = d.questionnaires(ctx, m, path, rnd); err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		f, err = os.Open(path)
		if err != nil {
			return err
		}
		st, _ = f.Stat()
		res, err = a.ImportQuestionnaires(ctx, f, st.Size(), filepath.Base(path), d.now)
		f.Close()
		if err != nil {
			return err
		}
		d.say("demo.questionnaires", m.String(), res.Stored, filepath.Join("registers", filepath.Base(path)))
	}
	d.say("demo.telegram", chats)
	return nil
}

// converse plays a client in the fake Bot API: the first message, then a button
// on the newest message each turn (the language, answers, a choice or two of a
// list, Submit) until the bot asks nothing more.
func converse(ctx context.Context, api *fakeapi.Server, bot *telegram.Bot, u fakeapi.User, first string, rnd *rand.Rand) error {
	deliver := func(raw json.RawMessage) error {
		var tu tgbotapi.Update
		if err := json.Unmarshal(raw, &tu); err != nil {
			return err
		}
		return bot.HandleUpdate(ctx, &tu)
	}
	_, raw := api.Text(u, first)
	if err := deliver(raw); err != nil {
		return err
	}
	toggled := map[int]bool{}
	for step := 0; step < 200; step++ {
		msgs := api.Messages(u.ID)
		if len(msgs) == 0 || len(msgs[len(msgs)-1].Keyboard) == 0 {
			return nil
		}
		last := msgs[len(msgs)-1]
		var verbs []string
		for _, row := range last.Keyboard {
			for _, b := range row {
				if _, rest, ok := strings.Cut(b.Data, "|"); ok {
					verbs = append(verbs, rest)
				}
			}
		}
		has := func(v string) bool {
			for _, x := range verbs {
				if x == v {
					return true
				}
			}
			return false
		}
		var pick string
		switch {
		case has("s"):
			pick = "s"
		case has("l|" + u.Lang):
			pick = "l|" + u.Lang
		case has("d") && !toggled[last.ID]:
			toggled[last.ID] = true
			var opts []string
			for _, v := range verbs {
				if strings.HasPrefix(v, "t|") && strings.HasSuffix(v, "|1") {
					opts = append(opts, v)
				}
			}
			pick = opts[rnd.IntN(len(opts))]
		case has("d"):
			pick = "d"
		case has("a|dont_remember"): // q1: most received the service
			pick = pickOf(rnd, "a|yes", 0.9, "a|no")
		case has("a|partly"):
			pick = pickOf(rnd, "a|yes", 0.6, "a|partly")
		case has("a|5"):
			pick = "a|" + strconv.Itoa(3+rnd.IntN(3))
		case has("a|yes"):
			pick = pickOf(rnd, "a|yes", 0.5, "a|no")
		default:
			return fmt.Errorf("demo: no answer to %q", last.Text)
		}
		_, raw, ok := api.Tap(u, pick)
		if !ok {
			return fmt.Errorf("demo: no button %q", pick)
		}
		if err := deliver(raw); err != nil {
			return err
		}
	}
	return nil
}

func pickOf(rnd *rand.Rand, a string, pa float64, b string) string {
	if rnd.Float64() < pa {
		return a
	}
	return b
}

// fillCalls fills a call list as a call centre would (most calls answered, some
// not reached) and writes it to path; it returns the calls made.
func fillCalls(list []byte, path string, rnd *rand.Rand) (int, error) {
	f, err := excelize.OpenReader(bytes.NewReader(list))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sheet := f.GetSheetName(0) // named in the list's language
	rows, err := f.GetRows(sheet)
	if err != nil {
		return 0, err
	}
	n := 0
	for r := 2; r <= len(rows); r++ {
		if rnd.IntN(4) == 0 {
			continue // not called yet
		}
		n++
		// The answers as the Russian list's drop-downs give them.
		label := func(key, code string) string {
			o, _ := questionnaire.Get(key).Option(code)
			return o.Label.RU
		}
		set := func(col, v string) { f.SetCellValue(sheet, col+strconv.Itoa(r), v) }
		switch x := rnd.IntN(10); {
		case x < 1:
			set("J", questionnaire.OutcomeLabel(questionnaire.OutcomeNoAnswer).RU)
		case x < 2:
			set("J", questionnaire.OutcomeLabel(questionnaire.OutcomeRefused).RU)
		default:
			set("J", questionnaire.OutcomeLabel(questionnaire.OutcomeAnswered).RU)
			received := pickOf(rnd, "yes", 0.92, "no")
			set("L", label("q1_received", received))
			if received == "yes" {
				set("M", strconv.Itoa(2+rnd.IntN(4)))
				set("N", label("q3_useful", []string{"yes", "yes", "partly", "no"}[rnd.IntN(4)]))
				set("O", label("q4_fin_interest", pickOf(rnd, "yes", 0.55, "no")))
			}
		}
	}
	return n, f.SaveAs(path)
}

// questionnaires writes the operator's register of questionnaires filled online
// for a few of month m's online services (CSV, as the operator's system exports
// it) and returns how many rows it holds.
func (d *demo) questionnaires(ctx context.Context, m civil.Month, path string, rnd *rand.Rand) (int, error) {
	var rows [][]string
	codes := func(key string) string {
		var out []string
		for _, c := range questionnaire.Get(key).Codes() {
			if rnd.IntN(3) == 0 {
				out = append(out, c)
			}
		}
		return strings.Join(out, ", ")
	}
	score := func() string { return strconv.Itoa(3 + rnd.IntN(3)) }
	_, err := d.svc.SurveyRows(ctx, m, func(r *workflow.SurveyRow) error {
		if r.Ref.Online && len(rows) < 5 && rnd.IntN(4) == 0 {
			rows = append(rows, []string{r.BinIIN, r.ClientName, r.Ref.Service, r.Ref.Subtype, r.Ref.End.DMY(),
				workday.Today(d.now).DMY(), score(), score(), score(), score(),
				codes("purpose"), codes("fin_support"), codes("nonfin_support")})
		}
		return nil
	})
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"bin_iin", "client_name", "service", "service_subtype", "end_date", "filled_at",
		"a_usefulness", "a_organisation", "a_expectations", "a_satisfaction", "purpose", "fin_support", "nonfin_support"})
	w.WriteAll(rows)
	if err := w.Error(); err != nil {
		return 0, err
	}
	return len(rows), os.WriteFile(path, buf.Bytes(), 0o600)
}
