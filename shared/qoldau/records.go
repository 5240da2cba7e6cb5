package qoldau

import (
	"context"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// PeriodRecord is a period as its status shows it, computed from the stored inputs
// (register versions, letters, acts) at one revision of them
// (RecordStore.InputsRevision): the period's versions and letters, the version
// whose rows are shown, and those rows reconciled with the acts, counted by outcome
// ("confirmed", "rejected", or an unconfirmed reason). An act confirms one row
// across all periods, so any change of the inputs may change every period's
// record: a record whose Revision is not the current one is stale.
type PeriodRecord struct {
	Period   civil.Month    `json:"period"`
	Revision int64          `json:"revision"`
	Computed time.Time      `json:"computed"`
	Versions []Version      `json:"versions"`
	Letters  []Letter       `json:"letters"`
	Shown    int            `json:"shown,omitempty"`    // the shown version; 0: none
	Outcomes map[string]int `json:"outcomes,omitempty"` // rows of the shown version by outcome
}

// RecordStore keeps the period records and the revision of their inputs (a part of
// Store). Methods return *Error with the codes named; any other failure is
// Internal.
type RecordStore interface {
	// InputsRevision returns a number that every change of the records' inputs
	// raises: PutVersion, PutLetter and SendLetter in the same atomic write as the
	// change, PutActs after its lines are stored, even when none was new (so a
	// retried import raises it again). A refused write leaves it.
	InputsRevision(ctx context.Context) (int64, error)
	// PutPeriodRecords stores records, each replacing its period's record unless
	// that one is of a later revision (a slow computation never replaces a newer
	// one).
	PutPeriodRecords(ctx context.Context, rs []PeriodRecord) error
	// PeriodRecord returns a period's stored record (nil when none) and the current
	// InputsRevision: one read, whatever else is stored.
	PeriodRecord(ctx context.Context, p civil.Month) (*PeriodRecord, int64, error)
}

// CheckLetterID returns an Invalid error unless the letter's ID begins with its
// period and a hyphen ("2026-09-v1", as workflow.LetterID makes it), so a store
// can read one period's letters by key.
func CheckLetterID(l *Letter) error {
	if l == nil || l.Period == 0 || !strings.HasPrefix(l.ID, l.Period.String()+"-") {
		return Errorf(Invalid, "a letter's ID begins with its period (YYYY-MM-)")
	}
	return nil
}
