package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/rowpack"
)

var _ qoldau.ReportStore = (*Store)(nil)

func init() {
	addMigrations("reports",
		// 1: report submissions (clause 13) and builds.
		`
CREATE TABLE report_submissions (
	period    TEXT NOT NULL PRIMARY KEY,     -- 2026-Q3, 2026, 2026-07..2026-09
	submitted TEXT NOT NULL,                 -- UTC, fixed-width RFC 3339
	letter_no TEXT NOT NULL,
	reg_no    TEXT NOT NULL,
	media     TEXT NOT NULL,                 -- usb | cd | dvd
	actor     TEXT NOT NULL,
	recorded  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE report_builds (
	id     INTEGER PRIMARY KEY AUTOINCREMENT,
	period TEXT NOT NULL,
	built  TEXT NOT NULL,
	lang   TEXT NOT NULL,
	files  TEXT NOT NULL,                    -- JSON object: format → blob key
	counts TEXT NOT NULL,                    -- JSON object: the reconciliation
	actor  TEXT NOT NULL
);
CREATE INDEX report_builds_period ON report_builds (period, built, id);
`,
		// 2: the build a submission names.
		`ALTER TABLE report_submissions ADD COLUMN build TEXT NOT NULL DEFAULT '';`)
}

// PutSubmission records a submission; the first one of a period stands.
func (s *Store) PutSubmission(ctx context.Context, sub *qoldau.Submission) error {
	if sub == nil || sub.Period == "" || sub.Submitted.IsZero() {
		return qoldau.Errorf(qoldau.Invalid, "a report submission needs a period and a time")
	}
	build := ""
	if !sub.Build.IsZero() {
		build = formatTime(sub.Build)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO report_submissions (period, submitted, letter_no, reg_no,
		media, actor, recorded, build) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		sub.Period, formatTime(sub.Submitted), sub.LetterNo, sub.RegNo, sub.Media, sub.Actor, formatTime(sub.Recorded), build)
	if isUnique(err) {
		return qoldau.Errorf(qoldau.Conflict, "the report %s was submitted already", sub.Period)
	}
	if err != nil {
		return internal("store the report submission", err)
	}
	return nil
}

// Submissions lists every submission by period.
func (s *Store) Submissions(ctx context.Context) ([]qoldau.Submission, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT period, submitted, letter_no, reg_no, media, actor, recorded, build
		FROM report_submissions ORDER BY period`)
	if err != nil {
		return nil, internal("list report submissions", err)
	}
	defer rows.Close()
	var out []qoldau.Submission
	for rows.Next() {
		var (
			sub                  qoldau.Submission
			submitted, rc, build string
		)
		if err := rows.Scan(&sub.Period, &submitted, &sub.LetterNo, &sub.RegNo, &sub.Media, &sub.Actor, &rc, &build); err != nil {
			return nil, internal("read a report submission", err)
		}
		if sub.Submitted, err = parseTime(submitted); err == nil {
			sub.Recorded, err = parseTime(rc)
		}
		if err == nil && build != "" {
			sub.Build, err = parseTime(build)
		}
		if err != nil {
			return nil, internal("read a report submission", err)
		}
		out = append(out, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("list report submissions", err)
	}
	return out, nil
}

// PutBuild records a built report.
func (s *Store) PutBuild(ctx context.Context, b *qoldau.ReportBuild) error {
	if b == nil || b.Period == "" || b.Built.IsZero() {
		return qoldau.Errorf(qoldau.Invalid, "a report build needs a period and a time")
	}
	files, err := json.Marshal(b.Files)
	if err != nil {
		return internal("encode the report build", err)
	}
	counts, err := json.Marshal(b.Counts)
	if err != nil {
		return internal("encode the report build", err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO report_builds (period, built, lang, files, counts, actor)
		VALUES (?, ?, ?, ?, ?, ?)`, b.Period, formatTime(b.Built), b.Lang, string(files), string(counts), b.Actor); err != nil {
		return internal("store the report build", err)
	}
	return nil
}

