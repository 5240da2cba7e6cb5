package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

func init() {
	addMigrations("records",
		// 1: the inputs' revision and the period records computed at one.
		`
CREATE TABLE inputs (
	id       INTEGER PRIMARY KEY CHECK (id = 1),
	revision INTEGER NOT NULL
);
INSERT INTO inputs (id, revision) VALUES (1, 0);
CREATE TABLE period_records (
	period   TEXT    NOT NULL PRIMARY KEY, -- YYYY-MM
	revision INTEGER NOT NULL,
	data     TEXT    NOT NULL              -- JSON qoldau.PeriodRecord
) WITHOUT ROWID;
`)
}

// execer is a transaction or the database.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// bumpInputs raises the inputs' revision, inside the write that changes them.
func bumpInputs(ctx context.Context, tx execer) error {
	_, err := tx.ExecContext(ctx, `UPDATE inputs SET revision = revision + 1 WHERE id = 1`)
	return err
}

// InputsRevision returns the inputs' revision.
func (s *Store) InputsRevision(ctx context.Context) (int64, error) {
	var rev int64
	if err := s.db.QueryRowContext(ctx, `SELECT revision FROM inputs WHERE id = 1`).Scan(&rev); err != nil {
		return 0, internal("read the inputs' revision", err)
	}
	return rev, nil
}

// PutPeriodRecords stores records in one transaction; a stored record of a later
// revision stands.
func (s *Store) PutPeriodRecords(ctx context.Context, rs []qoldau.PeriodRecord) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("store period records", err)
	}
	defer tx.Rollback()
	for i := range rs {
		data, err := json.Marshal(&rs[i])
		if err != nil {
			return internal("encode a period record", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO period_records (period, revision, data) VALUES (?, ?, ?)
			ON CONFLICT (period) DO UPDATE SET revision = excluded.revision, data = excluded.data
			WHERE excluded.revision >= period_records.revision`,
			rs[i].Period.String(), rs[i].Revision, string(data)); err != nil {
			return internal("store period records", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return internal("store period records", err)
	}
	return nil
}

// PeriodRecord reads a period's record and the inputs' revision in one read
// transaction.
func (s *Store) PeriodRecord(ctx context.Context, p civil.Month) (*qoldau.PeriodRecord, int64, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, 0, internal("read a period record", err)
	}
	defer tx.Rollback()
	var rev int64
	if err := tx.QueryRowContext(ctx, `SELECT revision FROM inputs WHERE id = 1`).Scan(&rev); err != nil {
		return nil, 0, internal("read the inputs' revision", err)
	}
	var data string
	err = tx.QueryRowContext(ctx, `SELECT data FROM period_records WHERE period = ?`, p.String()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rev, nil
	}
	if err != nil {
		return nil, 0, internal("read a period record", err)
	}
	var r qoldau.PeriodRecord
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return nil, 0, internal("read a period record", err)
	}
	return &r, rev, nil
}
