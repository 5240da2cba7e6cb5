// Package leads finds audit leads: the patterns that inflated or copied registers
// leave, which validation, deadlines and acts do not look for. A lead points the
// agency at a few rows worth a phone call; it is not a finding and rejects nothing.
//
// Leads read the rows a report reads (workflow.Service.ReportData): the error-free
// rows of the counted versions of on-time registers in the period, whether an act
// confirms them (counted) or not (excluded by acts: each such row is marked with
// its reason). The kinds:
//
//   - manager-load: a manager (region and normalised name) with more offline
//     services starting on one day than a person can render: more than
//     ManagerDayMax, or at least ManagerMedianMin and more than ManagerMedianFactor ×
//     the manager's own median day (days with an offline service, in the period).
//   - non-working-day: offline services at a centre starting or ending on a day off
//     of the working-day calendar (at least NonWorkingMin on that day).
//   - shared-phone: one mobile phone on the rows of PhoneClients or more different
//     clients (people told apart by birth date and name, see names.go).
//   - iin-many-names: one IIN (an individual; d5 of 0-3) under IINNames or more
//     clearly different names.
//   - repeat-service: one client with the same service and start date on
//     RepeatRows or more rows (exact duplicates were rejected by validation, so these
//     differ somewhere).
//   - denied: services the client says were not received (Annex 4 Q1 "no"), by
//     manager and centre (at least DeniedMin), with the manager's share of denials
//     among the answers against the region's.
//   - spike: a centre, or a region, whose services in a month are far above its own
//     earlier months: a robust z-score (x − median) / scale over up to SpikeHistory
//     earlier months in which it rendered services (at least SpikeMonths of them),
//     scale = max(1.4826 × MAD, √median, SpikeFloor × median), at least SpikeZ, with
//     at least SpikeMin services in the month.
//
// Each lead has a strength: how far past its threshold (the value over the
// threshold; for denied, the manager's share over the region's), an explanation in
// Kazakh, Russian and English, the figures behind it and its evidence rows (period,
// version, row and the cells it rests on, with their column letters). Personal data
// in leads is for the agency only, never for logs, and shown only where it is the
// evidence: the phone of a shared-phone lead, the names of an iin-many-names lead;
// elsewhere a client's name is reduced to initials and an IIN to its last four
// digits (the row and cell lead to the rest).
package leads

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Lead kinds.
const (
	KindManagerLoad   = "manager-load"
	KindNonWorkingDay = "non-working-day"
	KindSharedPhone   = "shared-phone"
	KindIINManyNames  = "iin-many-names"
	KindRepeatService = "repeat-service"
	KindDenied        = "denied"
	KindSpike         = "spike"
)

// Kinds lists the lead kinds in the order leads are listed.
var Kinds = []string{KindManagerLoad, KindNonWorkingDay, KindSharedPhone, KindIINManyNames, KindRepeatService, KindDenied, KindSpike}

// SpikeFloor is the least scale of a spike's z-score as a share of the median:
// month-to-month swings of a tenth are ordinary.
const SpikeFloor = 0.1

// Options tell Find what to look at.
type Options struct {
	// Period is the period's name as the user gave it ("2026-Q3"); From and To are
	// its months.
	Period   string
	From, To civil.Month
	Settings Settings
	// Surveys gives the survey answers (denied); nil: the workflow's.
	Surveys qoldau.SurveyReader
}

// Result is the leads of a period.
type Result struct {
	Period   string         `json:"period"`
	From     civil.Month    `json:"from"`
	To       civil.Month    `json:"to"`
	Built    time.Time      `json:"built"`
	Settings Settings       `json:"settings"`
	Leads    []Lead         `json:"leads"`
	Counts   map[string]int `json:"counts"` // leads by kind, every kind listed
}

// Lead is one audit lead.
type Lead struct {
	Kind     string      `json:"kind"`
	Strength float64     `json:"strength"`
	Message  qoldau.Text `json:"message"`
	Subject  Subject     `json:"subject"`
	// Figures are the numbers behind the lead, by name (services, median, limit,
	// clients, names, rows, denied, answered, share, region_share, z …).
	Figures map[string]float64 `json:"figures"`
	// History is a spike's earlier months.
	History []MonthCount `json:"history,omitempty"`
	// Rows are the evidence, at most Settings.MaxRows of RowsTotal.
	Rows      []Evidence `json:"rows"`
	RowsTotal int        `json:"rows_total"`
}

