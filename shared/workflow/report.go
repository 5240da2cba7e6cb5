package workflow

import (
	"context"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/reconcile"
	"github.com/qoldau/qoldau/shared/workday"
)

// Outcome is what became of one row of a shown version in a report (docs/rules.md,
// "What counts"): counted, or excluded for one reason.
type Outcome uint8

// Row outcomes. A row's outcome is the first that applies: its register is late,
// the row has errors, no act confirms it (with the reason), or it counts.
const (
	// OutcomePending is given to the row callback of ReportData for an error-free
	// row of an on-time register, whose act is not matched yet.
	OutcomePending Outcome = iota
	OutcomeCounted
	OutcomeLate
	OutcomeRejected
	OutcomeUnsigned
	OutcomeDateMismatch
	OutcomeServiceMismatch
	OutcomeNoAct
)

var outcomeNames = [...]string{"pending", "counted", "late", "rejected",
	reconcile.ReasonUnsigned, reconcile.ReasonDateMismatch, reconcile.ReasonServiceMismatch, reconcile.ReasonNoAct}

// String returns the outcome's code: counted, late, rejected, or an unconfirmed
// reason (unsigned, date-mismatch, service-mismatch, no-act).
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown"
}

// Unconfirmed reports whether the outcome is one of the unconfirmed reasons.
func (o Outcome) Unconfirmed() bool { return o >= OutcomeUnsigned && o <= OutcomeNoAct }

// UnconfirmedOutcomes are the unconfirmed reasons in the order they are tried.
var UnconfirmedOutcomes = []Outcome{OutcomeUnsigned, OutcomeDateMismatch, OutcomeServiceMismatch, OutcomeNoAct}

func outcomeOf(why reconcile.Why) Outcome {
	switch why {
	case reconcile.WhyNone:
		return OutcomeCounted
	case reconcile.WhyUnsigned:
		return OutcomeUnsigned
	case reconcile.WhyDateMismatch:
		return OutcomeDateMismatch
	case reconcile.WhyServiceMismatch:
		return OutcomeServiceMismatch
	}
	return OutcomeNoAct
}

// ReportRegister is one month of a report's range as the workflow knows it at the
// Service's clock: deadlines, versions, letters, the counted and the shown version,
// and the outcome of every row of the shown version.
type ReportRegister struct {
	State *PeriodState
	// Letters are the period's letters with what the workflow concludes of them.
	Letters []LetterView
	// Missing: no version at all, and the due date is over (a violation).
	Missing bool
	// WorkingDaysLate: for a late register, working days from the due date to the
	// first version's receipt; for a missing one, to the clock's day.
	WorkingDaysLate int
	// Outcome holds one outcome per row of the shown version, in row order (nil
	// when no version is shown).
	Outcome []Outcome
}

// ReportData is what a report over a range of months needs of the workflow.
type ReportData struct {
	From, To civil.Month
	// Registers has one entry per month from From to To, in order.
	Registers []ReportRegister
	// Now is the Service's clock when the data was read.
	Now time.Time
}

// ReportData reads the registers of the months from `from` to `to` and reconciles
// their rows with the stored acts exactly as Reconcile does, in one pass over the
// rows. For every row of each month's shown version (the counted one, or the latest
// of a late register), in month and then row order, it calls row with the month's
// index in Registers, the row's index in its version and the outcome known so far:
// OutcomeLate for a late register, OutcomeRejected for a row with errors, and
// OutcomePending for a row whose acts are matched after the pass. The *Row holds
// what a report reads (qoldau.ReportFields) and is valid during the call only:
// row copies what it keeps. When ReportData returns, each register's Outcome holds
// every row's final outcome.
//
// Acts confirm rows across all periods in order of end date (clause 11); the rows
// of months before `from` are read too, as far back as one of them could still
// take an act that a row of the range might take (in practice one month), and
// months after `to` cannot change the range's outcomes, since their error-free rows
// end later. Memory: every act, and a small record per error-free row.
func (s *Service) ReportData(ctx context.Context, from, to civil.Month, row func(reg, seq int, r *qoldau.Row, o Outcome) error) (*ReportData, error) {
	return s.ReportDataThen(ctx, from, to, qoldau.ReportFields, row, nil)
}

