package callcentre

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/iin"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
	"github.com/qoldau/qoldau/shared/xlsx"
)

var questionnaireFields = []string{"bin_iin", "client_name", "service", "service_subtype", "end_date", "filled_at",
	"a_usefulness", "a_organisation", "a_expectations", "a_satisfaction", "purpose", "fin_support", "nonfin_support"}

// More header texts of the operator's register of questionnaires.
var questionnaireHeaders = map[string][]string{
	"bin_iin":     {"ИИН/БИН", "ИИН", "БИН", "ЖСН/БСН", "IIN/BIN", "ИИН / БИН субъекта МСБ"},
	"client_name": {"ФИО", "ФИО клиента (при наличии)", "Клиенттің тегі, аты және әкесінің аты (бар болса)"},
	"service":     {"Наименование специализированной услуги", "Мамандандырылған қызмет атауы", "Name of specialized service"},
	"end_date":    {"Дата завершения / окончания оказания услуги", "Қызметті аяқтау / аяқтау күні", "Date of completion / end of service"},
}

// Questionnaires imports the operator's register of questionnaires filled in
// online (clause 6). A row names its service by bin_iin, client_name, service,
// service_subtype and end_date: it is matched against the error-free rows of the
// counted version of the end date's month; a row that matches none is reported
// (no-matching-service) and not stored.
type Questionnaires struct {
	WF   *workflow.Service
	Keys *secret.Key
	Ref  *refdata.Set
	// rows of each period, by match key
	index map[civil.Month]map[string]*workflow.SurveyRow
}

func matchKey(bin, name, service, subtype string, end civil.Date) string {
	return bin + "|" + register.ClientNameKey(name) + "|" + service + "|" + subtype + "|" + end.String()
}

func (q *Questionnaires) find(ctx context.Context, bin, name, service, subtype string, end civil.Date) (*workflow.SurveyRow, error) {
	p := end.Month()
	if q.index == nil {
		q.index = map[civil.Month]map[string]*workflow.SurveyRow{}
	}
	idx, ok := q.index[p]
	if !ok {
		idx = map[string]*workflow.SurveyRow{}
		_, err := q.WF.SurveyRows(ctx, p, func(r *workflow.SurveyRow) error {
			k := matchKey(r.BinIIN, r.ClientName, r.Ref.Service, r.Ref.Subtype, r.Ref.End)
			if _, dup := idx[k]; !dup {
				idx[k] = r
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		q.index[p] = idx
	}
	return idx[matchKey(bin, name, service, subtype, end)], nil
}

// Import reads the file and stores the answers of the rows without errors, with
// channel "import".
func (q *Questionnaires) Import(ctx context.Context, store qoldau.SurveyStore, r io.ReaderAt, size int64, name string) (*Result, error) {
	ref := q.Ref
	if ref == nil {
		ref = refdata.Default()
	}
	now := time.Now()
	if q.WF != nil && q.WF.Clock != nil {
		now = q.WF.Clock()
	}
	res := newResult(name)
	sh := &sheet{res: res}
	tb, ok := sh.open(r, size, questionnaireFields, []string{"bin_iin", "client_name", "service", "end_date",
		"a_usefulness", "a_organisation", "a_expectations", "a_satisfaction"}, questionnaireHeaders, 6)
	if !ok {
		res.finish()
		return res, nil
	}
	seen := map[string]int{}
	row := func(num int, cells []xlsx.Cell) error {
		vals, cs := sh.values(cells)
		if len(vals) == 0 {
			return nil
		}
		res.Read++
		rc := &rowCheck{sh: sh, num: num, vals: vals}
		for _, f := range []string{"bin_iin", "client_name", "service", "end_date", "a_usefulness", "a_organisation", "a_expectations", "a_satisfaction"} {
			if vals[f] == "" {
				rc.add("required-missing", f, "")
			}
		}
		bin := strings.ReplaceAll(vals["bin_iin"], " ", "")
		if bin != "" {
			if _, p := iin.Parse(bin); p == iin.Format {
				rc.add("bin-iin-format", "bin_iin", "")
			}
		}
		var svc refdata.Service
		okSvc := false
		if v := vals["service"]; v != "" {
			if svc, okSvc = ref.Service(v); !okSvc {
				rc.add("unknown-value", "service", "")
			}
		}
		subtype := vals["service_subtype"]
		if okSvc && subtype != "" && len(svc.Subtypes) > 0 {
			if st, ok := ref.Subtype(svc.Code, subtype); ok {
				subtype = st.Code
			} else {
				rc.add("unknown-value", "service_subtype", "")
			}
		}
		date := func(f string) civil.Date {
			if vals[f] == "" {
				return 0
			}
			d, p := register.ParseDate(cs[f], sh.date19)
			if p != "" {
				rc.add("type-error", f, "DD.MM.YYYY")
				return 0
			}
			if !rc.inRange(f, d, now) {
				return 0
			}
			return d
		}
		end, filled := date("end_date"), date("filled_at")
		a := &qoldau.Answer{Channel: qoldau.ChannelImport}
		a.Usefulness, a.Organisation = rc.scale("a_usefulness"), rc.scale("a_organisation")
		a.Expectations, a.Satisfaction = rc.scale("a_expectations"), rc.scale("a_satisfaction")
		a.Purpose = rc.choices("purpose")
		a.FinSupport = rc.choices("fin_support")
		a.NonfinSupport = rc.choices("nonfin_support")
		if rc.errs > 0 {
			res.Rejected++
			return nil
		}
		sr, err := q.find(ctx, bin, vals["client_name"], svc.Code, subtype, end)
		if err != nil {
			return err
		}
		if sr == nil {
			rc.add("no-matching-service", "", "")
			res.Findings[len(res.Findings)-1].Cell = ""
			res.Findings[len(res.Findings)-1].Message = message("no-matching-service", strconv.Itoa(num), "", "")
			res.Rejected++
			return nil
		}
		if prev, dup := seen[sr.Ref.Key()]; dup {
			rc.add("duplicate-row", "bin_iin", strconv.Itoa(prev))
			res.Rejected++
			return nil
		}
		seen[sr.Ref.Key()] = num
		a.Client, a.Service = q.Keys.ClientID(sr.ClientKey), sr.Ref
		a.ID = qoldau.AnswerID(qoldau.ChannelImport, &sr.Ref)
		at := end
		if filled != 0 {
			at = filled
		}
		y, m, d := at.Date()
		a.Started = time.Date(y, m, d, 12, 0, 0, 0, workday.Almaty())
		a.Completed = a.Started
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

// choices reads a comma-separated list of option codes or labels (any language)
// of a multi-choice question, returned in the question's order.
func (rc *rowCheck) choices(field string) []string {
	v := rc.vals[field]
	if v == "" {
		return nil
	}
	q := questionnaire.Get(field)
	got := map[string]bool{}
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if norm(part) == "" {
			continue
		}
		c, ok := q.Match(part)
		if !ok {
			rc.add("unknown-value", field, strings.Join(q.Codes(), ", "))
			return nil
		}
		got[c] = true
	}
	var out []string
	for _, c := range q.Codes() {
		if got[c] {
			out = append(out, c)
		}
	}
	return out
}
