package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
)

var _ qoldau.AccessStore = (*Store)(nil)

func init() {
	addMigrations("access",
		// 1: staff users with their hashed API keys.
		`
CREATE TABLE users (
	name     TEXT NOT NULL PRIMARY KEY,
	role     TEXT NOT NULL,             -- operator | agency | admin
	key_hash TEXT NOT NULL UNIQUE,      -- hex SHA-256 of the API key
	email    TEXT NOT NULL,
	created  TEXT NOT NULL
) WITHOUT ROWID;
`,
		// 2: console passwords, sessions and failed sign-ins.
		`
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN password_set  TEXT;
CREATE TABLE sessions (
	id_hash TEXT NOT NULL PRIMARY KEY,  -- hex SHA-256 of the cookie's token
	user    TEXT NOT NULL,
	csrf    TEXT NOT NULL,
	created TEXT NOT NULL,
	expires TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expires ON sessions (expires);
CREATE TABLE login_failures (
	name  TEXT NOT NULL PRIMARY KEY,
	count INTEGER NOT NULL,
	last  TEXT NOT NULL
) WITHOUT ROWID;
`)
}

// PutUser stores a new user; the same user again is a no-op; Conflict when the
// name or the key hash is another's.
func (s *Store) PutUser(ctx context.Context, u *qoldau.User) error {
	if err := qoldau.CheckUser(u); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO users (name, role, key_hash, email, created, password_hash, password_set)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		u.Name, string(u.Role), u.KeyHash, u.Email, formatTime(u.Created), u.PasswordHash, nullTime(u.PasswordSet))
	if err != nil {
		if isUnique(err) {
			if got, gerr := s.User(ctx, u.Name); gerr == nil && u.Stored(got) {
				return nil // the same user again: writes are idempotent
			}
			return qoldau.E(qoldau.Conflict, texts.Text("user-exists-already"), nil)
		}
		return internal("store a user", err)
	}
	return nil
}

// UserByKeyHash returns the user with that key hash; NotFound when none.
func (s *Store) UserByKeyHash(ctx context.Context, hash string) (*qoldau.User, error) {
	if !qoldau.ValidKeyHash(hash) {
		return nil, userNotFound()
	}
	us, err := s.users(ctx, `WHERE key_hash = ?`, hash)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, userNotFound()
	}
	return &us[0], nil
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]qoldau.User, error) {
	return s.users(ctx, `ORDER BY name`)
}

func (s *Store) users(ctx context.Context, where string, args ...any) ([]qoldau.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, role, key_hash, email, created, password_hash, password_set FROM users `+where, args...)
	if err != nil {
		return nil, internal("read users", err)
	}
	defer rows.Close()
	var out []qoldau.User
	for rows.Next() {
		var (
			u       qoldau.User
			role    string
			created string
			pwSet   sql.NullString
		)
		if err := rows.Scan(&u.Name, &role, &u.KeyHash, &u.Email, &created, &u.PasswordHash, &pwSet); err != nil {
			return nil, internal("read a user", err)
		}
		u.Role = qoldau.Role(strings.TrimSpace(role))
		if u.Created, err = parseTime(created); err != nil {
			return nil, internal("read a user", err)
		}
		if pwSet.Valid {
			if u.PasswordSet, err = parseTime(pwSet.String); err != nil {
				return nil, internal("read a user", err)
			}
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read users", err)
	}
	return out, nil
}

func userNotFound() error {
	return qoldau.E(qoldau.NotFound, texts.Text("user-not-found"), nil)
}

// User returns the user of that name; NotFound when none.
func (s *Store) User(ctx context.Context, name string) (*qoldau.User, error) {
	us, err := s.users(ctx, `WHERE name = ?`, name)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, userNotFound()
	}
	return &us[0], nil
}

// SetUser updates the user's role, e-mail and password; NotFound when absent.
func (s *Store) SetUser(ctx context.Context, u *qoldau.User) error {
	if u == nil {
		return qoldau.CheckUser(u)
	}
	check := *u
	check.KeyHash = strings.Repeat("0", 64) // the stored key stays
	if err := qoldau.CheckUser(&check); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE users SET role = ?, email = ?, password_hash = ?, password_set = ? WHERE name = ?`,
		string(u.Role), u.Email, u.PasswordHash, nullTime(u.PasswordSet), u.Name)
	if err != nil {
		return internal("update a user", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("update a user", err)
	} else if n == 0 {
		return userNotFound()
	}
	return nil
}

