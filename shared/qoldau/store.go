package qoldau

import (
	"context"
	"io"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// RowCounts are a register version's row counts: Read = Accepted + Rejected; Warned
// counts accepted rows with warnings.
type RowCounts struct {
	Read     int `json:"read"`
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Warned   int `json:"warned"`
}

// Version is one upload of a period's register (docs/rules.md, "Registers and
// versions"). The original file is a blob named by its SHA-256; versions are never
// changed or deleted once stored.
type Version struct {
	Period    civil.Month    `json:"period"`
	Number    int            `json:"version"` // 1, 2, 3 … within the period
	SHA256    string         `json:"sha256"`
	FileName  string         `json:"file_name"`
	Size      int64          `json:"size"`
	Kind      string         `json:"kind"`     // xlsx | csv | "" (unreadable)
	Received  time.Time      `json:"received"` // when the operator's file arrived
	Recorded  time.Time      `json:"recorded"` // when the system stored it
	Backfill  bool           `json:"backfill"` // Received was given explicitly
	FileError bool           `json:"file_error"`
	Rows      RowCounts      `json:"rows"`
	Counts    map[string]int `json:"counts"` // findings by code
	RowCount  int            `json:"row_count"`
	Actor     string         `json:"actor"`
}

// Letter is a notification letter to the operator about a version with errors
// (clause 8), and the correction clock it starts (clause 9).
type Letter struct {
	ID            string            `json:"id"` // "<period>-v<version>", e.g. 2026-09-v1
	Period        civil.Month       `json:"period"`
	Version       int               `json:"version"`
	Drafted       time.Time         `json:"drafted"`
	SendDue       civil.Date        `json:"send_due"` // the agency's 1-working-day deadline
	Sent          time.Time         `json:"sent,omitzero"`
	SentBy        string            `json:"sent_by,omitempty"`
	Number        string            `json:"number,omitempty"`        // the outgoing number, recorded when sent
	Received      time.Time         `json:"received,omitzero"`       // receipt, when recorded apart from sending
	CorrectionDue civil.Date        `json:"correction_due,omitzero"` // 3 working days after receipt
	Errors        map[string]int    `json:"errors"`                  // error findings by code
	Files         map[string]string `json:"files"`                   // format → blob key
}

// IsSent reports whether the agency has sent the letter.
func (l *Letter) IsSent() bool { return !l.Sent.IsZero() }

// ReceivedAt is when the operator received the letter: the receipt time recorded,
// else the time it was sent (electronic delivery); zero for a draft.
func (l *Letter) ReceivedAt() time.Time {
	if !l.Received.IsZero() {
		return l.Received
	}
	return l.Sent
}

// Sending is what the agency records when it sends a letter (clause 9).
type Sending struct {
	Number   string    // the outgoing number
	At       time.Time // when the letter was sent
	Received time.Time // when the operator received it; zero: when sent
	By       string    // who recorded it
	// CorrectionDue is the operator's correction deadline, counted from receipt.
	CorrectionDue civil.Date
}

// Act is one line of a signed act of services rendered (clause 11).
type Act struct {
	Number       string     `json:"act_number"`
	Date         civil.Date `json:"act_date"`
	BinIIN       string     `json:"bin_iin"`
	Service      string     `json:"service"` // service code
	Subtype      string     `json:"service_subtype,omitempty"`
	ServiceDate  civil.Date `json:"service_date"`
	Confirmation string     `json:"confirmation"` // eds | 2fa | none
	Source       string     `json:"source"`       // SHA-256 of the imported file
	Line         int        `json:"line"`         // row in that file
}

// Key identifies an act line: importing the same line twice adds nothing.
func (a *Act) Key() string {
	return a.Number + "|" + a.BinIIN + "|" + a.Service + "|" + a.Subtype + "|" + a.ServiceDate.String()
}

// AuditEntry is one line of the append-only audit log: who did what, when.
type AuditEntry struct {
	Time    time.Time         `json:"time"`
	Actor   string            `json:"actor"`
	Action  string            `json:"action"`  // upload, send, import, build, submit …
	Subject string            `json:"subject"` // e.g. "register 2026-09 v2"
	Detail  map[string]string `json:"detail,omitempty"`
}

// RowSeq yields a version's rows in order: it calls yield for each row and stops at
// the first error yield returns, returning it (or its own error, reading a spool).
// A nil RowSeq yields nothing.
type RowSeq func(yield func(*Row) error) error

// RowsOf yields the rows of a slice.
func RowsOf(rows []Row) RowSeq {
	return func(yield func(*Row) error) error {
		for i := range rows {
			if err := yield(&rows[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// Store is everything qoldau keeps, as one contract: the monitoring data
// (MonitoringStore), the staff users (AccessStore), the surveys (SurveyStore) and
// the agency's report submissions and builds (ReportStore). Two implementations,
// the embedded default (shared/sqlite) and DynamoDB (shared/dynamo), each checked
// by the compiler (`var _ qoldau.Store = (*Store)(nil)`); one contract suite
// (shared/storetest) runs against both. A consumer that needs less takes the part
// it uses. ReportScanner is the one optional capability (a fast path).
type Store interface {
	MonitoringStore
	AccessStore
	SurveyStore
	ReportStore
	ReportScanner
}

// MonitoringStore keeps the monitoring data: register versions and their rows,
// letters, acts, the audit log and once-only claims. Methods return *Error with
// the codes named; any other failure is Internal.
type MonitoringStore interface {
	// PutVersion stores a version and its rows atomically: either all of it is
	// visible or none. Conflict when the period already has a version with that
	// number (another upload took it: re-read and decide again).
	// The rows are streamed from rows (nil: none), so a large register need not be
	// held in memory; the store records how many it got as the version's RowCount.
	PutVersion(ctx context.Context, v *Version, rows RowSeq) error
	// Versions lists a period's versions by number (empty, not NotFound, when none).
	Versions(ctx context.Context, period civil.Month) ([]Version, error)
	// Periods lists every period with at least one version, in order.
	Periods(ctx context.Context) ([]civil.Month, error)
	// Rows calls fn for each row of a version in row order; NotFound when the
	// version does not exist. An error from fn stops the walk and is returned.
	Rows(ctx context.Context, period civil.Month, version int, fn func(*Row) error) error

	// PutLetter stores a new letter; Conflict when its ID exists.
	PutLetter(ctx context.Context, l *Letter) error
	// SendLetter records the letter's sending: its number, send and receipt times,
	// who recorded it and the correction deadline. Invalid for a send without a
	// time, or a time or date the store could not read back; NotFound for an
	// unknown ID; Conflict when it was sent already (the first send stands).
	SendLetter(ctx context.Context, id string, s Sending) (*Letter, error)
	// Letter returns one letter; NotFound when unknown.
	Letter(ctx context.Context, id string) (*Letter, error)
	// Letters lists letters of a period by version (all periods when period is 0).
	Letters(ctx context.Context, period civil.Month) ([]Letter, error)

	// PutActs stores act lines, skipping any whose Key is stored already, and
	// returns how many were new.
	PutActs(ctx context.Context, acts []Act) (added int, err error)
	// Acts calls fn for every stored act line, ordered by Key.
	Acts(ctx context.Context, fn func(*Act) error) error

	// Append adds an entry to the audit log.
	Append(ctx context.Context, e AuditEntry) error
	// Audit lists audit entries from since on, oldest first, at most limit (0: all).
	Audit(ctx context.Context, since time.Time, limit int) ([]AuditEntry, error)

	// Claim records key the first time it is seen and returns true; false when it
	// was claimed before. It makes reminders and other side effects happen once,
	// however often a job is retried.
	Claim(ctx context.Context, key string, at time.Time) (bool, error)
	// Release removes a claim, so that the next Claim of key returns true: for a
	// side effect known not to have happened (a notice no channel took), to be
	// tried again. Releasing a key never claimed does nothing.
	Release(ctx context.Context, key string) error

	RecordStore

	// Close releases the store.
	Close() error
}

// Blobs keeps files: original uploads (named by SHA-256) and built outputs.
type Blobs interface {
	// Put stores the content under key. Storing the same key again replaces it; for
	// uploads the key is the content's hash, so a retry is harmless.
	Put(ctx context.Context, key string, r io.Reader) error
	// Get opens the blob; NotFound when absent.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Exists reports whether the blob is there.
	Exists(ctx context.Context, key string) (bool, error)
}
