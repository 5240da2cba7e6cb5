package callcentre

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/xlsx"
)

var callFields = []string{"service_key", "client_id", "outcome", "called_at", "q1_received", "q2_rating", "q3_useful", "q4_fin_interest"}

// ImportCalls reads a filled call list (the .xlsx that surveys.WriteCallList wrote, or a CSV
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
		outcome := rc.outcome()
		a := &qoldau.Answer{Channel: qoldau.ChannelPhone, Outcome: outcome}
		answered := false
		for _, q := range questionnaire.Annex(4) {
			answered = answered || vals[q.Key] != ""
			if q.Kind == questionnaire.Scale {
				questionnaire.Set(a, q.Key, strconv.Itoa(rc.scale(q.Key)))
			} else {
				questionnaire.Set(a, q.Key, rc.answer(q.Key))
			}
		}
		switch {
		case vals["outcome"] == "" && !answered:
			res.Skipped++ // not called yet
			return nil
		case vals["outcome"] == "":
			rc.add("required-missing", "outcome", "")
		case outcome != "" && outcome != questionnaire.OutcomeAnswered && answered:
			rc.add("answers-without-call", "outcome", "")
		case outcome == questionnaire.OutcomeAnswered:
			if vals[questionnaire.First] == "" {
				rc.add("required-missing", questionnaire.First, "")
			}
			// After "yes" the follow-up questions are required; after any other
			// answer the interview is over and they stay empty.
			for _, f := range questionnaire.FollowUps() {
				switch {
				case a.Received == "yes" && vals[f] == "":
					rc.add("required-missing", f, "")
				case a.Received != "yes" && a.Received != "" && vals[f] != "":
					rc.add("answer-after-end", f, vals[questionnaire.First])
				}
			}
		}
		called := now
		if v := vals["called_at"]; v != "" {
			d, p := register.ParseDate(cs["called_at"], sh.date19)
			if p != "" {
				rc.add("type-error", "called_at", "DD.MM.YYYY")
			} else if rc.inRange("called_at", d, now) {
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
		if outcome == questionnaire.OutcomeAnswered {
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