// Subject is what a lead is about; each kind fills its own fields.
type Subject struct {
	Region  string      `json:"region,omitempty"`        // KATO code
	Place   string      `json:"service_place,omitempty"` // place type code of a centre
	Centre  string      `json:"centre,omitempty"`        // the centre's name, or its settlement
	Manager string      `json:"manager,omitempty"`
	Date    civil.Date  `json:"date,omitzero"`
	Month   civil.Month `json:"month,omitzero"`
	Phone   string      `json:"phone,omitempty"`  // shared-phone: the evidence, in full
	IIN     string      `json:"iin,omitempty"`    // masked: the last four digits
	Client  string      `json:"client,omitempty"` // initials
	Service string      `json:"service,omitempty"`
	Names   []string    `json:"names,omitempty"` // iin-many-names: the names, in full
}

// MonthCount is a month's services.
type MonthCount struct {
	Month    civil.Month `json:"month"`
	Services int         `json:"services"`
}

// Evidence is one row a lead rests on.
type Evidence struct {
	Period  civil.Month `json:"period"`
	Version int         `json:"version"`
	Row     int         `json:"row"`
	// Excluded is the reason no act confirms the row (unsigned, date-mismatch,
	// service-mismatch, no-act); empty for a counted row.
	Excluded string `json:"excluded,omitempty"`
	Cells    []Cell `json:"cells"`
}

// Cell is one cell of an evidence row.
type Cell struct {
	Field string `json:"field"`
	// Cell is the cell's address ("U17"); empty when the register's columns are not
	// known (a version stored before they were recorded).
	Cell  string `json:"cell,omitempty"`
	Value string `json:"value"`
}

// Find computes the leads of opt's period from the workflow's store at its clock.
func Find(ctx context.Context, svc *workflow.Service, opt Options) (*Result, error) {
	c, err := NewCollector(ctx, svc, opt)
	if err != nil {
		return nil, err
	}
	data, err := svc.ReportDataThen(ctx, opt.From, opt.To, qoldau.LeadsFields, c.Row, c.Scanned)
	if err != nil {
		c.Wait()
		return nil, err
	}
	return c.Finish(ctx, data)
}

// rec is what leads keep of one row: small (52 bytes), since a year holds a
// million.
type rec struct {
	reg     uint16 // the month's index in the range
	service uint16
	region  uint16
	online  bool
	outcome workflow.Outcome
	seq     int32 // the row's index in its version
	num     int32 // the Excel row
	centre  uint32
	manager uint32
	name    uint32 // in names
	start   civil.Date
	end     civil.Date
	birth   civil.Date
	// The BIN/IIN's twelve digits (under 2^40) and the mobile's ten after +7 (0:
	// none; under 2^34), packed: binLo holds the BIN's low 32 bits, mobLo the
	// mobile's, and hi the BIN's high 8 bits, then the mobile's high 2 bits, then
	// whether the BIN/IIN is an individual's IIN.
	binLo, mobLo, hi uint32
}

func (x *rec) bin() uint64    { return uint64(x.hi&0xff)<<32 | uint64(x.binLo) }
func (x *rec) mobile() uint64 { return uint64(x.hi>>8&3)<<32 | uint64(x.mobLo) }
func (x *rec) isIIN() bool    { return x.hi&(1<<10) != 0 }

// setIDs packs a BIN/IIN (under 2^40), whether it is an IIN, and a mobile (under
// 2^34).
func (x *rec) setIDs(bin uint64, iin bool, mobile uint64) {
	x.binLo, x.mobLo = uint32(bin), uint32(mobile)
	x.hi = uint32(bin>>32&0xff) | uint32(mobile>>32&3)<<8
	if iin {
		x.hi |= 1 << 10
	}
}

// centreKey is a centre as a row writes it.
type centreKey struct{ region, place, centre, settlement string }

// managerKey is a manager as a row writes it.
type managerKey struct{ region, name string }

// dict numbers distinct values from 1 (0: none).
type dict[K comparable] struct {
	ids  map[K]uint32
	vals []K
}

func newDict[K comparable]() *dict[K] {
	var zero K
	return &dict[K]{ids: map[K]uint32{}, vals: []K{zero}}
}

