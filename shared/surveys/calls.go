package surveys

import (
	"context"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/callcentre"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/questionnaire"
	"github.com/qoldau/qoldau/shared/refdata"
)

// callColumns are the call list's columns; the first two identify the service
// (pseudonymously) for the import, the last ones are for the operator to fill.
var callColumns = []string{"service_key", "client_id", "region", "client_name", "phone", "email", "service",
	"service_date", "place", "outcome", "called_at", "q1_received", "q2_rating", "q3_useful", "q4_fin_interest", "comment"}

// CallList tells what a call list holds.
type CallList struct {
	Period   civil.Month    `json:"period"`
	Rows     int            `json:"rows"`
	ByRegion map[string]int `json:"by_region"`
	Eligible int            `json:"eligible"` // clients with counted services and no completed survey
}

// WriteCallList writes period p's call list for the call centre as .xlsx: per
// region, a random sample of perRegion clients (all when fewer), reproducible from
// seed, among the clients with counted services and no completed survey; one row
// per client for the client's most recent service, with the call's outcome and the
// Annex 4 questions as empty columns with drop-down lists, and a Questions sheet
// with their wording in three languages. The first two columns (service_key,
// client_id) tie a row back to its service for the import (shared/callcentre), which
// needs no other step: the period's survey directory is synced first. The list
// holds names and phones: it goes to the call centre only.
func (a *Admin) WriteCallList(ctx context.Context, p civil.Month, perRegion int, seed uint64, w io.Writer) (*CallList, error) {
	ref := a.WF.Ref
	if ref == nil {
		ref = refdata.Default()
	}
	// The import finds each row's service in the survey directory: bring it in
	// step with the counted version the list is drawn from.
	if _, _, err := a.Sync(ctx, p); err != nil {
		return nil, err
	}
	clients, _, err := a.Clients(ctx, p)
	if err != nil {
		return nil, err
	}
	byRegion := map[string][]*Client{}
	res := &CallList{Period: p, ByRegion: map[string]int{}}
	for _, c := range clients {
		answers, err := a.Store.AnswersFor(ctx, c.Services)
		if err != nil {
			return nil, err
		}
		done := false
		for _, a := range answers {
			done = done || a.IsCompleted()
		}
		if done || len(c.Services) == 0 {
			continue
		}
		res.Eligible++
		r := c.Services[0].Region
		byRegion[r] = append(byRegion[r], c)
	}
	var rows []*Client
	for _, reg := range regionOrder(ref, byRegion) {
		cs := byRegion[reg]
		h := fnv.New64a()
		h.Write([]byte(reg))
		rnd := rand.New(rand.NewPCG(seed, h.Sum64()^uint64(p)))
		rnd.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		if perRegion > 0 && len(cs) > perRegion {
			cs = cs[:perRegion]
		}
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Name < cs[j].Name })
		res.ByRegion[reg] = len(cs)
		rows = append(rows, cs...)
	}
	res.Rows = len(rows)
	return res, writeCalls(ref, rows, a.lang(), w)
}

