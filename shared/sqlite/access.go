package sqlite

import (
	"context"
	"strings"

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
`)
}

// PutUser stores a new user; Conflict when the name or the key hash is taken.
func (s *Store) PutUser(ctx context.Context, u *qoldau.User) error {
	if err := qoldau.CheckUser(u); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO users (name, role, key_hash, email, created) VALUES (?, ?, ?, ?, ?)`,
		u.Name, string(u.Role), u.KeyHash, u.Email, formatTime(u.Created))
	if err != nil {
		if isUnique(err) {
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
	rows, err := s.db.QueryContext(ctx, `SELECT name, role, key_hash, email, created FROM users `+where, args...)
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
		)
		if err := rows.Scan(&u.Name, &role, &u.KeyHash, &u.Email, &created); err != nil {
			return nil, internal("read a user", err)
		}
		u.Role = qoldau.Role(strings.TrimSpace(role))
		if u.Created, err = parseTime(created); err != nil {
			return nil, internal("read a user", err)
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
