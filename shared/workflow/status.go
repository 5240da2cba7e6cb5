package workflow

import (
	"context"
	"sort"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/reconcile"
)

// Row outcomes of reconciliation besides the reconcile reasons.
const (
	Confirmed = "confirmed"
	Rejected  = "rejected" // the row has errors
)

// Matched is the reconciliation of one period's shown version: an outcome per row,
// in the version's row order (Confirmed, Rejected, or an unconfirmed reason).
type Matched struct {
	Period  civil.Month
	Version int
	Late    bool
	Counted bool
	Nums    []int    // Excel row numbers
	Outcome []string // per row
}

// Reconcile matches the rows of every period's shown version against the stored acts
// (docs/rules.md, "Acts and reconciliation"): the error-free rows of counted versions
// first, across all periods, in order of end date then register and row order; the rows
// of late registers, which count in no report, are matched after them with the acts
// left, so that their status can still be shown. It reads every period: Status reads
// the stored period records instead (Records, Record).
func (s *Service) Reconcile(ctx context.Context) (map[civil.Month]*Matched, error) {
	states, err := s.states(ctx)
	if err != nil {
		return nil, err
	}
	return s.reconcile(ctx, states)
}

// states reads the state of every stored period.
func (s *Service) states(ctx context.Context) ([]*PeriodState, error) {
	periods, err := s.Store.Periods(ctx)
	if err != nil {
		return nil, err
	}
	states := make([]*PeriodState, 0, len(periods))
	for _, p := range periods {
		st, err := s.State(ctx, p)
		if err != nil {
			return nil, err
		}
		states = append(states, st)
	}
	return states, nil
}