// PutSession stores a session, and removes sessions that expired a day ago.
func (s *Store) PutSession(ctx context.Context, ss *qoldau.Session) error {
	if err := qoldau.CheckSession(ss); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires < ?`, formatTime(ss.Created.Add(-24*time.Hour))); err != nil {
		return internal("remove expired sessions", err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions (id_hash, user, csrf, created, expires) VALUES (?, ?, ?, ?, ?)`,
		ss.IDHash, ss.User, ss.CSRF, formatTime(ss.Created), formatTime(ss.Expires))
	if isUnique(err) {
		return qoldau.Errorf(qoldau.Conflict, "the session exists")
	}
	if err != nil {
		return internal("store a session", err)
	}
	return nil
}

// Session returns an unexpired session; NotFound otherwise.
func (s *Store) Session(ctx context.Context, idHash string, now time.Time) (*qoldau.Session, error) {
	if !qoldau.ValidKeyHash(idHash) {
		return nil, sessionNotFound()
	}
	var (
		ss               = qoldau.Session{IDHash: idHash}
		created, expires string
	)
	err := s.db.QueryRowContext(ctx, `SELECT user, csrf, created, expires FROM sessions WHERE id_hash = ?`, idHash).
		Scan(&ss.User, &ss.CSRF, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sessionNotFound()
	}
	if err != nil {
		return nil, internal("read a session", err)
	}
	if ss.Created, err = parseTime(created); err == nil {
		ss.Expires, err = parseTime(expires)
	}
	if err != nil {
		return nil, internal("read a session", err)
	}
	if !now.Before(ss.Expires) {
		return nil, sessionNotFound()
	}
	return &ss, nil
}

// DeleteSession removes a session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, idHash); err != nil {
		return internal("remove a session", err)
	}
	return nil
}

// LoginFailed counts a failed sign-in in one statement (an upsert).
func (s *Store) LoginFailed(ctx context.Context, name string, at time.Time) (qoldau.LoginFailures, error) {
	var (
		f    qoldau.LoginFailures
		last string
	)
	err := s.db.QueryRowContext(ctx, `INSERT INTO login_failures (name, count, last) VALUES (?, 1, ?)
		ON CONFLICT (name) DO UPDATE SET count = count + 1, last = max(last, excluded.last)
		RETURNING count, last`, name, formatTime(at)).Scan(&f.Count, &last)
	if err == nil {
		f.Last, err = parseTime(last)
	}
	if err != nil {
		return f, internal("count a failed sign-in", err)
	}
	return f, nil
}

// LoginFailures returns the failures counted for name.
func (s *Store) LoginFailures(ctx context.Context, name string) (qoldau.LoginFailures, error) {
	var (
		f    qoldau.LoginFailures
		last string
	)
	err := s.db.QueryRowContext(ctx, `SELECT count, last FROM login_failures WHERE name = ?`, name).Scan(&f.Count, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil
	}
	if err == nil {
		f.Last, err = parseTime(last)
	}
	if err != nil {
		return f, internal("read failed sign-ins", err)
	}
	return f, nil
}

// ClearLoginFailures forgets the failures of name.
func (s *Store) ClearLoginFailures(ctx context.Context, name string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_failures WHERE name = ?`, name); err != nil {
		return internal("clear failed sign-ins", err)
	}
	return nil
}

func sessionNotFound() error {
	return qoldau.E(qoldau.NotFound, texts.Text("session-not-found"), nil)
}
