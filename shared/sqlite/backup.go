package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Backup writes a consistent copy of the database to path, a new file (0600),
// while other connections and processes go on reading and writing: VACUUM INTO
// copies the database as one read transaction sees it, and in WAL mode a reader
// neither waits for writers nor makes them wait. The copy is one file, without
// a WAL, compacted.
func (s *Store) Backup(ctx context.Context, path string) error {
	if strings.ContainsAny(path, "?#") {
		return qoldau.Errorf(qoldau.Invalid, "sqlite: a backup path must be a file name without '?' or '#'")
	}
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return qoldau.Errorf(qoldau.Conflict, "sqlite: the backup file %s exists already", path)
	}
	// Created empty first, so it is 0600 whatever the umask (VACUUM INTO takes an
	// existing empty file).
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return internal("create the backup file", err)
	}
	f.Close()
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return internal("back up the database", err)
	}
	return nil
}

// Check opens the database file at path read-only and checks it (PRAGMA
// integrity_check and the schema version): a restore checks a backup before it
// replaces anything. Invalid names the first problem.
func Check(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return qoldau.E(qoldau.Invalid, texts.Text("backup-no-database"), err)
	}
	db, err := sql.Open("sqlite", path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return internal("open the backup", err)
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&result); err != nil || result != "ok" {
		if err == nil {
			err = errors.New(result)
		}
		return qoldau.E(qoldau.Invalid, texts.Text("backup-damaged-database"), err)
	}
	var have int
	err = db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE name = 'core'`).Scan(&have)
	if err != nil || have == 0 {
		return qoldau.E(qoldau.Invalid, texts.Text("backup-not-database"), err)
	}
	if have > len(coreMigrations) {
		return qoldau.E(qoldau.Invalid, texts.Text("backup-newer"),
			fmt.Errorf("schema core version %d, this program knows %d", have, len(coreMigrations)))
	}
	return nil
}