// Builds lists a period's builds, oldest first.
func (s *Store) Builds(ctx context.Context, period string) ([]qoldau.ReportBuild, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT period, built, lang, files, counts, actor FROM report_builds
		WHERE period = ? ORDER BY built, id`, period)
	if err != nil {
		return nil, internal("list report builds", err)
	}
	defer rows.Close()
	var out []qoldau.ReportBuild
	for rows.Next() {
		var (
			b                    qoldau.ReportBuild
			built, files, counts string
		)
		if err := rows.Scan(&b.Period, &built, &b.Lang, &files, &counts, &b.Actor); err != nil {
			return nil, internal("read a report build", err)
		}
		if b.Built, err = parseTime(built); err == nil {
			if err = json.Unmarshal([]byte(files), &b.Files); err == nil {
				err = json.Unmarshal([]byte(counts), &b.Counts)
			}
		}
		if err != nil {
			return nil, internal("read a report build", err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("list report builds", err)
	}
	return out, nil
}

const scanRowColumns = `row, region, settlement, service_place, centre, client_name, bin_iin, gender, birth_date,
	disability, legal_form, category, oked_section, service, service_subtype, manager_name, start_date, end_date,
	mobile_phone, online, client_key, errors, codes`

// ScanRows walks a version's rows with only the fields asked for
// (qoldau.ReportScanner): from its rowpack stream (scan.go), or, for a version
// stored before the streams, from the columns (a report's fields, whichever are
// asked for). Code-list values, settlements, centres and managers are shared
// strings.
func (s *Store) ScanRows(ctx context.Context, period civil.Month, version int, fields qoldau.RowFields, fn func(*qoldau.Row) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return internal("read rows", err)
	}
	defer tx.Rollback()
	var n int
	switch err := tx.QueryRowContext(ctx, `SELECT row_count FROM versions WHERE period = ? AND version = ?`,
		period.String(), version).Scan(&n); {
	case errors.Is(err, sql.ErrNoRows):
		return qoldau.Errorf(qoldau.NotFound, "register %s has no version %d", period, version)
	case err != nil:
		return internal("read rows", err)
	}
	cr, err := openChunks(ctx, tx, period, version)
	if err != nil {
		return err
	}
	defer cr.rows.Close()
	if cr.read == 0 {
		cr.rows.Close()
		return s.scanColumns(ctx, tx, period, version, fn)
	}
	var fnErr error
	got, err := rowpack.Read(cr, rowpack.FieldsOf(fields), func(r *qoldau.Row) error {
		fnErr = fn(r)
		return fnErr
	})
	switch {
	case fnErr != nil:
		return fnErr
	case err != nil:
		return internal("read rows", err)
	case got != n:
		return internal("read rows", fmt.Errorf("%d rows read, the version has %d", got, n))
	}
	return nil
}

// scanColumns is ScanRows over the columns.
func (s *Store) scanColumns(ctx context.Context, tx *sql.Tx, period civil.Month, version int, fn func(*qoldau.Row) error) error {
	rows, err := versionRows(ctx, tx, period, version, scanRowColumns)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		r                                                       qoldau.Row
		region, place, gender, form, category, section, service sql.RawBytes
		subtype, birth, start, end, codes                       sql.RawBytes
		settlement, centre, manager                             sql.RawBytes
	)
	intern := newInterner()
	for rows.Next() {
		if err := rows.Scan(&r.Num, &region, &settlement, &place, &centre, &r.ClientName, &r.BinIIN, &gender, &birth,
			&r.Disability, &form, &category, &section, &service, &subtype, &manager, &start, &end, &r.Mobile, &r.Online,
			&r.ClientKey, &r.Errors, &codes); err != nil {
			return internal("read a row", err)
		}
		r.Region, r.Place, r.Gender, r.LegalForm = intern(region), intern(place), intern(gender), intern(form)
		r.Settlement, r.Centre, r.Manager = intern(settlement), intern(centre), intern(manager)
		r.Category, r.OKEDSection, r.Service, r.Subtype = intern(category), intern(section), intern(service), intern(subtype)
		var ok1, ok2, ok3 bool
		r.BirthDate, ok1 = fastDate(birth)
		r.StartDate, ok2 = fastDate(start)
		r.EndDate, ok3 = fastDate(end)
		if !ok1 || !ok2 || !ok3 {
			return internal("read a row", errors.New("a date column is not YYYY-MM-DD"))
		}
		r.Codes = r.Codes[:0]
		if len(codes) > 0 {
			if err := json.Unmarshal(codes, &r.Codes); err != nil {
				return internal("read a row", err)
			}
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return internal("read rows", err)
	}
	return nil
}

// ScanActs walks the act lines in Key order with the fields matching reads
// (qoldau.ReportScanner). The driver's cost is per column (about 1.7 s for six
// columns of a million acts here, 1.0 s for one), so it reads each act as one
// value, its fields joined by U+001F; should a field hold that character itself, it
// reads the rest of the acts column by column, in the same read transaction.
func (s *Store) ScanActs(ctx context.Context, fn func(*qoldau.Act) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return internal("read acts", err)
	}
	defer tx.Rollback()
	n, err := scanActsJoined(ctx, tx, fn)
	if !errors.Is(err, errActSeparator) {
		return err
	}
	return scanActColumns(ctx, tx, n, fn)
}

// errActSeparator: an act's field holds the separator of scanActsJoined.
var errActSeparator = errors.New("an act holds U+001F")

// scanActsJoined is ScanActs over the joined fields; it returns how many acts it
// passed to fn.
func scanActsJoined(ctx context.Context, tx *sql.Tx, fn func(*qoldau.Act) error) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT act_number || char(31) || bin_iin || char(31) || service || char(31) ||
		service_subtype || char(31) || ifnull(service_date, '') || char(31) || confirmation FROM acts ORDER BY key`)
	if err != nil {
		return 0, internal("read acts", err)
	}
	defer rows.Close()
	var (
		a      qoldau.Act
		line   string
		fields [6]string
	)
	intern := newStringInterner()
	n := 0
	for rows.Next() {
		if err := rows.Scan(&line); err != nil {
			return n, internal("read an act", err)
		}
		rest := line
		for i := range 5 {
			j := strings.IndexByte(rest, 0x1f)
			if j < 0 {
				return n, errActSeparator
			}
			fields[i], rest = rest[:j], rest[j+1:]
		}
		if strings.IndexByte(rest, 0x1f) >= 0 {
			return n, errActSeparator
		}
		fields[5] = rest
		a.Number, a.BinIIN = fields[0], fields[1]
		a.Service, a.Subtype, a.Confirmation = intern(fields[2]), intern(fields[3]), intern(fields[5])
		var ok bool
		if a.ServiceDate, ok = fastDate(fields[4]); !ok {
			return n, internal("read an act", errors.New("a date column is not YYYY-MM-DD"))
		}
		if err := fn(&a); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, internal("read acts", err)
	}
	return n, nil
}