// regionOrder lists the regions present in refdata's order, unknown ones last.
func regionOrder(ref *refdata.Set, m map[string][]*Client) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range ref.Regions() {
		if _, ok := m[r.Code]; ok {
			out = append(out, r.Code)
			seen[r.Code] = true
		}
	}
	var rest []string
	for r := range m {
		if !seen[r] {
			rest = append(rest, r)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

func writeCalls(ref *refdata.Set, rows []*Client, lang string, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	sh := texts.Text("calls.sheet").In(lang)
	f.SetSheetName("Sheet1", sh)
	head := make([]any, len(callColumns))
	for i, c := range callColumns {
		head[i] = callcentre.FieldLabel(c).In(lang)
	}
	if err := f.SetSheetRow(sh, "A1", &head); err != nil {
		return writeFailed(err)
	}
	label := func(t qoldau.Text) string { return t.In(lang) }
	for i, c := range rows {
		s := c.Services[0]
		region, service, place := s.Region, s.Service, s.Place
		if r, ok := ref.Region(s.Region); ok {
			region = label(r.Label)
		}
		if sv, ok := ref.Service(s.Service); ok {
			service = label(sv.Label)
		}
		for _, pl := range ref.Places() {
			if pl.Code == s.Place {
				place = label(pl.Label)
			}
		}
		if s.Centre != "" {
			place += " " + s.Centre
		} else if s.Town != "" {
			place += ", " + s.Town
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := []any{s.Key(), c.ID, region, c.Name, c.Phone, c.Email, service, s.End.DMY(), place}
		if err := f.SetSheetRow(sh, cell, &row); err != nil {
			return writeFailed(err)
		}
	}
	// The answers a cell may take, in the list's language (the import reads a
	// code or a label in any language), on a hidden sheet the drop-downs name: a
	// label may hold a comma.
	lists := map[string][]string{}
	for _, o := range questionnaire.Outcomes {
		lists["outcome"] = append(lists["outcome"], questionnaire.OutcomeLabel(o).In(lang))
	}
	for _, q := range questionnaire.Annex(4) {
		if q.Kind == questionnaire.Scale {
			lists[q.Key] = q.Values()
			continue
		}
		for _, o := range q.Options {
			lists[q.Key] = append(lists[q.Key], o.Label.In(lang))
		}
	}
	listSheet := texts.Text("calls.lists").In(lang)
	f.NewSheet(listSheet)
	last := max(len(rows)+1, 2)
	n := 0
	for i, c := range callColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if l, ok := lists[c]; ok {
			n++
			lcol, _ := excelize.ColumnNumberToName(n)
			for j, v := range l {
				f.SetCellValue(listSheet, lcol+itoa(j+1), v)
			}
			dv := excelize.NewDataValidation(true)
			dv.Sqref = col + "2:" + col + itoa(last)
			dv.SetSqrefDropList("'" + listSheet + "'!$" + lcol + "$1:$" + lcol + "$" + itoa(len(l)))
			dv.SetError(excelize.DataValidationErrorStyleStop, head[i].(string), texts.Text("calls.choose").In(lang))
			if err := f.AddDataValidation(sh, dv); err != nil {
				return writeFailed(err)
			}
		}
		width := 18.0
		switch c {
		case "client_name", "service", "place":
			width = 34
		case "service_key", "client_id":
			width = 14
		}
		f.SetColWidth(sh, col, col, width)
	}
	f.SetSheetVisible(listSheet, false)
	f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	// A help sheet with the questions in the three languages.
	help := texts.Text("calls.questions").In(lang)
	f.NewSheet(help)
	hr := [][]any{{texts.Text("calls.question").In(lang), texts.Text("calls.in.kk").In(lang), texts.Text("calls.in.ru").In(lang),
		texts.Text("calls.in.en").In(lang), texts.Text("calls.answers").In(lang)}}
	for _, q := range questionnaire.Annex(4) {
		opts := "1, 2, 3, 4, 5"
		if q.Kind != questionnaire.Scale {
			opts = strings.Join(lists[q.Key], "; ")
		}
		asked := func(lang string) string { return q.Wording(lang, "____", "____", false) }
		hr = append(hr, []any{callcentre.FieldLabel(q.Key).In(lang), asked("kk"), asked("ru"), asked("en"), opts})
	}
	hr = append(hr, []any{callcentre.FieldLabel("outcome").In(lang), "", "", "", strings.Join(lists["outcome"], "; ")})
	for i, r := range hr {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow(help, cell, &r)
	}
	if _, err := f.WriteTo(w); err != nil {
		return writeFailed(err)
	}
	return nil
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func writeFailed(err error) error {
	return qoldau.E(qoldau.Internal, texts.Text("cannot-write-file"), err)
}
