package report

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Options tell Build what to build.
type Options struct {
	Period Period
	// Methodology names the methodology followed in each language (default
	// DefaultMethodology); a text given in one language only is used in all.
	Methodology qoldau.Text
	// Keys is the deployment's secret key: it makes the pseudonymous client ids of
	// the Data sheet (required).
	Keys *secret.Key
	// AgeScheme chooses the age brackets: refdata.BracketsDefault (14-29, …) or
	// refdata.BracketsYouth35 (14-35, …).
	AgeScheme string
	// Introduction, when set, replaces the generated introductory paragraph of
	// Section 1: one paragraph each.
	Introduction []string
	// Conclusion, when set, replaces the generated conclusion: one paragraph each.
	Conclusion []string
	// Surveys gives the survey answers (nil: the workflow's store).
	Surveys qoldau.SurveyReader
	// Leads, when set, are the thresholds of the audit leads found in the same
	// pass over the rows (Report.Leads, the workbook's leads sheet).
	Leads *leads.Settings
}

var msgBadAgeScheme = catalogue.Text("err.bad-age-scheme")

// regInfo is what the records need of a register.
type regInfo struct {
	period  civil.Month
	version int
}

// builder holds the state of one build.
type builder struct {
	svc      *workflow.Service
	opt      Options
	ref      *refdata.Set
	dicts    *dicts
	combos   *dict
	comboIdx map[uint64]uint32
	brackets []refdata.Bracket
	pseudo   *secret.ClientHasher
	recs     []rec
	// errCodes counts, per register, the rejected rows by error code.
	errCodes   []map[string]int
	regionRows []uint32
	locs       map[string]*loc // the three languages, for sentences
}