// reconcile matches the shown versions of states (see Reconcile).
func (s *Service) reconcile(ctx context.Context, states []*PeriodState) (map[civil.Month]*Matched, error) {
	var acts []qoldau.Act
	if err := s.Store.ScanActs(ctx, func(a *qoldau.Act) error { acts = append(acts, *a); return nil }); err != nil {
		return nil, err
	}
	out := map[civil.Month]*Matched{}
	type ref struct {
		m *Matched
		i int
	}
	var onTime, late []reconcile.RowRef
	var onTimeAt, lateAt []ref
	intern := newInterner()
	for _, st := range states {
		if st.Shown == nil {
			continue
		}
		p := st.Period
		m := &Matched{Period: p, Version: st.Shown.Number, Late: st.Late, Counted: st.Counted != nil}
		out[p] = m
		err := s.Store.ScanRows(ctx, p, st.Shown.Number, qoldau.LeadsFields, func(r *qoldau.Row) error {
			i := len(m.Nums)
			m.Nums = append(m.Nums, r.Num)
			if r.Errors > 0 {
				m.Outcome = append(m.Outcome, Rejected)
				return nil
			}
			m.Outcome = append(m.Outcome, "")
			rr := intern.rowRef(r)
			if st.Late {
				late, lateAt = append(late, rr), append(lateAt, ref{m, i})
			} else {
				onTime, onTimeAt = append(onTime, rr), append(onTimeAt, ref{m, i})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	used := make([]bool, len(acts))
	apply := func(rows []reconcile.RowRef, at []ref, pool []int) {
		free := make([]qoldau.Act, len(pool))
		for i, k := range pool {
			free[i] = acts[k]
		}
		for i, r := range reconcile.Match(rows, free) {
			if r.Act >= 0 {
				used[pool[r.Act]] = true
				at[i].m.Outcome[at[i].i] = Confirmed
			} else {
				at[i].m.Outcome[at[i].i] = r.Reason
			}
		}
	}
	all := make([]int, len(acts))
	for i := range all {
		all[i] = i
	}
	apply(onTime, onTimeAt, all)
	var rest []int
	for i, u := range used {
		if !u {
			rest = append(rest, i)
		}
	}
	apply(late, lateAt, rest)
	return out, nil
}

// Status is a period's state as `qoldau status` shows it.
type Status struct {
	Period            civil.Month     `json:"period"`
	Due               civil.Date      `json:"due"`
	EffectiveDeadline civil.Date      `json:"effective_deadline"`
	Versions          []VersionStatus `json:"versions"`
	CountedVersion    *int            `json:"counted_version"`
	Late              bool            `json:"late"`
	WorkingDaysLate   int             `json:"working_days_late,omitempty"`
	Letter            *LetterView     `json:"letter"`
	CorrectionDue     *civil.Date     `json:"correction_due"`
	Rows              StatusRows      `json:"rows"`
	UnconfirmedBy     map[string]int  `json:"unconfirmed_by_reason"`
	Missing           bool            `json:"missing"`
	Letters           []LetterView    `json:"letters"`
}

// VersionStatus is one version in a status. Late: the version came after the
// period's effective deadline (the due date, extended by the correction clock of
// each letter sent in time), so it can never be the counted version; a correction
// received within its 3 working days is not late, though it came after the due
// date. Counted: it is the version used for statistics.
type VersionStatus struct {
	Version   int              `json:"version"`
	Received  time.Time        `json:"received"`
	Late      bool             `json:"late"`
	Counted   bool             `json:"counted"`
	FileError bool             `json:"file_error"`
	SHA256    string           `json:"sha256"`
	Rows      qoldau.RowCounts `json:"rows"`
}

// StatusRows counts the shown version's rows: received = rejected + unconfirmed +
// confirmed.
type StatusRows struct {
	Received    int `json:"received"`
	Rejected    int `json:"rejected"`
	Unconfirmed int `json:"unconfirmed"`
	Confirmed   int `json:"confirmed"`
}

// Status reports a period: deadlines, versions, the counted version, its letter and
// correction deadline, and its rows reconciled with the acts. It reads the period's
// record (Record): while nothing changed, no rows and no other period.
func (s *Service) Status(ctx context.Context, p civil.Month) (*Status, error) {
	rec, err := s.Record(ctx, p)
	if err != nil {
		return nil, err
	}
	st := s.state(p, rec.Versions, append([]qoldau.Letter(nil), rec.Letters...))
	out := &Status{Period: p, Due: st.Due, EffectiveDeadline: st.Effective, Late: st.Late,
		Versions: []VersionStatus{}, UnconfirmedBy: map[string]int{"no-act": 0, "date-mismatch": 0, "service-mismatch": 0, "unsigned": 0}}
	for _, v := range st.Versions {
		out.Versions = append(out.Versions, VersionStatus{Version: v.Number, Received: v.Received,
			Late: !st.InTime(&v), Counted: st.Counted != nil && st.Counted.Number == v.Number,
			FileError: v.FileError, SHA256: v.SHA256, Rows: v.Rows})
	}
	if st.Counted != nil {
		n := st.Counted.Number
		out.CountedVersion = &n
	}
	if len(st.Versions) == 0 {
		out.Missing = !onOrBefore(s.now(), st.Due)
	} else if st.Late {
		out.WorkingDaysLate = s.Cal.WorkingDaysBetween(st.Due, civil.Of(st.Versions[0].Received.In(almaty())))
	}
	lvs := s.views(st.Letters)
	out.Letters = lvs
	if len(lvs) > 0 {
		l := lvs[len(lvs)-1]
		out.Letter = &l
		for i := len(lvs) - 1; i >= 0; i-- {
			if lvs[i].IsSent() {
				d := lvs[i].CorrectionDue
				out.CorrectionDue = &d
				break
			}
		}
	}
	for o, n := range rec.Outcomes {
		out.Rows.Received += n
		switch o {
		case Rejected:
			out.Rows.Rejected += n
		case Confirmed:
			out.Rows.Confirmed += n
		default:
			out.Rows.Unconfirmed += n
			out.UnconfirmedBy[o] += n
		}
	}
	return out, nil
}

// Periods lists the periods that have registers, in order.
func (s *Service) Periods(ctx context.Context) ([]civil.Month, error) {
	ps, err := s.Store.Periods(ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps, nil
}
