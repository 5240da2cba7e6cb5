// Package report builds the monitoring report of Annex 3 (docs/rules.md, "Reports"): the
// introduction with the registers used and the row reconciliation, the statistical
// indicators S1-S10, the quality audit from survey answers, the violations and
// exclusions, and a generated conclusion; and writes it as .xlsx (excelize, with
// native charts and a Data sheet tracing every counted row), .pdf (an embedded
// DejaVu Sans, so Kazakh and Cyrillic letters render) and .json, in Kazakh, Russian
// or English. Codes never change with the language.
//
// Build reads the registers through workflow.Service.ReportData in one pass over
// the rows and keeps a small fixed-size record per counted row (client and
// enterprise as 64-bit hashes, code lists as small indexes): distinct counts come
// from sorting those records, never from maps of strings. The same stored data and
// the same build time give byte-identical outputs.
package report

import (
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/secret"
)

// DefaultMethodology is the methodology a report follows unless told otherwise:
// the one order No. 59 of the Minister of National Economy of 24.06.2019
// approved, named as it names itself in each language.
var DefaultMethodology = catalogue.Text("methodology.default")

// Report is a built report, independent of language and format.
type Report struct {
	Period Period
	Due    civil.Date // 0 for a range
	AsOf   civil.Date // December 1 for the fourth quarter and the annual report
	Built  time.Time
	// Methodology names the methodology the report follows, in each language.
	Methodology qoldau.Text
	// Registers has one entry per month of the period.
	Registers      []Register
	Reconciliation Reconciliation
	// Regions are the KATO codes of the table rows, in report order: the regions
	// that exist on some day of the period, then any other code found in a row.
	Regions []string
	Tables  []*Table
	Quality *Quality
	// Violations holds the deadline compliance and the exclusions (Section 1,
	// sub-sections 1.3 and 1.4).
	Violations *Violations
	// Introduction is the narrative paragraph that opens Section 1: generated,
	// or the agency's own text (IntroductionReplaced).
	Introduction         []Sentence
	IntroductionReplaced bool
	// Conclusion is Section 4's key observations.
	Conclusion []Sentence
	// ConclusionReplaced: the agency's own text replaced the generated one.
	ConclusionReplaced bool
	// Previous is the previous period's S1 as its latest stored build gave it.
	Previous *Previous
	// Leads are the period's audit leads when Options.Leads asked for them: a sheet
	// of the workbook beside the form, not a section of it (nor of the JSON).
	Leads *leads.Result

	trace   []rec // counted rows, by register and row order
	dicts   *dicts
	regs    []regInfo
	ageBins []string
}

// Register is one month's register as Section 1 lists it.
type Register struct {
	Period civil.Month `json:"period"`
	Due    civil.Date  `json:"due"`
	// Effective is the effective deadline (extended by letters).
	Effective civil.Date `json:"effective_deadline"`
	// Version is the version used: the counted one, or the latest of a late
	// register; 0 when there is none.
	Version int `json:"version,omitempty"`
	// Received is when the version used arrived (zero when none).
	Received time.Time `json:"received,omitzero"`
	// Status is on_time, late, missing (nothing by the due date) or pending (none
	// yet, not due).
	Status   string `json:"status"`
	Rows     int    `json:"rows"`
	Counted  int    `json:"counted"`
	Versions int    `json:"versions"`
}

// Register statuses.
const (
	StatusOnTime  = "on_time"
	StatusLate    = "late"
	StatusMissing = "missing"
	StatusPending = "pending"
)

// Reconciliation accounts for every row received: Received = Late + Rejected +
// Unconfirmed + Counted.
type Reconciliation struct {
	Received    int `json:"received"`
	Late        int `json:"late"`
	Rejected    int `json:"rejected"`
	Unconfirmed int `json:"unconfirmed"`
	Counted     int `json:"counted"`
	// UnconfirmedBy counts unconfirmed rows by reason (unsigned, date-mismatch,
	// service-mismatch, no-act).
	UnconfirmedBy map[string]int `json:"unconfirmed_by_reason"`
}

// Table is one indicator table: a row per region and a total row, a column per
// code. Cells count distinct clients, enterprises or (client, category) pairs, or
// services (rows).
type Table struct {
	ID string // S1 … S10, S7d for services by subtype
	// Unit is what a cell counts: clients, enterprises, pairs or services.
	Unit    string
	Columns []string // column codes, in report order
	// Cells[i][j] is region Regions[i], column Columns[j].
	Cells [][]int
	// Total is the total row: for distinct counts, the distinct count over the
	// whole period, which may be less than the sum of the region rows.
	Total []int
	// Differs: some total is not the sum of its column (a note says why).
	Differs bool
}

// Distinct reports whether the table counts distinct clients, enterprises or pairs.
func (t *Table) Distinct() bool { return t.Unit != UnitServices }

// Table units.
const (
	UnitClients     = "clients"
	UnitEnterprises = "enterprises"
	UnitPairs       = "pairs"
	UnitServices    = "services"
)

// Table returns the table with id, or nil.
func (r *Report) Table(id string) *Table {
	for _, t := range r.Tables {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// Sentence is one sentence of the conclusion and the table cells it comes from.
type Sentence struct {
	Text qoldau.Text `json:"text"`
	// Refs name the cells the sentence states; none for the agency's own text.
	Refs []Ref `json:"refs,omitempty"`
}

// Ref names one cell of the report: a table (S1 … S10, "reconciliation",
// "quality", "denied", "violations", "previous"), a row (a region code, "total", a
// reason …) and a column code.
type Ref struct {
	Table  string `json:"table"`
	Row    string `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
}

// Previous is what the previous period's report said (its latest stored build).
type Previous struct {
	Period  string         `json:"period"`
	Built   time.Time      `json:"built"`
	Clients int            `json:"clients"`
	Regions map[string]int `json:"regions"`
}

// TraceRow is one counted row as the Data sheet shows it: where it is and a
// pseudonymous client id, never a name, IIN/BIN, phone or e-mail.
type TraceRow struct {
	Period  civil.Month
	Version int
	Row     int
	Region  string
	Service string
	Subtype string
	Client  string
}

// Trace calls fn for every counted row, by register period, version and row order.
func (r *Report) Trace(fn func(*TraceRow) error) error {
	var t TraceRow
	for i := range r.trace {
		x := &r.trace[i]
		g := &r.regs[x.reg]
		t = TraceRow{Period: g.period, Version: g.version, Row: int(x.num),
			Region: r.dicts.region.name(x.region), Service: r.dicts.service.name(x.service),
			Subtype: r.dicts.subtype.name32(x.subtype), Client: secret.ClientIDOf(x.client, x.client2)}
		if err := fn(&t); err != nil {
			return err
		}
	}
	return nil
}

// Counted returns the number of counted rows (the Data sheet's rows).
func (r *Report) Counted() int { return len(r.trace) }
