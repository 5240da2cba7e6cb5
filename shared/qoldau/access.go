package qoldau

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Role is what a staff user may do (docs/rules.md, "Actors"): RoleOperator uploads
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
	// PasswordHash is the console password as HashPassword encodes it (argon2id);
	// empty: the user cannot sign in to the console (an API key only).
	PasswordHash string `json:"-"`
	// PasswordSet is when the password was last set: sessions signed in before it
	// are over (a reset signs the user out everywhere).
	PasswordSet time.Time `json:"password_set,omitzero"`
}

// Stored reports whether o, as a store read it back, is u as written: a write
// retried after its answer was lost finds its own user, not another.
func (u *User) Stored(o *User) bool {
	return o.Name == u.Name && o.Role == u.Role && o.KeyHash == u.KeyHash && o.Email == u.Email &&
		o.Created.Equal(u.Created) && o.PasswordHash == u.PasswordHash && o.PasswordSet.Equal(u.PasswordSet)
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
	// or the key hash not a SHA-256; the same user again is a no-op (a retried
	// write); Conflict when another user of that name exists or the key hash
	// belongs to another user (the first user stands).
	PutUser(ctx context.Context, u *User) error
	// UserByKeyHash returns the user whose key hashes to hash; NotFound when none.
	UserByKeyHash(ctx context.Context, hash string) (*User, error)
	// Users lists every user by name.
	Users(ctx context.Context) ([]User, error)
	// User returns the user of that name; NotFound when none.
	User(ctx context.Context, name string) (*User, error)
	// SetUser replaces the role, e-mail, password hash and password time of the
	// stored user of u's name (its key hash and creation time stay). NotFound when
	// there is no such user; Invalid as for PutUser.
	SetUser(ctx context.Context, u *User) error

	// PutSession stores a console session. Invalid when its ID hash is not a
	// SHA-256, it names no user or it expires before it starts; Conflict when the
	// ID hash exists.
	PutSession(ctx context.Context, s *Session) error
	// Session returns the session whose ID hashes to idHash; NotFound when there is
	// none, or it has expired by now (an expired session may still be kept until
	// the store collects it, but is never returned).
	Session(ctx context.Context, idHash string, now time.Time) (*Session, error)
	// DeleteSession removes a session (signing out); removing one that is not
	// there is no error.
	DeleteSession(ctx context.Context, idHash string) error

	// LoginFailed counts a failed sign-in of name at the time given and returns
	// the count so far (atomically: concurrent failures each count once).
	LoginFailed(ctx context.Context, name string, at time.Time) (LoginFailures, error)
	// LoginFailures returns the failed sign-ins counted for name (zero when none).
	LoginFailures(ctx context.Context, name string) (LoginFailures, error)
	// ClearLoginFailures forgets them (after a successful sign-in).
	ClearLoginFailures(ctx context.Context, name string) error
}

// Session is a signed-in console browser. The browser holds a random token in a
// cookie; the store keeps only its SHA-256 (IDHash), so a copy of the store signs
// no one in. CSRF is the token every form of the session carries.
type Session struct {
	IDHash  string    `json:"-"`
	User    string    `json:"user"`
	CSRF    string    `json:"-"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// CheckSession returns an Invalid error unless s can be stored.
func CheckSession(s *Session) error {
	if s == nil || !ValidKeyHash(s.IDHash) || strings.TrimSpace(s.User) == "" || len(s.CSRF) < 16 ||
		!s.Expires.After(s.Created) || s.Created.Year() < 1 || s.Expires.Year() > 9999 {
		return Errorf(Invalid, "a session needs an ID hash, a user, a CSRF token and an expiry after its start")
	}
	return nil
}

// LoginFailures are the failed sign-ins counted for a name since the last
// successful one.
type LoginFailures struct {
	Count int       `json:"count"`
	Last  time.Time `json:"last"`
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

// Password hashing: argon2id with OWASP's smallest recommended cost (19 MiB, two
// passes, one lane: about 40 ms here), a 16-byte random salt, and the standard
// encoded form, so the parameters can grow without breaking stored hashes.
const (
	pwMemory  = 19 * 1024 // KiB
	pwTime    = 2
	pwThreads = 1
	pwKeyLen  = 32
)

// MinPassword is the shortest password accepted.
const MinPassword = 10

// CheckPassword returns an Invalid error, in the three languages, unless pw is
// acceptable: at least MinPassword characters, at most 256 bytes, valid UTF-8.
func CheckPassword(pw string) error {
	if n := len([]rune(pw)); n < MinPassword || len(pw) > 256 || !utf8.ValidString(pw) {
		return E(Invalid, texts.Text("weak-password", "min", strconv.Itoa(MinPassword)), nil)
	}
	return nil
}

// HashPassword encodes pw with argon2id and a fresh salt.
func HashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", Errorf(Internal, "cannot make a salt: %v", err)
	}
	key := argon2.IDKey([]byte(pw), salt, pwTime, pwMemory, pwThreads, pwKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, pwMemory, pwTime, pwThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// PasswordMatches reports whether pw is the password encoded in hash. A malformed
// or empty hash matches nothing (after the same work, so timing tells nothing).
func PasswordMatches(hash, pw string) bool {
	var (
		v, mem, iters int
		threads       uint8
	)
	parts := strings.Split(hash, "$")
	ok := len(parts) == 6 && parts[1] == "argon2id"
	if ok {
		_, err1 := fmt.Sscanf(parts[2], "v=%d", &v)
		_, err2 := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads)
		ok = err1 == nil && err2 == nil && v == argon2.Version && mem >= 8 && mem <= 1<<20 && iters >= 1 && iters <= 16 && threads >= 1
	}
	var salt, want []byte
	if ok {
		var err1, err2 error
		salt, err1 = base64.RawStdEncoding.DecodeString(parts[4])
		want, err2 = base64.RawStdEncoding.DecodeString(parts[5])
		ok = err1 == nil && err2 == nil && len(want) >= 16 && len(want) <= 64
	}
	if !ok {
		// The cost of a real check, against a dummy salt.
		argon2.IDKey([]byte(pw), make([]byte, 16), pwTime, pwMemory, pwThreads, pwKeyLen)
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, uint32(iters), uint32(mem), threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
