package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Migrations come in named sets (the core, and one per feature: surveys, access,
// reports …), each applied in order, each entry once, and recorded in
// schema_migrations; a change to the schema is a new entry at the end of its set,
// never an edit of an old one. A feature's file registers its set with
// addMigrations from init.
var migrationSets = map[string][]string{"core": coreMigrations}

// addMigrations registers a feature's migration set.
func addMigrations(set string, m ...string) {
	if _, dup := migrationSets[set]; dup {
		panic("sqlite: migration set " + set + " registered twice")
	}
	migrationSets[set] = m
}

var coreMigrations = []string{
	// 1: registers, rows, letters, acts, audit log, claims.
	`
CREATE TABLE versions (
	period        TEXT    NOT NULL,          -- YYYY-MM
	version       INTEGER NOT NULL,          -- 1, 2, 3 … within the period
	sha256        TEXT    NOT NULL,
	file_name     TEXT    NOT NULL,
	size          INTEGER NOT NULL,
	kind          TEXT    NOT NULL,          -- xlsx | csv | '' (unreadable)
	received      TEXT    NOT NULL,          -- UTC, fixed-width RFC 3339
	recorded      TEXT    NOT NULL,
	backfill      INTEGER NOT NULL,
	file_error    INTEGER NOT NULL,
	rows_read     INTEGER NOT NULL,
	rows_accepted INTEGER NOT NULL,
	rows_rejected INTEGER NOT NULL,
	rows_warned   INTEGER NOT NULL,
	counts        TEXT    NOT NULL,          -- JSON object: findings by code
	row_count     INTEGER NOT NULL,
	actor         TEXT    NOT NULL,
	PRIMARY KEY (period, version)
) WITHOUT ROWID;

CREATE TABLE rows (
	period          TEXT    NOT NULL,
	version         INTEGER NOT NULL,
	seq             INTEGER NOT NULL,        -- 0-based position in the version
	row             INTEGER NOT NULL,        -- Excel row or CSV line
	region          TEXT    NOT NULL,
	settlement      TEXT    NOT NULL,
	service_place   TEXT    NOT NULL,
	centre          TEXT    NOT NULL,
	enterprise_name TEXT    NOT NULL,
	client_name     TEXT    NOT NULL,
	bin_iin         TEXT    NOT NULL,
	gender          TEXT    NOT NULL,
	birth_date      TEXT,                    -- YYYY-MM-DD; NULL when it did not parse
	age             INTEGER NOT NULL,
	disability      INTEGER NOT NULL,
	legal_form      TEXT    NOT NULL,
	category        TEXT    NOT NULL,
	oked_section    TEXT    NOT NULL,
	oked_code       TEXT    NOT NULL,
	service         TEXT    NOT NULL,
	service_subtype TEXT    NOT NULL,
	manager_name    TEXT    NOT NULL,
	start_date      TEXT,
	end_date        TEXT,
	work_phone      TEXT    NOT NULL,
	mobile_phone    TEXT    NOT NULL,
	email           TEXT    NOT NULL,
	online          INTEGER NOT NULL,
	client_key      TEXT    NOT NULL,
	enterprise_key  TEXT    NOT NULL,
	errors          INTEGER NOT NULL,
	warnings        INTEGER NOT NULL,
	codes           TEXT,                    -- JSON array of finding codes, errors first
	PRIMARY KEY (period, version, seq),
	FOREIGN KEY (period, version) REFERENCES versions (period, version)
);

CREATE TABLE letters (
	id             TEXT    NOT NULL PRIMARY KEY,
	period         TEXT    NOT NULL,
	version        INTEGER NOT NULL,
	drafted        TEXT    NOT NULL,
	send_due       TEXT    NOT NULL,
	sent           TEXT,                     -- NULL until sent
	sent_by        TEXT    NOT NULL,
	correction_due TEXT,
	errors         TEXT    NOT NULL,         -- JSON object: error findings by code
	files          TEXT    NOT NULL          -- JSON object: format → blob key
);
CREATE INDEX letters_period ON letters (period, version, id);

CREATE TABLE acts (
	key            TEXT    NOT NULL PRIMARY KEY, -- Act.Key()
	act_number     TEXT    NOT NULL,
	act_date       TEXT,
	bin_iin        TEXT    NOT NULL,
	service        TEXT    NOT NULL,
	service_subtype TEXT   NOT NULL,
	service_date   TEXT,
	confirmation   TEXT    NOT NULL,
	source         TEXT    NOT NULL,
	line           INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	time    TEXT    NOT NULL,
	actor   TEXT    NOT NULL,
	action  TEXT    NOT NULL,
	subject TEXT    NOT NULL,
	detail  TEXT    NOT NULL                 -- JSON object
);
CREATE INDEX audit_time ON audit (time, id);

CREATE TABLE claims (
	key TEXT NOT NULL PRIMARY KEY,
	at  TEXT NOT NULL
) WITHOUT ROWID;
`,
	// 2: a letter's outgoing number and receipt time (clause 9).
	`
ALTER TABLE letters ADD COLUMN number TEXT NOT NULL DEFAULT '';
ALTER TABLE letters ADD COLUMN received TEXT;  -- NULL: received when sent
`,
}

// migrate brings the schema up to date in one immediate transaction, so two
// processes opening a new file at once apply each migration once.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name    TEXT    NOT NULL,
		version INTEGER NOT NULL,
		applied TEXT    NOT NULL,
		PRIMARY KEY (name, version)
	)`); err != nil {
		return err
	}
	names := make([]string, 0, len(migrationSets))
	for n := range migrationSets {
		names = append(names, n)
	}
	sort.Strings(names)
	sort.SliceStable(names, func(i, j int) bool { return names[i] == "core" && names[j] != "core" })
	for _, name := range names {
		set := migrationSets[name]
		var have int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE name = ?`, name).Scan(&have); err != nil {
			return err
		}
		if have > len(set) {
			return fmt.Errorf("database schema %s version %d is newer than this program's %d", name, have, len(set))
		}
		for i := have; i < len(set); i++ {
			if _, err := tx.ExecContext(ctx, set[i]); err != nil {
				return fmt.Errorf("migration %s %d: %w", name, i+1, err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, version, applied) VALUES (?, ?, ?)`,
				name, i+1, formatTime(time.Now())); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}