func (d *dict[K]) id(k K) uint32 {
	if id, ok := d.ids[k]; ok {
		return id
	}
	id := uint32(len(d.vals))
	d.ids[k] = id
	d.vals = append(d.vals, k)
	return id
}

// Collector gathers the rows of a report's pass (ReportData's row callback) and
// then finds the leads: the report builds its Leads sheet from the same pass.
type Collector struct {
	ctx      context.Context
	svc      *workflow.Service
	opt      Options
	recs     []rec
	names    arena
	managers *dict[managerKey]
	centres  *dict[centreKey]
	services *dict[string]
	regions  *dict[string]
	// skeletons of client names, by name id, computed when first needed
	skeletons map[uint32]skeleton
	// the months before the period, for spikes: services by region and centre id
	hist       map[spikeKey]int32
	histMonths map[civil.Month]bool
	// found, once detected (detecting closes then), and the error, if any.
	detecting chan struct{}
	found     []found
	err       error
}

// NewCollector checks opt and returns a collector for its period; ctx is the one
// the leads are found under (Scanned finds them on another goroutine).
func NewCollector(ctx context.Context, svc *workflow.Service, opt Options) (*Collector, error) {
	if opt.To < opt.From {
		return nil, qoldau.E(qoldau.Invalid, catalogue.Text("err.period-ends-before-it-starts"), nil)
	}
	if err := opt.Settings.Check(); err != nil {
		return nil, err
	}
	if opt.Period == "" {
		opt.Period = opt.From.String()
		if opt.To != opt.From {
			opt.Period += ".." + opt.To.String()
		}
	}
	c := &Collector{ctx: ctx, svc: svc, opt: opt, managers: newDict[managerKey](),
		centres: newDict[centreKey](), services: newDict[string](), regions: newDict[string]()}
	// Room for the rows of the shown versions at once: a million records grown by
	// append would hold two arrays at a time near the heap's peak. (A collector
	// fed rows by hand, with no store, starts empty.)
	n := 0
	for p := opt.From; p <= opt.To && svc.Store != nil; p++ {
		st, err := svc.State(ctx, p)
		if err != nil {
			return nil, err
		}
		if st.Shown != nil && !st.Late {
			n += st.Shown.RowCount
		}
	}
	c.recs = make([]rec, 0, n)
	c.names.at = make([]uint32, 0, n)
	return c, nil
}

// Row is ReportData's row callback: it keeps the error-free rows of on-time
// registers (the outcome still pending), whatever acts say of them.
func (c *Collector) Row(reg, seq int, r *qoldau.Row, o workflow.Outcome) error {
	if o != workflow.OutcomePending {
		return nil
	}
	x := rec{reg: uint16(reg), seq: int32(seq), num: int32(r.Num), online: r.Online, start: r.StartDate, end: r.EndDate,
		birth: r.BirthDate, service: uint16(c.services.id(r.Service)), region: uint16(c.regions.id(r.Region)),
		name: c.names.add(r.ClientName), manager: c.managers.id(managerKey{r.Region, r.Manager})}
	bin, iin := binDigits(r.BinIIN)
	x.setIDs(bin, iin, phoneDigits(r.Mobile))
	if !r.Online {
		x.centre = c.centres.id(centreKey{r.Region, r.Place, r.Centre, r.Settlement})
	}
	c.recs = append(c.recs, x)
	return nil
}

// phoneDigits reads a stored mobile (+7 and ten digits) as a number.
func phoneDigits(s string) uint64 {
	if len(s) != 12 || s[0] != '+' || s[1] != '7' {
		return 0
	}
	var n uint64
	for i := 2; i < 12; i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0
		}
		n = n*10 + uint64(d)
	}
	return n
}

// binDigits reads a BIN/IIN as a number, and tells an IIN (d5 of 0-3).
func binDigits(s string) (uint64, bool) {
	if len(s) != 12 {
		return 0, false
	}
	var n uint64
	for i := 0; i < 12; i++ {
		d := s[i] - '0'
		if d > 9 {
			return 0, false
		}
		n = n*10 + uint64(d)
	}
	return n, s[4] <= '3'
}

// found is a lead before its evidence is written out.
type found struct {
	kind     string
	strength float64
	subject  Subject
	figures  map[string]float64
	history  []MonthCount
	rows     []int32 // indexes into recs
	fields   []string
	// full: fields whose value is shown in full (the evidence) rather than masked.
	full map[string]bool
	msg  func(l *loc) string
}

