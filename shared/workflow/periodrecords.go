package workflow

import (
	"context"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Records computes every period's record (qoldau.PeriodRecord: its versions,
// letters and shown rows reconciled with the acts) from the stored inputs and
// stores them: the work a change of the inputs calls for. Upload, ImportActs and
// Send do it after their change; Record does it when it finds its period's record
// stale. The inputs' revision is read before the inputs, so a change made
// meanwhile leaves the records stale (to be computed again), never wrong.
//
// No record depends on the clock: the counted version is the latest received by
// the effective deadline, which only letters move, so a deadline passing changes
// nothing stored, and what does depend on the clock (a missing register, an
// overdue letter) is worked out when a status is read.
func (s *Service) Records(ctx context.Context) (map[civil.Month]*qoldau.PeriodRecord, error) {
	rev, err := s.Store.InputsRevision(ctx)
	if err != nil {
		return nil, err
	}
	states, err := s.states(ctx)
	if err != nil {
		return nil, err
	}
	matched, err := s.reconcile(ctx, states)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	recs := make([]qoldau.PeriodRecord, len(states))
	out := make(map[civil.Month]*qoldau.PeriodRecord, len(states))
	for i, st := range states {
		r := &recs[i]
		*r = qoldau.PeriodRecord{Period: st.Period, Revision: rev, Computed: now, Versions: st.Versions, Letters: st.Letters}
		if m := matched[st.Period]; m != nil {
			r.Shown, r.Outcomes = m.Version, map[string]int{}
			for _, o := range m.Outcome {
				r.Outcomes[o]++
			}
		}
		out[st.Period] = r
	}
	if err := s.Store.PutPeriodRecords(ctx, recs); err != nil {
		return nil, err
	}
	return out, nil
}

// Record returns a period's record: the stored one while it is of the inputs'
// current revision (one read, whatever else is stored), else every record computed
// anew (Records). A period with no version has an empty record.
func (s *Service) Record(ctx context.Context, p civil.Month) (*qoldau.PeriodRecord, error) {
	rec, rev, err := s.Store.PeriodRecord(ctx, p)
	if err != nil {
		return nil, err
	}
	if rec != nil && rec.Revision == rev {
		return rec, nil
	}
	if rec == nil {
		vs, err := s.Store.Versions(ctx, p)
		if err != nil {
			return nil, err
		}
		if len(vs) == 0 {
			return &qoldau.PeriodRecord{Period: p, Revision: rev}, nil
		}
	}
	recs, err := s.Records(ctx)
	if err != nil {
		return nil, err
	}
	if r := recs[p]; r != nil {
		return r, nil
	}
	return &qoldau.PeriodRecord{Period: p, Revision: rev}, nil
}

// refreshRecords computes the records after a change of the inputs. A failure
// leaves them stale, which the next status finds and mends (Record), so the change
// itself stands.
func (s *Service) refreshRecords(ctx context.Context) {
	_, _ = s.Records(ctx)
}
