package qoldau

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// Role is what a staff user may do (workflow.md, "Actors"): RoleOperator uploads
// registers and corrections; RoleAgency sends letters, imports acts, builds reports
// and runs surveys (both constants are declared with the staff chats, in
// survey_store.go); RoleAdmin sets up users.
type Role string

// RoleAdmin sets up users and reads everything.
const RoleAdmin = "admin"

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool { return r == RoleOperator || r == RoleAgency || r == RoleAdmin }

// User is a staff member who calls the API with an API key. The key itself is never
// stored: KeyHash is HashKey of it, and a lost key is replaced, not recovered.
type User struct {
	Name    string    `json:"name"`
	Role    Role      `json:"role"`
	KeyHash string    `json:"-"`
	Email   string    `json:"email,omitempty"` // for reminders by e-mail; optional
	Created time.Time `json:"created"`
}

// ID is a short pseudonymous id of the user for logs: the first 12 hex digits of
// the key hash (a log line never carries names).
func (u *User) ID() string {
	if len(u.KeyHash) < 12 {
		return "user"
	}
	return "u:" + u.KeyHash[:12]
}

// AccessStore keeps the staff users and their hashed API keys (a part of Store);
// the storetest access suite runs against both stores. Methods return *Error with
// the codes named; any other failure is Internal.
type AccessStore interface {
	// PutUser stores a new user. Invalid when the name is empty, the role unknown
	// or the key hash not a SHA-256; Conflict when a user of that name exists or the
	// key hash belongs to another user (the first user stands).
	PutUser(ctx context.Context, u *User) error
	// UserByKeyHash returns the user whose key hashes to hash; NotFound when none.
	UserByKeyHash(ctx context.Context, hash string) (*User, error)
	// Users lists every user by name.
	Users(ctx context.Context) ([]User, error)
}

// KeyPrefix starts every API key, so a leaked key is easy to recognise in a scan.
const KeyPrefix = "qk_"

// NewKey returns a new API key: KeyPrefix and 32 random bytes in base64url (256
// bits: a plain SHA-256 of it needs no salt or slow hash).
func NewKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", E(Internal, texts.Text("cannot-make-key"), err)
	}
	return KeyPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// HashKey returns the hex SHA-256 of an API key, as stored.
func HashKey(key string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(key)))
	return hex.EncodeToString(h[:])
}

// ValidKeyHash reports whether s looks like a HashKey result.
func ValidKeyHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// CheckUser returns an Invalid error unless u can be stored.
func CheckUser(u *User) error {
	switch {
	case u == nil || strings.TrimSpace(u.Name) == "" || len(u.Name) > 100:
		return E(Invalid, texts.Text("user-name-needed-up-100"), nil)
	case !u.Role.Valid():
		return E(Invalid, texts.Text("role-operator-agency-or-admin"), nil)
	case !ValidKeyHash(u.KeyHash):
		return E(Invalid, texts.Text("invalid-key-hash"), nil)
	}
	if err := CheckText("name", u.Name, 100); err != nil {
		return err
	}
	return CheckText("email", u.Email, 254)
}