// Scanned is ReportDataThen's scanned callback: every row is in, so the leads are
// found now, on another goroutine, while the acts are matched; Finish waits for
// them and adds what acts say of the evidence.
func (c *Collector) Scanned(data *workflow.ReportData) {
	c.detecting = make(chan struct{})
	go func() {
		defer close(c.detecting)
		c.found, c.err = c.detect(c.ctx, data)
	}()
}

// Wait waits for leads found since Scanned (nothing when Scanned was not called).
func (c *Collector) Wait() {
	if c.detecting != nil {
		<-c.detecting
	}
}

// detect finds the leads in the collected rows: everything but what acts say of the
// evidence rows.
func (c *Collector) detect(ctx context.Context, data *workflow.ReportData) ([]found, error) {
	// ReportData gives rows by month and row: denied finds answers' rows by both.
	byRow := func(a, b rec) int { return cmp.Or(cmp.Compare(a.reg, b.reg), cmp.Compare(a.num, b.num)) }
	if !slices.IsSortedFunc(c.recs, byRow) {
		slices.SortStableFunc(c.recs, byRow)
	}
	if err := c.readHistory(ctx); err != nil {
		return nil, err
	}
	g := c.groups()
	var all []found
	all = append(all, c.managerLoad(g)...)
	all = append(all, c.nonWorkingDay(g)...)
	all = append(all, c.sharedPhone()...)
	all = append(all, c.iinManyNames()...)
	all = append(all, c.repeatService()...)
	denied, err := c.denied(ctx, data, g)
	if err != nil {
		return nil, err
	}
	all = append(all, denied...)
	all = append(all, c.spikes(data, g)...)
	return all, nil
}

// Finish finds the leads once ReportData has returned (waiting for those Scanned
// started finding), with the outcome of each evidence row.
func (c *Collector) Finish(ctx context.Context, data *workflow.ReportData) (*Result, error) {
	if c.detecting == nil {
		c.found, c.err = c.detect(ctx, data)
	}
	c.Wait()
	if c.err != nil {
		return nil, c.err
	}
	all := c.found
	for i := range c.recs {
		x := &c.recs[i]
		x.outcome = data.Registers[x.reg].Outcome[x.seq]
	}
	res := &Result{Period: c.opt.Period, From: c.opt.From, To: c.opt.To, Built: data.Now, Settings: c.opt.Settings,
		Leads: []Lead{}, Counts: map[string]int{}}
	for _, k := range Kinds {
		res.Counts[k] = 0
	}
	order := map[string]int{}
	for i, k := range Kinds {
		order[k] = i
	}
	for i := range all {
		slices.SortFunc(all[i].rows, func(a, b int32) int {
			return cmp.Or(cmp.Compare(c.recs[a].reg, c.recs[b].reg), cmp.Compare(c.recs[a].num, c.recs[b].num))
		})
	}
	slices.SortStableFunc(all, func(a, b found) int {
		ra, rb := c.recs[a.rows[0]], c.recs[b.rows[0]]
		return cmp.Or(cmp.Compare(order[a.kind], order[b.kind]), cmp.Compare(b.strength, a.strength),
			cmp.Compare(ra.reg, rb.reg), cmp.Compare(ra.num, rb.num))
	})
	ev := c.evidence(ctx, data)
	locs := [3]*loc{newLoc("kk", c.svc.Ref), newLoc("ru", c.svc.Ref), newLoc("en", c.svc.Ref)}
	for _, f := range all {
		l := Lead{Kind: f.kind, Strength: round2(f.strength), Subject: f.subject, Figures: f.figures, History: f.history,
			RowsTotal: len(f.rows), Rows: []Evidence{}}
		l.Message = qoldau.Text{KK: f.msg(locs[0]), RU: f.msg(locs[1]), EN: f.msg(locs[2])}
		for i, ri := range f.rows {
			if i >= c.opt.Settings.MaxRows {
				break
			}
			e, err := ev.row(ri, f.fields, f.full)
			if err != nil {
				return nil, err
			}
			l.Rows = append(l.Rows, e)
		}
		res.Leads = append(res.Leads, l)
		res.Counts[f.kind]++
	}
	return res, nil
}

func round2(x float64) float64 {
	if x >= 1e9 {
		return 1e9
	}
	return float64(int64(x*100+0.5)) / 100
}
