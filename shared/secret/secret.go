// Package secret holds the deployment's secret key and what is derived from it:
// pseudonymous client ids, keyed hashes of phone numbers and Telegram user ids, and
// sealed copies of survey invitation tokens.
//
// The key never leaves the process; what it derives carries no personal data that
// can be read back without it. Locally the key lives in DATA/secret.key (created on
// first use, mode 0600) unless QOLDAU_SECRET gives it; on AWS it comes from Secrets
// Manager or SSM Parameter Store. Every process of a deployment must use the same
// key: pseudonyms, phone hashes and sealed tokens made with one key mean nothing
// under another.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// MinKeyBytes is the shortest key accepted.
const MinKeyBytes = 32

// Key is the deployment's secret key. It is safe for concurrent use.
type Key struct {
	mac  []byte // HMAC key
	seal cipher.AEAD
}

// New returns a Key from raw key material of at least MinKeyBytes bytes.
func New(raw []byte) (*Key, error) {
	if len(raw) < MinKeyBytes {
		return nil, qoldau.Errorf(qoldau.Invalid, "secret: the key needs at least %d bytes", MinKeyBytes)
	}
	k := &Key{mac: derive(raw, "hmac")}
	block, err := aes.NewCipher(derive(raw, "seal"))
	if err != nil {
		return nil, qoldau.Errorf(qoldau.Internal, "secret: %v", err)
	}
	if k.seal, err = cipher.NewGCM(block); err != nil {
		return nil, qoldau.Errorf(qoldau.Internal, "secret: %v", err)
	}
	return k, nil
}

// Parse reads a key written as hex or base64 (standard or URL alphabet, padded or
// not), as QOLDAU_SECRET and the key file hold it.
func Parse(s string) (*Key, error) {
	s = strings.TrimSpace(s)
	for _, dec := range []func(string) ([]byte, error){
		hex.DecodeString,
		base64.RawURLEncoding.DecodeString,
		base64.URLEncoding.DecodeString,
		base64.StdEncoding.DecodeString,
		base64.RawStdEncoding.DecodeString,
	} {
		if b, err := dec(s); err == nil && len(b) >= MinKeyBytes {
			return New(b)
		}
	}
	return nil, qoldau.Errorf(qoldau.Invalid, "secret: the key must be hex or base64 of at least %d bytes", MinKeyBytes)
}

// Generate returns a new random key and its text form.
func Generate() (*Key, string, error) {
	raw := make([]byte, MinKeyBytes)
	if _, err := rand.Read(raw); err != nil {
		return nil, "", qoldau.Errorf(qoldau.Internal, "secret: %v", err)
	}
	k, err := New(raw)
	return k, base64.RawURLEncoding.EncodeToString(raw), err
}

// Load returns the key of env (the value of QOLDAU_SECRET) when it is set, else the
// one in the file at path, which it creates with a new random key when absent.
func Load(env, path string) (*Key, error) {
	if env != "" {
		return Parse(env)
	}
	b, err := os.ReadFile(path)
	if err == nil {
		return Parse(string(b))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-read-secret-key"), err)
	}
	k, text, err := Generate()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, qoldau.Errorf(qoldau.Internal, "secret: %v", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) { // another process created it first
		return Load("", path)
	}
	if err != nil {
		return nil, qoldau.Errorf(qoldau.Internal, "secret: %v", err)
	}
	if _, err := io.WriteString(f, text+"\n"); err != nil {
		f.Close()
		return nil, qoldau.Errorf(qoldau.Internal, "secret: %v", err)
	}
	if err := f.Close(); err != nil {
		return nil, qoldau.Errorf(qoldau.Internal, "secret: %v", err)
	}
	return k, nil
}

func derive(raw []byte, purpose string) []byte {
	m := hmac.New(sha256.New, raw)
	m.Write([]byte("qoldau/" + purpose))
	return m.Sum(nil)
}

// hash is the keyed hash of value under a purpose, as 22 base64url characters
// (128 bits).
func (k *Key) hash(purpose, value string) string {
	m := hmac.New(sha256.New, k.mac)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// ClientID returns the pseudonymous client id of a client key (docs/rules.md,
// "Client identity"): what answers, invitations and chats store instead of the name.
func (k *Key) ClientID(clientKey string) string { return "c" + k.hash("client", clientKey) }

// PhoneHash returns the keyed hash of a normalised phone number (+7XXXXXXXXXX).
func (k *Key) PhoneHash(phone string) string { return k.hash("phone", phone) }

// UserHash returns the keyed hash of a Telegram user id: a submitted answer's
// signature, kept when the chat link is forgotten.
func (k *Key) UserHash(user int64) string {
	return k.hash("telegram-user", strconv.FormatInt(user, 10))
}

// TokenHash returns the keyed hash an invitation or staff token is stored and looked
// up by.
func (k *Key) TokenHash(token string) string { return k.hash("token", token) }

// Seal encrypts a short text (an invitation token) so that only this key opens it.
func (k *Key) Seal(plain string) string {
	nonce := make([]byte, k.seal.NonceSize())
	rand.Read(nonce)
	out := k.seal.Seal(nonce, nonce, []byte(plain), nil)
	return base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts what Seal gave; Invalid when it was sealed with another key or
// altered.
func (k *Key) Open(sealed string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(sealed)
	n := k.seal.NonceSize()
	if err != nil || len(b) < n {
		return "", qoldau.Errorf(qoldau.Invalid, "secret: not a sealed value")
	}
	plain, err := k.seal.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return "", qoldau.Errorf(qoldau.Invalid, "secret: the value was sealed with another key")
	}
	return string(plain), nil
}

// Token returns a new random token of n bytes (at least 16) as base64url without
// padding: invitation links and staff codes.
func Token(r io.Reader, n int) (string, error) {
	if n < 16 {
		n = 16
	}
	if r == nil {
		r = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", fmt.Errorf("secret: random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ClientHasher computes client ids (ClientID) for many clients, reusing one HMAC;
// the report uses it per counted row. Not safe for concurrent use.
type ClientHasher struct {
	m   hash.Hash
	sum []byte
}

// ClientHasher returns a hasher of client ids under k.
func (k *Key) ClientHasher() *ClientHasher {
	return &ClientHasher{m: hmac.New(sha256.New, k.mac), sum: make([]byte, 0, sha256.Size)}
}

// Sum returns the 128 bits of ClientID(clientKey) as two words.
func (h *ClientHasher) Sum(clientKey string) (hi, lo uint64) {
	h.m.Reset()
	h.m.Write([]byte("client"))
	h.m.Write([]byte{0})
	h.m.Write([]byte(clientKey))
	h.sum = h.m.Sum(h.sum[:0])
	return binary.BigEndian.Uint64(h.sum[:8]), binary.BigEndian.Uint64(h.sum[8:16])
}

// ClientIDOf writes the two words of Sum as ClientID writes them.
func ClientIDOf(hi, lo uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	return "c" + base64.RawURLEncoding.EncodeToString(b[:])
}
