// Package sqlite is the embedded default qoldau.Store: one SQLite database file
// (modernc.org/sqlite, pure Go) under the data folder.
//
// Every Row field has its own column in the rows table, so an analyst can open the
// file with sqlite3 and query it directly; reports read a version's rows from a
// packed copy instead (scan.go). Dates are TEXT YYYY-MM-DD (NULL when the
// register's cell did not parse), times TEXT in UTC with a fixed width
// (2006-01-02T15:04:05.000000000Z, so text order is time order), maps and code
// lists JSON. The schema is versioned in schema_migrations.
//
// The database runs in WAL mode with a busy timeout and foreign keys on; every
// write transaction starts with BEGIN IMMEDIATE, so several goroutines and several
// processes may use the same file: writers queue, readers never block.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/rowpack"
)

var _ qoldau.Store = (*Store)(nil)

// BusyTimeout is how long a write waits for another connection or process holding
// the write lock before it fails.
const BusyTimeout = 30 * time.Second

// Store is a qoldau.Store in one SQLite file. It is safe for concurrent use.
type Store struct {
	db *sql.DB

	// failAfter, when positive, makes PutVersion fail after writing that many rows
	// (tests: a failure halfway must leave nothing visible).
	failAfter int
}

// Open opens (creating when needed, with its folder) the database file at path and
// brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, qoldau.Errorf(qoldau.Invalid, "sqlite: the database path must be a file name without '?' or '#'")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, internal("create the data folder", err)
		}
	}
	// The database holds personal data: created 0600 (SQLite gives its -wal and
	// -shm files the database's mode).
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, fs.ErrPermission) {
		return nil, internal("create the database", err)
	}
	dsn := path + "?" + strings.Join([]string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", BusyTimeout.Milliseconds()),
		"_pragma=foreign_keys(1)",
		"_pragma=journal_mode(WAL)",
		"_pragma=synchronous(NORMAL)",
		"_txlock=immediate",
	}, "&")
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, internal("open the database", err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := migrate(ctx, db); err != nil {
		db.Close()
		if readOnly(err) {
			return nil, qoldau.ReadOnly(filepath.Dir(path), err)
		}
		return nil, internal("prepare the database schema", err)
	}
	return &Store{db: db}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return internal("close the database", err)
	}
	return nil
}

const versionColumns = `period, version, sha256, file_name, size, kind, received, recorded,
	backfill, file_error, rows_read, rows_accepted, rows_rejected, rows_warned, counts,
	row_count, actor`

const rowColumns = `row, region, settlement, service_place, centre, enterprise_name,
	client_name, bin_iin, gender, birth_date, age, disability, legal_form, category,
	oked_section, oked_code, service, service_subtype, manager_name, start_date, end_date,
	work_phone, mobile_phone, email, online, client_key, enterprise_key, errors, warnings,
	codes`

var insertRowSQL = `INSERT INTO rows (period, version, seq, ` + rowColumns + `) VALUES (` +
	strings.TrimSuffix(strings.Repeat("?, ", 33), ", ") + `)`