// Build builds the report of opt.Period from the workflow's store at the workflow's
// clock (docs/rules.md, "What counts"): the rows that count, the indicators, the
// quality audit, the violations and the conclusion.
func Build(ctx context.Context, svc *workflow.Service, opt Options) (*Report, error) {
	if opt.Methodology == (qoldau.Text{}) {
		opt.Methodology = DefaultMethodology
	}
	opt.Methodology = filled(opt.Methodology)
	if opt.Surveys == nil {
		opt.Surveys = svc
	}
	brackets, ok := svc.Ref.BracketsFor(opt.AgeScheme)
	if !ok {
		return nil, qoldau.E(qoldau.Invalid, msgBadAgeScheme, nil)
	}
	p := opt.Period
	if p.ID == "" || p.To < p.From {
		return nil, qoldau.E(qoldau.Invalid, msgBadPeriod, nil)
	}
	if err := p.Check(svc.Clock()); err != nil {
		return nil, err
	}
	if opt.Keys == nil {
		return nil, qoldau.Errorf(qoldau.Invalid, "report: the deployment key is needed for pseudonymous client ids")
	}
	b := &builder{svc: svc, opt: opt, ref: svc.Ref, brackets: brackets, pseudo: opt.Keys.ClientHasher(),
		comboIdx: map[uint64]uint32{}}
	b.dicts = b.newDicts()
	b.combos = newDict(nil)

	row := b.row
	var lc *leads.Collector
	if opt.Leads != nil {
		var err error
		if lc, err = leads.NewCollector(ctx, svc, leads.Options{Period: p.ID, From: p.From, To: p.To, Settings: *opt.Leads,
			Surveys: opt.Surveys}); err != nil {
			return nil, err
		}
		row = func(reg, seq int, x *qoldau.Row, o workflow.Outcome) error {
			if err := b.row(reg, seq, x, o); err != nil {
				return err
			}
			return lc.Row(reg, seq, x, o)
		}
	}
	var scanned func(*workflow.ReportData)
	if lc != nil {
		scanned = lc.Scanned // the leads are found while the acts are matched and the tables built
		defer lc.Wait()
	}
	data, err := svc.ReportDataThen(ctx, p.From, p.To, qoldau.ReportFields, row, scanned)
	if err != nil {
		return nil, err
	}
	r := &Report{Period: p, Built: data.Now, Methodology: opt.Methodology, AsOf: p.AsOf(), dicts: b.dicts}
	if d, ok := p.Due(svc.Cal); ok {
		r.Due = d
	}
	for _, br := range brackets {
		r.ageBins = append(r.ageBins, br.Label)
	}

	// Outcomes: keep the counted records, account for every row.
	rc := Reconciliation{UnconfirmedBy: map[string]int{}}
	for _, o := range workflow.UnconfirmedOutcomes {
		rc.UnconfirmedBy[o.String()] = 0
	}
	counted := make([]int, len(data.Registers))
	for i := range data.Registers {
		for _, o := range data.Registers[i].Outcome {
			rc.Received++
			switch {
			case o == workflow.OutcomeLate:
				rc.Late++
			case o == workflow.OutcomeRejected:
				rc.Rejected++
			case o == workflow.OutcomeCounted:
				rc.Counted++
				counted[i]++
			case o.Unconfirmed():
				rc.Unconfirmed++
				rc.UnconfirmedBy[o.String()]++
			}
		}
	}
	kept := b.recs[:0]
	for _, x := range b.recs {
		if data.Registers[x.reg].Outcome[x.seq] == workflow.OutcomeCounted {
			kept = append(kept, x)
		}
	}
	b.recs = slices.Clip(kept)
	r.Reconciliation = rc

	for i := range data.Registers {
		rr := &data.Registers[i]
		r.Registers = append(r.Registers, registerOf(rr, counted[i]))
		ri := regInfo{period: rr.State.Period}
		if rr.State.Shown != nil {
			ri.version = rr.State.Shown.Number
		}
		r.regs = append(r.regs, ri)
	}

	// Tables.
	b.listRegions(p)
	for _, id := range b.regionRows {
		r.Regions = append(r.Regions, b.dicts.region.names[id])
	}
	g := b.indicators(b.recs)
	d := b.dicts
	cols := func(n int) []uint32 {
		out := make([]uint32, n)
		for i := range out {
			out[i] = uint32(i)
		}
		return out
	}
	r.Tables = []*Table{
		b.table("S1", UnitClients, g["S1"], []string{"clients"}, cols(1)),
		b.table("S2", UnitClients, g["S2"], d.section.names, d.section.order()),
		b.table("S3", UnitEnterprises, g["S3"], d.form.names, d.form.order()),
		b.table("S4", UnitClients, g["S4"], []string{"male", "female"}, cols(2)),
		b.table("S5", UnitClients, g["S5"], r.ageBins, cols(len(r.ageBins))),
		b.table("S6", UnitPairs, g["S6"], d.category.names, d.category.order()),
		b.table("S7", UnitServices, g["S7"], d.service.names, d.service.order()),
		b.table("S7d", UnitServices, g["S7d"], b.combos.names, b.comboOrder()),
		b.table("S8", UnitServices, g["S8"], d.place.names, d.place.order()),
		b.table("S9", UnitServices, g["S9"], []string{"online"}, cols(1)),
		b.table("S10", UnitClients, g["S10"], []string{"clients"}, cols(1)),
	}
	r.trace = b.recs
	r.regs = slices.Clip(r.regs)

	if r.Quality, err = b.quality(ctx, r); err != nil {
		return nil, err
	}
	if r.Violations, err = b.violations(ctx, r, data); err != nil {
		return nil, err
	}
	if r.Previous, err = b.previous(ctx, p.Previous()); err != nil {
		return nil, err
	}
	r.Introduction, r.IntroductionReplaced = own(opt.Introduction)
	if !r.IntroductionReplaced {
		r.Introduction = b.introduction(r)
	}
	r.Conclusion, r.ConclusionReplaced = own(opt.Conclusion)
	if !r.ConclusionReplaced {
		r.Conclusion = b.conclusion(r)
	}
	if lc != nil {
		if r.Leads, err = lc.Finish(ctx, data); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// filled gives every empty language of t the first text t has (kk, ru, en).
func filled(t qoldau.Text) qoldau.Text {
	first := cmp.Or(t.KK, t.RU, t.EN)
	return qoldau.Text{KK: cmp.Or(t.KK, first), RU: cmp.Or(t.RU, first), EN: cmp.Or(t.EN, first)}
}

// own turns the agency's paragraphs into sentences, the same in every language;
// replaced is false when there is none.
func own(paras []string) (out []Sentence, replaced bool) {
	for _, para := range paras {
		if s := strings.TrimSpace(para); s != "" {
			out = append(out, Sentence{Text: qoldau.Text{KK: s, RU: s, EN: s}})
		}
	}
	return out, len(out) > 0
}

func (b *builder) newDicts() *dicts {
	ref := b.ref
	codes := func(items []refdata.Item) []string {
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = it.Code
		}
		return out
	}
	var regions, sections, forms, cats, services, places []refdata.Item
	for _, x := range ref.Regions() {
		regions = append(regions, x.Item)
	}
	for _, x := range ref.Sections() {
		sections = append(sections, x.Item)
	}
	for _, x := range ref.LegalForms() {
		forms = append(forms, x.Item)
	}
	for _, x := range ref.Categories() {
		if x.SMB {
			cats = append(cats, x.Item)
		}
	}
	for _, x := range ref.Services() {
		services = append(services, x.Item)
	}
	for _, x := range ref.Places() {
		places = append(places, x.Item)
	}
	return &dicts{
		region: newDict(codes(regions)), section: newDict(codes(sections)), form: newDict(codes(forms)),
		category: newDict(codes(cats)), service: newDict(codes(services)), place: newDict(codes(places)),
		subtype: newDict([]string{""}),
	}
}

// row is ReportData's row callback: it keeps a record of each error-free row of an
// on-time register and counts the error codes of rejected rows.
func (b *builder) row(reg, seq int, r *qoldau.Row, o workflow.Outcome) error {
	for len(b.errCodes) <= reg {
		b.errCodes = append(b.errCodes, map[string]int{})
	}
	switch o {
	case workflow.OutcomeRejected:
		n := min(r.Errors, len(r.Codes))
		for i, c := range r.Codes[:n] {
			if !slices.Contains(r.Codes[:i], c) {
				b.errCodes[reg][c]++
			}
		}
	case workflow.OutcomePending:
		b.recs = append(b.recs, b.record(reg, seq, r))
	}
	return nil
}

func (b *builder) record(reg, seq int, r *qoldau.Row) rec {
	d := b.dicts
	x := rec{
		ent: fnv64(r.BinIIN), start: r.StartDate,
		seq: int32(seq), num: int32(r.Num), reg: uint16(reg),
		region: uint16(d.region.id(r.Region)), section: uint16(d.section.id(r.OKEDSection)),
		form: uint16(d.form.id(r.LegalForm)), category: uint16(d.category.id(r.Category)),
		service: uint16(d.service.id(r.Service)), place: uint16(d.place.id(r.Place)),
		subtype: d.subtype.id(r.Subtype), disabled: r.Disability, online: r.Online,
	}
	x.client, x.client2 = b.pseudo.Sum(r.ClientKey)
	switch r.Gender {
	case "male":
		x.gender = genderMale
	case "female":
		x.gender = genderFemale
	}
	if r.BirthDate != 0 && r.StartDate != 0 {
		age := civil.YearsBetween(r.BirthDate, r.StartDate)
		for i, br := range b.brackets {
			if br.Contains(age) {
				x.bracket = uint8(i + 1)
				break
			}
		}
	}
	k := uint64(x.service)<<32 | uint64(x.subtype)
	if _, ok := b.comboIdx[k]; !ok {
		name := r.Service
		if r.Subtype != "" {
			name += " / " + r.Subtype
		}
		b.comboIdx[k] = b.combos.id(name)
	}
	return x
}

func (b *builder) combo(r *rec) uint32 {
	return b.comboIdx[uint64(r.service)<<32|uint64(r.subtype)]
}

// comboOrder orders the service/subtype columns by service in report order, then
// subtype.
func (b *builder) comboOrder() []uint32 {
	type c struct {
		svc uint16
		sub string
		id  uint32
	}
	var cs []c
	svcPos := map[uint16]int{}
	for i, id := range b.dicts.service.order() {
		svcPos[uint16(id)] = i
	}
	for k, id := range b.comboIdx {
		cs = append(cs, c{uint16(k >> 32), b.dicts.subtype.name32(uint32(k)), id})
	}
	slices.SortFunc(cs, func(x, y c) int {
		if x.svc != y.svc {
			return svcPos[x.svc] - svcPos[y.svc]
		}
		return strings.Compare(x.sub, y.sub)
	})
	out := make([]uint32, len(cs))
	for i, x := range cs {
		out[i] = x.id
	}
	return out
}

// listRegions chooses the table rows: the regions that exist on some day of the
// period, in report order, then any other region with a counted row.
func (b *builder) listRegions(p Period) {
	first, last := p.From.First(), p.To.Last()
	has := map[uint16]bool{}
	for i := range b.recs {
		has[b.recs[i].region] = true
	}
	for i, reg := range b.ref.Regions() {
		exists := (reg.From == 0 || reg.From <= last) && (reg.To == 0 || reg.To >= first)
		if exists || has[uint16(i)] {
			b.regionRows = append(b.regionRows, uint32(i))
		}
	}
	for _, id := range b.dicts.region.order()[b.dicts.region.known:] {
		if has[uint16(id)] {
			b.regionRows = append(b.regionRows, id)
		}
	}
}

func registerOf(rr *workflow.ReportRegister, counted int) Register {
	st := rr.State
	out := Register{Period: st.Period, Due: st.Due, Effective: st.Effective, Rows: len(rr.Outcome),
		Counted: counted, Versions: len(st.Versions)}
	if st.Shown != nil {
		out.Version, out.Received = st.Shown.Number, st.Shown.Received
	}
	switch {
	case st.Late:
		out.Status = StatusLate
	case len(st.Versions) > 0 && st.Shown != nil:
		out.Status = StatusOnTime
	case rr.Missing:
		out.Status = StatusMissing
	default:
		out.Status = StatusPending
	}
	return out
}

// previous reads what the latest stored build of the previous period said of S1.
func (b *builder) previous(ctx context.Context, p Period) (*Previous, error) {
	builds, err := b.svc.Builds(ctx, p.ID)
	if err != nil || len(builds) == 0 {
		return nil, err
	}
	last := builds[len(builds)-1]
	key := last.Files["json"]
	if key == "" {
		return nil, nil
	}
	rc, err := b.svc.OpenFile(ctx, key)
	if err != nil {
		if qoldau.CodeOf(err) == qoldau.NotFound {
			return nil, nil
		}
		return nil, err
	}
	defer rc.Close()
	var doc struct {
		Tables struct {
			S1 map[string]struct {
				Clients int `json:"clients"`
			} `json:"S1"`
		} `json:"tables"`
	}
	if err := json.NewDecoder(rc).Decode(&doc); err != nil {
		return nil, nil // an unreadable old build is no comparison, not a failure
	}
	prev := &Previous{Period: p.ID, Built: last.Built.In(workday.Almaty()), Regions: map[string]int{}}
	for k, v := range doc.Tables.S1 {
		if k == "total" {
			prev.Clients = v.Clients
		} else {
			prev.Regions[k] = v.Clients
		}
	}
	return prev, nil
}
