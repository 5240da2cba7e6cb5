package workflow

import (
	"context"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// SurveyRow is a service clients are surveyed about (docs/rules.md, "Surveys":
// error-free rows of counted versions), with the contact data invitations and call
// lists need. It holds personal data: it stays in the process, never in a log or a bot
// message.
type SurveyRow struct {
	Ref        qoldau.ServiceRef
	ClientKey  string // normalised name + "|" + birth date
	ClientName string
	BinIIN     string
	Mobile     string // +7XXXXXXXXXX or ""
	WorkPhone  string
	Email      string
	Start      civil.Date
}

// SurveyRows calls fn for each error-free row of the period's counted version, in
// row order, and returns that version's number; 0 and no call when the period has
// no counted version (none yet, or the register is late).
func (s *Service) SurveyRows(ctx context.Context, p civil.Month, fn func(*SurveyRow) error) (int, error) {
	st, err := s.State(ctx, p)
	if err != nil {
		return 0, err
	}
	if st.Counted == nil {
		return 0, nil
	}
	v := st.Counted.Number
	err = s.Store.Rows(ctx, p, v, func(r *qoldau.Row) error {
		if r.Rejected() {
			return nil
		}
		return fn(&SurveyRow{
			Ref: qoldau.ServiceRef{
				Period: p, Version: v, Row: r.Num, Region: r.Region, Service: r.Service, Subtype: r.Subtype,
				Place: r.Place, Centre: r.Centre, Town: r.Settlement, Manager: r.Manager, End: r.EndDate, Online: r.Online,
			},
			ClientKey: r.ClientKey, ClientName: r.ClientName, BinIIN: r.BinIIN,
			Mobile: r.Mobile, WorkPhone: r.WorkPhone, Email: r.Email, Start: r.StartDate,
		})
	})
	if err != nil {
		return 0, err
	}
	return v, nil
}
