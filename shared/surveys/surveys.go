// Package surveys is the agency's side of the client surveys (docs/rules.md,
// "Surveys"): it keeps the survey directory (which services of which pseudonymous
// client may be asked about, and the keyed hashes of the phones to match) in step with
// the counted register versions, issues and exports invitation links, and summarises
// answers. The conversation itself is bot/conversation's.
package surveys

import (
	"context"
	"io"
	"sort"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// DefaultTTL is how long an invitation is valid (30 days, a setting).
const DefaultTTL = 30 * 24 * time.Hour

// LookbackMonths is how far back the phone match and the offers look (docs/rules.md,
// "Reaching a client": the client's services of the last 6 months): the current month
// and the five before it.
const LookbackMonths = 6

// Admin runs the agency's survey tasks over the workflow and a survey store.
type Admin struct {
	WF    *workflow.Service
	Store qoldau.SurveyStore
	Keys  *secret.Key
	Clock func() time.Time
	// TTL is the validity of new invitations (0: DefaultTTL).
	TTL time.Duration
	// Rand is the source of invitation tokens (nil: crypto/rand).
	Rand io.Reader
	// Lang is the language of the call list's headers, answers and sheets (kk,
	// ru, en; "": ru, what call centres read).
	Lang string
}

func (a *Admin) lang() string {
	switch a.Lang {
	case "kk", "ru", "en":
		return a.Lang
	}
	return "ru"
}

func (a *Admin) now() time.Time {
	if a.Clock != nil {
		return a.Clock()
	}
	return time.Now()
}

// Client is one client of a period's survey rows: pseudonym, contacts and services
// (most recent end date first). It holds personal data: keep it in the process.
type Client struct {
	ID       string
	Name     string
	BinIIN   string
	Mobile   string
	Phone    string // mobile, else work phone
	Email    string
	Region   string // the region of the most recent service
	Services []qoldau.ServiceRef
}

// Clients reads the survey rows of period p (error-free rows of its counted
// version) grouped by client, sorted by client id, and returns the version (0 when
// the period has none counted).
func (a *Admin) Clients(ctx context.Context, p civil.Month) ([]*Client, int, error) {
	by := map[string]*Client{}
	var latest = map[string]civil.Date{}
	v, err := a.WF.SurveyRows(ctx, p, func(r *workflow.SurveyRow) error {
		id := a.Keys.ClientID(r.ClientKey)
		c := by[id]
		if c == nil {
			c = &Client{ID: id}
			by[id] = c
		}
		c.Services = append(c.Services, r.Ref)
		// Contacts and region come from the most recent service that gives them.
		if d, ok := latest[id]; !ok || r.Ref.End >= d {
			latest[id] = r.Ref.End
			c.Name, c.BinIIN, c.Region = r.ClientName, r.BinIIN, r.Ref.Region
			if r.Mobile != "" || c.Mobile == "" {
				c.Mobile = r.Mobile
			}
			if p := first(r.Mobile, r.WorkPhone); p != "" {
				c.Phone = p
			}
			if r.Email != "" {
				c.Email = r.Email
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	out := make([]*Client, 0, len(by))
	for _, c := range by {
		SortServices(c.Services)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, v, nil
}

// SortServices orders services most recent end date first, then by period,
// version and row.
func SortServices(s []qoldau.ServiceRef) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := &s[i], &s[j]
		if a.End != b.End {
			return a.End > b.End
		}
		if a.Period != b.Period {
			return a.Period < b.Period
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Row < b.Row
	})
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// Sync brings the survey directory of period p in step with its counted version:
// when that version is not the one stored, the period's surveyable services are
// stored again (clients pseudonymous, phones as keyed hashes). It returns the
// version and whether anything was written.
func (a *Admin) Sync(ctx context.Context, p civil.Month) (int, bool, error) {
	st, err := a.WF.State(ctx, p)
	if err != nil {
		return 0, false, err
	}
	if st.Counted == nil {
		return 0, false, nil
	}
	have, err := a.Store.SurveyVersion(ctx, p)
	if err != nil {
		return 0, false, err
	}
	if have == st.Counted.Number {
		return have, false, nil
	}
	var entries []qoldau.SurveyEntry
	v, err := a.WF.SurveyRows(ctx, p, func(r *workflow.SurveyRow) error {
		e := qoldau.SurveyEntry{Client: a.Keys.ClientID(r.ClientKey), Service: r.Ref}
		if r.Mobile != "" {
			e.PhoneHash = a.Keys.PhoneHash(r.Mobile)
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil || v == 0 {
		return 0, false, err
	}
	if err := a.Store.PutSurveyServices(ctx, p, v, entries); err != nil {
		return 0, false, err
	}
	return v, true, nil
}

// SyncRecent syncs the periods of the last LookbackMonths months (Almaty) at now:
// the scheduler's and the local server's periodic task.
func (a *Admin) SyncRecent(ctx context.Context, now time.Time) error {
	cur := civil.Of(now.In(workday.Almaty())).Month()
	for p := cur.Add(-(LookbackMonths - 1)); p <= cur; p++ {
		if _, _, err := a.Sync(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