// ReportDataThen is ReportData with the rows' fields chosen (qoldau.LeadsFields
// reads less) that also calls scanned, when it is not nil, once
// every row of the range has been passed to row and before the acts are matched,
// with what is known so far (the registers and their states; outcomes not final):
// work that needs only the rows can start then, on another goroutine, while the
// acts are matched. Such work must not read the Outcome slices before ReportData
// returns.
func (s *Service) ReportDataThen(ctx context.Context, from, to civil.Month, fields qoldau.RowFields,
	row func(reg, seq int, r *qoldau.Row, o Outcome) error, scanned func(*ReportData)) (*ReportData, error) {
	if to < from {
		return nil, qoldau.Errorf(qoldau.Invalid, "the report range ends before it starts")
	}
	now := s.now()
	out := &ReportData{From: from, To: to, Now: now}
	// The acts are read meanwhile, on another core: they do not depend on the rows.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// They are indexed there too, while the rows are read.
	type actsResult struct {
		ix  *reconcile.ActIndex
		err error
	}
	actsDone := make(chan actsResult, 1)
	go func() {
		acts := reconcile.NewActs(0)
		err := s.Store.ScanActs(ctx, func(a *qoldau.Act) error {
			acts.Add(a)
			return nil
		})
		var ix *reconcile.ActIndex
		if err == nil {
			ix = reconcile.IndexActs(acts)
		}
		actsDone <- actsResult{ix, err}
	}()
	// The periods' states first: their row counts size the tables at once (a
	// million rows grown by append would hold two arrays at a time).
	states := make([]*PeriodState, 0, int(to-from)+1)
	rows := 0
	for p := from; p <= to; p++ {
		st, err := s.State(ctx, p)
		if err != nil {
			return nil, err
		}
		states = append(states, st)
		if st.Shown != nil && !st.Late {
			rows += st.Shown.RowCount
		}
	}
	// refs holds the pending rows in month and row order: the order in which their
	// outcomes are handed back below.
	refs := reconcile.NewRefs(rows)
	minStart := civil.Date(1<<31 - 1)
	for k, p := 0, from; p <= to; k, p = k+1, p+1 {
		st := states[k]
		lvs := make([]LetterView, len(st.Letters))
		sortLetters(st.Letters)
		for i, l := range st.Letters {
			lvs[i] = s.view(l)
		}
		rr := ReportRegister{State: st, Letters: lvs}
		today := workday.Today(now)
		switch {
		case len(st.Versions) == 0:
			rr.Missing = !onOrBefore(now, st.Due)
			if rr.Missing {
				rr.WorkingDaysLate = s.Cal.WorkingDaysBetween(st.Due, today)
			}
		case st.Late:
			first := st.Versions[0].Received
			for _, v := range st.Versions {
				if v.Received.Before(first) {
					first = v.Received
				}
			}
			rr.WorkingDaysLate = s.Cal.WorkingDaysBetween(st.Due, workday.Today(first))
		}
		reg := len(out.Registers)
		if st.Shown != nil {
			if n := st.Shown.RowCount; n > 0 {
				rr.Outcome = make([]Outcome, 0, n)
			}
			err := s.Store.ScanRows(ctx, p, st.Shown.Number, fields, func(r *qoldau.Row) error {
				seq := len(rr.Outcome)
				o := OutcomePending
				switch {
				case st.Late:
					o = OutcomeLate
				case r.Errors > 0:
					o = OutcomeRejected
				default:
					refs.Add(r.BinIIN, r.Service, r.Subtype, r.StartDate, r.EndDate, r.Online)
					minStart = min(minStart, r.StartDate)
				}
				rr.Outcome = append(rr.Outcome, o)
				if row == nil {
					return nil
				}
				return row(reg, seq, r, o)
			})
			if err != nil {
				return nil, err
			}
		}
		out.Registers = append(out.Registers, rr)
	}
	if scanned != nil {
		scanned(out)
	}
	// Earlier months whose rows could compete for the same acts: a row ending
	// before every included row starts cannot take an act an included row would.
	var earlier []*reconcile.Refs // the latest month first
	periods, err := s.Store.Periods(ctx)
	if err != nil {
		return nil, err
	}
	for i := len(periods) - 1; i >= 0; i-- {
		p := periods[i]
		if p >= from {
			continue
		}
		if p.Last() < minStart {
			break
		}
		these := &reconcile.Refs{}
		_, err := s.CountedRows(ctx, p, func(r *qoldau.Row) error {
			if r.Errors == 0 {
				these.Add(r.BinIIN, r.Service, r.Subtype, r.StartDate, r.EndDate, r.Online)
				minStart = min(minStart, r.StartDate)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		earlier = append(earlier, these)
	}
	ar := <-actsDone
	if ar.err != nil {
		return nil, ar.err
	}
	if refs.Len() == 0 {
		return out, nil
	}
	all := refs // not a copy: a year holds a million
	if len(earlier) > 0 {
		all = &reconcile.Refs{}
		for i := len(earlier) - 1; i >= 0; i-- {
			all = all.Concat(earlier[i])
		}
		all = all.Concat(refs)
	}
	res := ar.ix.Match(all)
	next := all.Len() - refs.Len()
	for _, rr := range out.Registers {
		for seq, o := range rr.Outcome {
			if o == OutcomePending {
				rr.Outcome[seq] = outcomeOf(res[next].Why)
				next++
			}
		}
	}
	return out, nil
}

// interner shares the few distinct strings of services and subtypes among the many
// rows that hold them.
type interner map[string]string

func newInterner() interner { return interner{} }

func (in interner) str(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	if len(in) < 1<<16 {
		in[s] = s
	}
	return s
}

func (in interner) rowRef(r *qoldau.Row) reconcile.RowRef {
	return reconcile.RowRef{BinIIN: r.BinIIN, Service: in.str(r.Service), Subtype: in.str(r.Subtype),
		Start: r.StartDate, End: r.EndDate, Online: r.Online}
}

// CountedRows calls fn for every row of period p's counted version (none when the
// period has no counted version, as a late register has not) through the report
// fast path, with the fields of qoldau.LeadsFields, and returns the version's
// number (0: none). The *Row is valid during the call only, as in ReportData.
func (s *Service) CountedRows(ctx context.Context, p civil.Month, fn func(*qoldau.Row) error) (int, error) {
	st, err := s.State(ctx, p)
	if err != nil || st.Counted == nil {
		return 0, err
	}
	return st.Counted.Number, s.Store.ScanRows(ctx, p, st.Counted.Number, qoldau.LeadsFields, fn)
}
