package qoldau

import (
	"context"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// Report submission media (clause 13).
const (
	MediaUSB = "usb"
	MediaCD  = "cd"
	MediaDVD = "dvd"
)

// Submission records that a signed report went to the authorized body (clause 13).
// The agency's own lateness is measured from Submitted, and report reminders stop
// once a submission exists.
type Submission struct {
	// Period is the report's period as written: "2026-Q3", "2026",
	// "2026-07..2026-09".
	Period    string    `json:"period"`
	Submitted time.Time `json:"submitted"`
	LetterNo  string    `json:"letter_no"` // the agency's outgoing letter number
	RegNo     string    `json:"reg_no"`    // the registration number at the body
	Media     string    `json:"media"`     // usb | cd | dvd
	Actor     string    `json:"actor"`
	Recorded  time.Time `json:"recorded"` // when the system stored it
	// Build is the built time of the report build that was submitted (with the
	// period, it names the build and its kept files); zero when none was named.
	Build time.Time `json:"build,omitzero"`
}

// ReportBuild is the record of one built report: what was built, when, and where
// its files are kept (blob keys by format).
type ReportBuild struct {
	Period string            `json:"period"`
	Built  time.Time         `json:"built"`
	Lang   string            `json:"lang"`
	Files  map[string]string `json:"files"`  // format → blob key; "json" is always there
	Counts map[string]int    `json:"counts"` // the reconciliation: received, late, rejected, unconfirmed, counted
	Actor  string            `json:"actor"`
}

// ReportStore keeps report submissions and builds (a part of Store). Methods
// return *Error with the codes named; any other failure is Internal.
type ReportStore interface {
	// PutSubmission records a report's submission. Conflict when the period's
	// report was submitted already (the first submission stands); Invalid when the
	// period or time is empty.
	PutSubmission(ctx context.Context, s *Submission) error
	// Submissions lists every submission, by period.
	Submissions(ctx context.Context) ([]Submission, error)
	// PutBuild records a built report (several builds of one period are kept).
	// Invalid when the period or build time is empty.
	PutBuild(ctx context.Context, b *ReportBuild) error
	// Builds lists the builds of a period, oldest first (empty, not NotFound, when
	// none).
	Builds(ctx context.Context, period string) ([]ReportBuild, error)
}

// RowFields names the fields ReportScanner.ScanRows fills.
type RowFields uint8

const (
	// ReportFields is what a report and its audit leads read: Num, Region,
	// Settlement, Place, Centre, ClientName, BinIIN, Gender, BirthDate, Disability,
	// LegalForm, Category, OKEDSection, Service, Subtype, Manager, StartDate,
	// EndDate, Mobile, Online, ClientKey, Errors and Codes.
	ReportFields RowFields = iota
	// LeadsFields is what audit leads alone and the matching of acts read: Num,
	// Region, Settlement, Place, Centre, ClientName, BinIIN, BirthDate, Service,
	// Subtype, Manager, StartDate, EndDate, Mobile, Online and Errors.
	LeadsFields
)

// ReportScanner is the stores' fast path for building reports (a part of Store:
// both stores have one, so nothing asks a store at run time). ScanRows walks a
// version's rows in row order like Store.Rows (NotFound when the version does not
// exist), but fills only the fields it is asked for (RowFields; a store may fill
// more); it may pass the same *Row to every call, so fn must copy what it keeps
// (the strings themselves may be kept). ScanActs walks the act lines in Key order
// with Number, BinIIN, Service, Subtype, ServiceDate and Confirmation filled, under
// the same rule.
type ReportScanner interface {
	ScanRows(ctx context.Context, period civil.Month, version int, fields RowFields, fn func(*Row) error) error
	ScanActs(ctx context.Context, fn func(*Act) error) error
}
