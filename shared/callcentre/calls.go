package callcentre

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/bot/survey"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/xlsx"
)

var callFields = []string{"service_key", "client_id", "outcome", "called_at", "q1_received", "q2_rating", "q3_useful", "q4_fin_interest"}

// labels gives the labels of an option in the three languages (what the bot
// shows), which imports accept beside the codes.
func labels(question string) func(code string) []string {
	return func(code string) []string {
		var out []string
		for _, l := range survey.Languages {
			out = append(out, survey.OptionLabel(l, question, code))
		}
		return out
	}
}

func noLabels(string) []string { return nil }

// ImportCalls reads a filled call list (the .xlsx that ExportCalls wrote, or a CSV
// with the same columns), checks every row and stores the answers of the rows
// without errors, with channel "phone": an answered call with its Annex 4 answers,
// or another outcome (no_answer, wrong_number, refused) on its own, which a later
// import may still replace. Rows with no outcome are calls not made yet. now is the
// import's time (a call's time when called_at is empty).
func ImportCalls(ctx context.Context, store qoldau.SurveyStore, r io.ReaderAt, size int64, name string, now time.Time) (*Result, error) {
	res := newResult(name)
	sh := &sheet{res: res}
	tb, ok := sh.open(r, size, callFields, []string{"service_key", "client_id", "outcome", "q1_received"}, nil, 4)
	if !ok {
		res.finish()
		return res, nil
	}
	seen := map[string]int{}
	services := map[string][]qoldau.ServiceRef{}
	row := func(num int, cells []xlsx.Cell) error {
		vals, cs := sh.values(cells)
		if len(vals) == 0 {
			return nil
		}
		res.Read++
		rc := &rowCheck{sh: sh, num: num, vals: vals}
		outcome := rc.choice("outcome", Outcomes, noLabels)
		a := &qoldau.Answer{Channel: qoldau.ChannelPhone, Outcome: outcome}
		a.Received = rc.choice("q1_received", survey.Options("q1_received"), labels("q1_received"))
		a.Rating = rc.scale("q2_rating")
		a.Useful = rc.choice("q3_useful", survey.Options("q3_useful"), labels("q3_useful"))
		a.FinInterest = rc.choice("q4_fin_interest", survey.Options("q4_fin_interest"), labels("q4_fin_interest"))
		answered := vals["q1_received"] != "" || vals["q2_rating"] != "" || vals["q3_useful"] != "" || vals["q4_fin_interest"] != ""
		switch {
		case vals["outcome"] == "" && !answered:
			res.Skipped++ // not called yet
			return nil
		case vals["outcome"] == "":
			rc.add("required-missing", "outcome", "")
		case outcome != "" && outcome != "answered" && answered:
			rc.add("answers-without-call", "outcome", "")
		case outcome == "answered":
			if vals["q1_received"] == "" {
				rc.add("required-missing", "q1_received", "")
			}
			if a.Received == "yes" {
				for _, f := range []string{"q2_rating", "q3_useful", "q4_fin_interest"} {
					if vals[f] == "" {
						rc.add("required-missing", f, "")
					}
				}
			} else if a.Received != "" {
				for _, f := range []string{"q2_rating", "q3_useful", "q4_fin_interest"} {
					if vals[f] != "" {
						rc.add("answer-after-end", f, vals["q1_received"])
					}
				}
			}
		}
		called := now
		if v := vals["called_at"]; v != "" {
			d, p := register.ParseDate(cs["called_at"], sh.date19)
			if p != "" {
				rc.add("type-error", "called_at", "DD.MM.YYYY")
			} else {
				called = time.Date(d.Year(), d.Month().Month(), dayOf(d), 12, 0, 0, 0, workday.Almaty())
			}
		}
		// The service: the client's counted service with that key.
		key, client := vals["service_key"], vals["client_id"]
		var ref *qoldau.ServiceRef
		switch {
		case key == "":
			rc.add("required-missing", "service_key", "")
		case client == "":
			rc.add("required-missing", "client_id", "")
		default:
			list, ok := services[client]
			if !ok {
				var err error
				if list, err = store.ClientServices(ctx, client); err != nil {
					return err
				}
				services[client] = list
			}
			for i := range list {
				if list[i].Key() == key {
					ref = &list[i]
				}
			}
			if ref == nil {
				rc.add("unknown-service", "service_key", "")
			} else if prev, dup := seen[key]; dup {
				rc.add("duplicate-row", "service_key", strconv.Itoa(prev))
			} else {
				seen[key] = num
			}
		}
		if rc.errs > 0 {
			res.Rejected++
			return nil
		}
		a.Client, a.Service = client, *ref
		a.ID = qoldau.AnswerID(qoldau.ChannelPhone, ref)
		a.Started = called
		if outcome == "answered" {
			a.Completed = called
		} else {
			a.Received, a.Rating, a.Useful, a.FinInterest = "", 0, "", ""
		}
		res.answers = append(res.answers, *a)
		return nil
	}
	if err := sh.rest(tb, row); err != nil {
		return nil, err
	}
	if err := res.store(ctx, store); err != nil {
		return nil, err
	}
	res.finish()
	return res, nil
}

// store puts the checked answers, unless the file as a whole cannot be used.
func (res *Result) store(ctx context.Context, store qoldau.SurveyStore) error {
	if res.FileError {
		res.Rejected = res.Read
		return nil
	}
	for i := range res.answers {
		err := store.PutAnswer(ctx, &res.answers[i])
		switch qoldau.CodeOf(err) {
		case "":
			res.Stored++
		case qoldau.Conflict:
			res.Already++
		default:
			return err
		}
	}
	return nil
}

func dayOf(d interface{ Date() (int, time.Month, int) }) int { _, _, day := d.Date(); return day }