// PutVersion stores v and its rows in one transaction.
func (s *Store) PutVersion(ctx context.Context, v *qoldau.Version, rows qoldau.RowSeq) error {
	if v == nil || v.Number < 1 {
		return qoldau.Errorf(qoldau.Invalid, "a register version needs a number from 1")
	}
	counts, err := json.Marshal(v.Counts)
	if err != nil {
		return internal("encode the version", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("begin storing the version", err)
	}
	defer tx.Rollback()
	period := v.Period.String()
	_, err = tx.ExecContext(ctx, `INSERT INTO versions (`+versionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		period, v.Number, v.SHA256, v.FileName, v.Size, v.Kind,
		formatTime(v.Received), formatTime(v.Recorded), v.Backfill, v.FileError,
		v.Rows.Read, v.Rows.Accepted, v.Rows.Rejected, v.Rows.Warned, string(counts),
		v.RowCount, v.Actor)
	if err != nil {
		if isUnique(err) {
			return qoldau.Errorf(qoldau.Conflict, "register %s already has version %d", period, v.Number)
		}
		return internal("store the version", err)
	}
	stmt, err := tx.PrepareContext(ctx, insertRowSQL)
	if err != nil {
		return internal("store the rows", err)
	}
	defer stmt.Close()
	args := make([]any, 33)
	packStmt, err := tx.PrepareContext(ctx, `INSERT INTO rowpacks (period, version, chunk, data) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return internal("store the rows", err)
	}
	defer packStmt.Close()
	chunks := &chunkWriter{ctx: context.Background(), stmt: packStmt, period: period, version: v.Number}
	pack := rowpack.NewWriter(chunks)
	// Each statement runs without the caller's context (a cancellable context
	// costs a watcher per statement); the context is checked every few rows instead.
	bg := context.Background()
	if rows == nil {
		rows = qoldau.RowsOf(nil)
	}
	i := 0
	err = rows(func(r *qoldau.Row) error {
		defer func() { i++ }()
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return internal("store the rows", err)
			}
		}
		if s.failAfter > 0 && i == s.failAfter {
			return internal("store the rows", errInjected)
		}
		var codes any
		if len(r.Codes) > 0 {
			b, err := json.Marshal(r.Codes)
			if err != nil {
				return internal("encode a row", err)
			}
			codes = string(b)
		}
		args[0], args[1], args[2] = period, v.Number, i
		args[3], args[4], args[5], args[6], args[7] = r.Num, r.Region, r.Settlement, r.Place, r.Centre
		args[8], args[9], args[10], args[11] = r.Enterprise, r.ClientName, r.BinIIN, r.Gender
		args[12], args[13], args[14] = nullDate(r.BirthDate), r.Age, r.Disability
		args[15], args[16], args[17], args[18] = r.LegalForm, r.Category, r.OKEDSection, r.OKEDCode
		args[19], args[20], args[21] = r.Service, r.Subtype, r.Manager
		args[22], args[23] = nullDate(r.StartDate), nullDate(r.EndDate)
		args[24], args[25], args[26], args[27] = r.WorkPhone, r.Mobile, r.Email, r.Online
		args[28], args[29], args[30], args[31], args[32] = r.ClientKey, r.EnterpriseKey, r.Errors, r.Warnings, codes
		if err := pack.Add(r); err != nil {
			return err
		}
		if _, err := stmt.ExecContext(bg, args...); err != nil {
			// The cause names no row content: SQLite reports the constraint only.
			return internal("store the rows", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := pack.Close(); err != nil {
		return internal("store the rows", err)
	}
	if err := chunks.flush(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE versions SET row_count = ? WHERE period = ? AND version = ?`, i, period, v.Number); err != nil {
		return internal("store the version", err)
	}
	if err := bumpInputs(ctx, tx); err != nil {
		return internal("store the version", err)
	}
	v.RowCount = i
	if err := tx.Commit(); err != nil {
		return internal("commit the version", err)
	}
	return nil
}

// Versions lists a period's versions by number.
func (s *Store) Versions(ctx context.Context, period civil.Month) ([]qoldau.Version, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+versionColumns+` FROM versions
		WHERE period = ? ORDER BY version`, period.String())
	if err != nil {
		return nil, internal("list versions", err)
	}
	defer rows.Close()
	var out []qoldau.Version
	for rows.Next() {
		var (
			v                  qoldau.Version
			p, recv, rec, cnts string
		)
		if err := rows.Scan(&p, &v.Number, &v.SHA256, &v.FileName, &v.Size, &v.Kind, &recv, &rec,
			&v.Backfill, &v.FileError, &v.Rows.Read, &v.Rows.Accepted, &v.Rows.Rejected,
			&v.Rows.Warned, &cnts, &v.RowCount, &v.Actor); err != nil {
			return nil, internal("read a version", err)
		}
		v.Period = period
		if v.Received, err = parseTime(recv); err == nil {
			if v.Recorded, err = parseTime(rec); err == nil {
				err = json.Unmarshal([]byte(cnts), &v.Counts)
			}
		}
		if err != nil {
			return nil, internal("read a version", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("list versions", err)
	}
	return out, nil
}

// Periods lists every period with a version, in order.
func (s *Store) Periods(ctx context.Context) ([]civil.Month, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT period FROM versions ORDER BY period`)
	if err != nil {
		return nil, internal("list periods", err)
	}
	defer rows.Close()
	var out []civil.Month
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, internal("read a period", err)
		}
		m, err := parseMonth(p)
		if err != nil {
			return nil, internal("read a period", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("list periods", err)
	}
	return out, nil
}

// Rows streams a version's rows in order inside one read transaction; each call of
// fn gets a new *Row it may keep.
func (s *Store) Rows(ctx context.Context, period civil.Month, version int, fn func(*qoldau.Row) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return internal("read rows", err)
	}
	defer tx.Rollback()
	rows, err := versionRows(ctx, tx, period, version, rowColumns)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		r := new(qoldau.Row)
		var birth, start, end, codes sql.NullString
		if err := rows.Scan(&r.Num, &r.Region, &r.Settlement, &r.Place, &r.Centre, &r.Enterprise,
			&r.ClientName, &r.BinIIN, &r.Gender, &birth, &r.Age, &r.Disability, &r.LegalForm,
			&r.Category, &r.OKEDSection, &r.OKEDCode, &r.Service, &r.Subtype, &r.Manager,
			&start, &end, &r.WorkPhone, &r.Mobile, &r.Email, &r.Online, &r.ClientKey,
			&r.EnterpriseKey, &r.Errors, &r.Warnings, &codes); err != nil {
			return internal("read a row", err)
		}
		if r.BirthDate, err = scanDate(birth); err == nil {
			if r.StartDate, err = scanDate(start); err == nil {
				if r.EndDate, err = scanDate(end); err == nil && codes.Valid {
					err = json.Unmarshal([]byte(codes.String), &r.Codes)
				}
			}
		}
		if err != nil {
			return internal("read a row", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return internal("read rows", err)
	}
	return nil
}

const letterColumns = `id, period, version, drafted, send_due, sent, sent_by, correction_due, errors, files,
	number, received`

// PutLetter stores a new letter; Conflict when its ID exists.
func (s *Store) PutLetter(ctx context.Context, l *qoldau.Letter) error {
	if err := qoldau.CheckLetterID(l); err != nil {
		return err
	}
	errs, err := json.Marshal(l.Errors)
	if err != nil {
		return internal("encode the letter", err)
	}
	files, err := json.Marshal(l.Files)
	if err != nil {
		return internal("encode the letter", err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("store the letter", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO letters (`+letterColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.ID, l.Period.String(), l.Version, formatTime(l.Drafted), l.SendDue.String(), nullTime(l.Sent),
		l.SentBy, nullDate(l.CorrectionDue), string(errs), string(files), l.Number, nullTime(l.Received))
	if err != nil {
		if isUnique(err) {
			return qoldau.Errorf(qoldau.Conflict, "letter %s exists already", l.ID)
		}
		return internal("store the letter", err)
	}
	if err := bumpInputs(ctx, tx); err != nil {
		return internal("store the letter", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("store the letter", err)
	}
	return nil
}

// SendLetter records the sending of a letter; the first send stands.
func (s *Store) SendLetter(ctx context.Context, id string, snd qoldau.Sending) (*qoldau.Letter, error) {
	if snd.At.IsZero() {
		return nil, qoldau.Errorf(qoldau.Invalid, "a letter's sending needs a time")
	}
	if err := qoldau.CheckStorable(&snd); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, internal("record the letter's sending", err)
	}
	defer tx.Rollback()
	l, err := letter(tx.QueryRowContext(ctx, `SELECT `+letterColumns+` FROM letters WHERE id = ?`, id))
	if err != nil {
		return nil, err
	}
	if l.IsSent() {
		return nil, qoldau.Errorf(qoldau.Conflict, "letter %s was sent already", id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE letters SET sent = ?, sent_by = ?, correction_due = ?, number = ?,
		received = ? WHERE id = ?`,
		formatTime(snd.At), snd.By, nullDate(snd.CorrectionDue), snd.Number, nullTime(snd.Received), id); err != nil {
		return nil, internal("record the letter's sending", err)
	}
	if err := bumpInputs(ctx, tx); err != nil {
		return nil, internal("record the letter's sending", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, internal("record the letter's sending", err)
	}
	l.Sent, l.SentBy, l.CorrectionDue, l.Number = snd.At.UTC(), snd.By, snd.CorrectionDue, snd.Number
	if !snd.Received.IsZero() {
		l.Received = snd.Received.UTC()
	}
	return l, nil
}

// Letter returns one letter; NotFound when unknown.
func (s *Store) Letter(ctx context.Context, id string) (*qoldau.Letter, error) {
	return letter(s.db.QueryRowContext(ctx, `SELECT `+letterColumns+` FROM letters WHERE id = ?`, id))
}

// Letters lists letters of a period (all when period is 0) by period, version, ID.
func (s *Store) Letters(ctx context.Context, period civil.Month) ([]qoldau.Letter, error) {
	q := `SELECT ` + letterColumns + ` FROM letters`
	var args []any
	if period != 0 {
		q += ` WHERE period = ?`
		args = append(args, period.String())
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY period, version, id`, args...)
	if err != nil {
		return nil, internal("list letters", err)
	}
	defer rows.Close()
	var out []qoldau.Letter
	for rows.Next() {
		l, err := letter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *l)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("list letters", err)
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

func letter(sc scanner) (*qoldau.Letter, error) {
	var (
		l                        qoldau.Letter
		period, drafted, sendDue string
		sent, corr, received     sql.NullString
		errs, files              string
	)
	err := sc.Scan(&l.ID, &period, &l.Version, &drafted, &sendDue, &sent, &l.SentBy, &corr, &errs, &files,
		&l.Number, &received)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, qoldau.Errorf(qoldau.NotFound, "no letter with that ID")
	}
	if err != nil {
		return nil, internal("read a letter", err)
	}
	if l.Period, err = parseMonth(period); err == nil {
		if l.Drafted, err = parseTime(drafted); err == nil {
			if l.SendDue, err = civil.Parse(sendDue); err == nil {
				if l.CorrectionDue, err = scanDate(corr); err == nil {
					if sent.Valid {
						l.Sent, err = parseTime(sent.String)
					}
					if received.Valid && err == nil {
						l.Received, err = parseTime(received.String)
					}
				}
			}
		}
	}
	if err == nil {
		if err = json.Unmarshal([]byte(errs), &l.Errors); err == nil {
			err = json.Unmarshal([]byte(files), &l.Files)
		}
	}
	if err != nil {
		return nil, internal("read a letter", err)
	}
	return &l, nil
}

// PutActs stores new act lines in one transaction and counts them.
func (s *Store) PutActs(ctx context.Context, acts []qoldau.Act) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, internal("store acts", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO acts (key, act_number, act_date, bin_iin,
		service, service_subtype, service_date, confirmation, source, line)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`)
	if err != nil {
		return 0, internal("store acts", err)
	}
	defer stmt.Close()
	added := 0
	for i := range acts {
		a := &acts[i]
		res, err := stmt.ExecContext(ctx, a.Key(), a.Number, nullDate(a.Date), a.BinIIN, a.Service,
			a.Subtype, nullDate(a.ServiceDate), a.Confirmation, a.Source, a.Line)
		if err != nil {
			return 0, internal("store acts", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, internal("store acts", err)
		}
		added += int(n)
	}
	if err := bumpInputs(ctx, tx); err != nil {
		return 0, internal("store acts", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, internal("store acts", err)
	}
	return added, nil
}

// Acts streams every act line ordered by Key.
func (s *Store) Acts(ctx context.Context, fn func(*qoldau.Act) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT act_number, act_date, bin_iin, service,
		service_subtype, service_date, confirmation, source, line FROM acts ORDER BY key`)
	if err != nil {
		return internal("read acts", err)
	}
	defer rows.Close()
	for rows.Next() {
		a := new(qoldau.Act)
		var date, sdate sql.NullString
		if err := rows.Scan(&a.Number, &date, &a.BinIIN, &a.Service, &a.Subtype, &sdate,
			&a.Confirmation, &a.Source, &a.Line); err != nil {
			return internal("read an act", err)
		}
		if a.Date, err = scanDate(date); err == nil {
			a.ServiceDate, err = scanDate(sdate)
		}
		if err != nil {
			return internal("read an act", err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return internal("read acts", err)
	}
	return nil
}

// Append adds an entry to the audit log.
func (s *Store) Append(ctx context.Context, e qoldau.AuditEntry) error {
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return internal("encode an audit entry", err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO audit (time, actor, action, subject, detail)
		VALUES (?, ?, ?, ?, ?)`, formatTime(e.Time), e.Actor, e.Action, e.Subject, string(detail)); err != nil {
		return internal("append to the audit log", err)
	}
	return nil
}

// Audit lists entries from since on, oldest first (ties in the order appended), at
// most limit (0: all).
func (s *Store) Audit(ctx context.Context, since time.Time, limit int) ([]qoldau.AuditEntry, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT time, actor, action, subject, detail FROM audit
		WHERE time >= ? ORDER BY time, id LIMIT ?`, formatTime(since), limit)
	if err != nil {
		return nil, internal("read the audit log", err)
	}
	defer rows.Close()
	var out []qoldau.AuditEntry
	for rows.Next() {
		var (
			e          qoldau.AuditEntry
			ts, detail string
		)
		if err := rows.Scan(&ts, &e.Actor, &e.Action, &e.Subject, &detail); err != nil {
			return nil, internal("read the audit log", err)
		}
		if e.Time, err = parseTime(ts); err == nil {
			err = json.Unmarshal([]byte(detail), &e.Detail)
		}
		if err != nil {
			return nil, internal("read the audit log", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read the audit log", err)
	}
	return out, nil
}

// Claim records key once; claims never expire in the file.
func (s *Store) Claim(ctx context.Context, key string, at time.Time) (bool, error) {
	if key == "" {
		return false, qoldau.Errorf(qoldau.Invalid, "a claim needs a key")
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO claims (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		key, formatTime(at))
	if err != nil {
		return false, internal("claim", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, internal("claim", err)
	}
	return n == 1, nil
}

// Release removes a claim.
func (s *Store) Release(ctx context.Context, key string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM claims WHERE key = ?`, key); err != nil {
		return internal("release a claim", err)
	}
	return nil
}

var errInjected = errors.New("sqlite: injected failure")

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint violation.
func isUnique(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	c := e.Code()
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func internal(what string, err error) error {
	if readOnly(err) {
		return qoldau.ReadOnly("", fmt.Errorf("sqlite: %s: %w", what, err))
	}
	return &qoldau.Error{
		Code:    qoldau.Internal,
		Message: texts.Text("database-error"),
		Err:     fmt.Errorf("sqlite: %s: %w", what, err),
	}
}

// readOnly reports a failure to write the database or its folder: SQLite's
// READONLY, CANTOPEN (the -wal cannot be made) or PERM, or the file system's
// permission and read-only errors.
func readOnly(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
			return true
		}
	}
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// timeLayout is RFC 3339 in UTC with a fixed width, so text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// nullDate stores the zero date (a cell that did not parse) as NULL.
func nullDate(d civil.Date) any {
	if d == 0 {
		return nil
	}
	return d.String()
}

func scanDate(s sql.NullString) (civil.Date, error) {
	if !s.Valid {
		return 0, nil
	}
	return civil.Parse(s.String)
}

// parseMonth reads the YYYY-MM that civil.Month.String wrote, for any year.
func parseMonth(s string) (civil.Month, error) {
	var y, m int
	if _, err := fmt.Sscanf(s, "%d-%d", &y, &m); err != nil || m < 1 || m > 12 {
		return 0, fmt.Errorf("bad period %q", s)
	}
	return civil.MonthOf(y, time.Month(m)), nil
}

// versionRows queries the given columns of a version's rows in order; NotFound when
// the version does not exist.
func versionRows(ctx context.Context, tx *sql.Tx, period civil.Month, version int, columns string) (*sql.Rows, error) {
	p := period.String()
	var one int
	switch err := tx.QueryRowContext(ctx, `SELECT 1 FROM versions WHERE period = ? AND version = ?`, p, version).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, qoldau.Errorf(qoldau.NotFound, "register %s has no version %d", p, version)
	case err != nil:
		return nil, internal("read rows", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+columns+` FROM rows WHERE period = ? AND version = ? ORDER BY seq`, p, version)
	if err != nil {
		return nil, internal("read rows", err)
	}
	return rows, nil
}
