package sqlite

import (
	"context"
	"database/sql"
	"io"

	"github.com/qoldau/qoldau/shared/civil"
)

// A version's rows are also kept as one rowpack stream (shared/rowpack, the form
// the DynamoDB store keeps them in) cut into chunks in the table rowpacks: the
// driver's cost is per column and per row (about 0.8 µs a column a row, most of a
// report's time over a million rows), and the stream, columns compressed apart,
// reads a report's fields from a few hundred blobs at about 80 bytes a row. The
// rows table stays the record an analyst queries; a version stored before the
// streams has none, and ScanRows reads its columns instead.

// chunkSize is the size of a stream's chunks.
const chunkSize = 1 << 20

func init() {
	addMigrations("scan",
		// 1: a packed copy of each row (replaced by 2).
		`ALTER TABLE rows ADD COLUMN scan BLOB;`,
		// 2: each version's rows as one rowpack stream, in chunks.
		`ALTER TABLE rows DROP COLUMN scan;
CREATE TABLE rowpacks (
	period  TEXT    NOT NULL,
	version INTEGER NOT NULL,
	chunk   INTEGER NOT NULL,          -- 0, 1, 2 … in stream order
	data    BLOB    NOT NULL,
	PRIMARY KEY (period, version, chunk),
	FOREIGN KEY (period, version) REFERENCES versions (period, version)
) WITHOUT ROWID;`)
}

// chunkWriter cuts a stream into chunks of a version, inserted as they fill.
type chunkWriter struct {
	ctx     context.Context
	stmt    *sql.Stmt
	period  string
	version int
	n       int
	buf     []byte
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for len(w.buf) >= chunkSize {
		if err := w.put(w.buf[:chunkSize]); err != nil {
			return 0, err
		}
		w.buf = append(w.buf[:0], w.buf[chunkSize:]...)
	}
	return len(p), nil
}

// flush inserts what is left.
func (w *chunkWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	err := w.put(w.buf)
	w.buf = w.buf[:0]
	return err
}

func (w *chunkWriter) put(b []byte) error {
	if _, err := w.stmt.ExecContext(w.ctx, w.period, w.version, w.n, b); err != nil {
		return internal("store the rows", err)
	}
	w.n++
	return nil
}

// chunkReader reads a version's stream back, one chunk at a time: the driver's
// bytes (sql.RawBytes, valid until the next chunk is asked for), not a copy.
type chunkReader struct {
	rows *sql.Rows
	cur  sql.RawBytes
	read int // chunks read
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if !r.rows.Next() {
			if err := r.rows.Err(); err != nil {
				return 0, err
			}
			return 0, io.EOF
		}
		if err := r.rows.Scan(&r.cur); err != nil {
			return 0, err
		}
		r.read++
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// openChunks opens the stream of a version (its first chunk read: read == 0 after
// it means the version has no stream).
func openChunks(ctx context.Context, tx *sql.Tx, period civil.Month, version int) (*chunkReader, error) {
	rows, err := tx.QueryContext(ctx, `SELECT data FROM rowpacks WHERE period = ? AND version = ? ORDER BY chunk`,
		period.String(), version)
	if err != nil {
		return nil, internal("read rows", err)
	}
	r := &chunkReader{rows: rows}
	if _, err := r.Read(nil); err != nil && err != io.EOF {
		rows.Close()
		return nil, internal("read rows", err)
	}
	return r, nil
}