// scanActColumns is ScanActs column by column, from the act after the first skip.
func scanActColumns(ctx context.Context, tx *sql.Tx, skip int, fn func(*qoldau.Act) error) error {
	rows, err := tx.QueryContext(ctx, `SELECT act_number, bin_iin, service, service_subtype, service_date, confirmation
		FROM acts ORDER BY key`)
	if err != nil {
		return internal("read acts", err)
	}
	defer rows.Close()
	var (
		a                      qoldau.Act
		service, subtype, conf sql.RawBytes
		date                   sql.RawBytes
	)
	intern := newInterner()
	for ; rows.Next(); skip-- {
		if skip > 0 {
			continue
		}
		if err := rows.Scan(&a.Number, &a.BinIIN, &service, &subtype, &date, &conf); err != nil {
			return internal("read an act", err)
		}
		a.Service, a.Subtype, a.Confirmation = intern(service), intern(subtype), intern(conf)
		var ok bool
		if a.ServiceDate, ok = fastDate(date); !ok {
			return internal("read an act", errors.New("a date column is not YYYY-MM-DD"))
		}
		if err := fn(&a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return internal("read acts", err)
	}
	return nil
}

// newInterner returns a function that makes strings of bytes, sharing the few
// distinct values of code lists (at most 65,536 kept).
func newInterner() func([]byte) string {
	shared := map[string]string{}
	return func(b []byte) string {
		if v, ok := shared[string(b)]; ok {
			return v
		}
		v := string(b)
		if len(shared) < 1<<16 {
			shared[v] = v
		}
		return v
	}
}

// newStringInterner is newInterner for strings: the few distinct values of code
// lists shared (at most 65,536 kept).
func newStringInterner() func(string) string {
	shared := map[string]string{}
	return func(s string) string {
		if v, ok := shared[s]; ok {
			return v
		}
		v := strings.Clone(s)
		if len(shared) < 1<<16 {
			shared[v] = v
		}
		return v
	}
}

// fastDate reads the YYYY-MM-DD this store writes (empty: no date).
func fastDate[T ~string | ~[]byte](b T) (civil.Date, bool) {
	if len(b) == 0 {
		return 0, true
	}
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	n := func(b T) (int, bool) {
		v := 0
		for i := range len(b) {
			c := b[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := n(b[:4])
	m, ok2 := n(b[5:7])
	d, ok3 := n(b[8:])
	if !ok1 || !ok2 || !ok3 || !civil.Valid(y, time.Month(m), d) {
		return 0, false
	}
	return civil.D(y, time.Month(m), d), true
}
