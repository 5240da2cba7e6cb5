// Package workflow is the monitoring process of clauses 6 to 11 and 14 over a
// qoldau.Store: register versions and their deadlines, notification letters and the
// correction clock, acts and reconciliation, corrections diffed, and an audit log.
// It knows nothing of the store behind the interface, so the embedded store and
// DynamoDB run the same process.
package workflow

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/xlsx"
)

// Service runs the workflow. Clock is the one clock time-dependent logic reads.
type Service struct {
	Store  qoldau.Store
	Blobs  qoldau.Blobs
	Ref    *refdata.Set
	Cal    *workday.Calendar
	Clock  func() time.Time
	Limits xlsx.Limits
	// Agency and Operator name the sender and addressee of letters.
	Agency   string
	Operator string
	// CorrectionDays is the operator's correction time in working days (clause 9).
	CorrectionDays int
	// SendDays is the agency's time to send a letter in working days (clause 8).
	SendDays int
}

// New returns a Service with the defaults of the methodology.
func New(store qoldau.Store, blobs qoldau.Blobs) *Service {
	return &Service{
		Store: store, Blobs: blobs, Ref: refdata.Default(), Cal: workday.Default(), Clock: time.Now,
		Limits: xlsx.DefaultLimits(), CorrectionDays: 3, SendDays: 1,
		Agency:   "«Даму» кәсіпкерлікті дамыту қоры» АҚ / АО «Фонд развития предпринимательства «Даму»",
		Operator: "Қаржылық емес қолдау операторы / Оператор нефинансовой поддержки",
	}
}

func (s *Service) now() time.Time { return s.Clock() }

// Due returns the date a period's register is due: the 1st of the next month, moved
// to the next working day.
func (s *Service) Due(p civil.Month) civil.Date { return s.Cal.NextWorking(p.Add(1).First()) }

// onOrBefore reports whether t falls on or before the end of day d (Asia/Almaty).
func onOrBefore(t time.Time, d civil.Date) bool { return !t.After(workday.EndOf(d)) }

// PeriodState is what the workflow knows of one period at a moment.
type PeriodState struct {
	Period    civil.Month
	Due       civil.Date
	Effective civil.Date
	Versions  []qoldau.Version
	Letters   []qoldau.Letter
	// Counted is the version used for statistics (nil when the period has none by
	// its effective deadline, or is late).
	Counted *qoldau.Version
	// Shown is the version whose rows are shown: the counted one, or the latest of a
	// late register.
	Shown *qoldau.Version
	Late  bool
}

// State computes a period's deadlines, lateness and counted version (docs/rules.md,
// "Registers and versions").
func (s *Service) State(ctx context.Context, p civil.Month) (*PeriodState, error) {
	vs, err := s.Store.Versions(ctx, p)
	if err != nil {
		return nil, err
	}
	ls, err := s.Store.Letters(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.state(p, vs, ls), nil
}

func (s *Service) state(p civil.Month, vs []qoldau.Version, ls []qoldau.Letter) *PeriodState {
	st := &PeriodState{Period: p, Due: s.Due(p), Versions: vs, Letters: ls}
	st.Effective = st.Due
	received := map[int]time.Time{}
	for _, v := range vs {
		received[v.Number] = v.Received
	}
	// Each letter sent for a version received by the effective deadline extends it to
	// that letter's correction deadline; an extension can bring in further letters.
	for changed := true; changed; {
		changed = false
		for _, l := range ls {
			r, ok := received[l.Version]
			if l.IsSent() && ok && onOrBefore(r, st.Effective) && l.CorrectionDue > st.Effective {
				st.Effective, changed = l.CorrectionDue, true
			}
		}
	}
	if len(vs) == 0 {
		return st
	}
	first := vs[0]
	for _, v := range vs {
		if v.Received.Before(first.Received) {
			first = v
		}
	}
	st.Late = !onOrBefore(first.Received, st.Due)
	if st.Late {
		st.Shown = &vs[len(vs)-1]
		return st
	}
	for i := range vs {
		if onOrBefore(vs[i].Received, st.Effective) && (st.Counted == nil || !vs[i].Received.Before(st.Counted.Received)) {
			st.Counted = &vs[i]
		}
	}
	st.Shown = st.Counted
	return st
}

// InTime reports whether a version came by the period's effective deadline and so
// may count (of a register that is not late).
func (st *PeriodState) InTime(v *qoldau.Version) bool {
	return !st.Late && onOrBefore(v.Received, st.Effective)
}

// LetterID names the letter about a version.
func LetterID(p civil.Month, version int) string { return fmt.Sprintf("%s-v%d", p, version) }

// sortLetters orders letters by period, then version.
func sortLetters(ls []qoldau.Letter) {
	sort.Slice(ls, func(i, j int) bool {
		if ls[i].Period != ls[j].Period {
			return ls[i].Period < ls[j].Period
		}
		return ls[i].Version < ls[j].Version
	})
}

func itoa(n int) string { return fmt.Sprint(n) }

func almaty() *time.Location { return workday.Almaty() }
