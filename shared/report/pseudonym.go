package report

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"strconv"
)

// DevPseudonymKey is the key of pseudonymous client ids when none is configured
// (QOLDAU_PSEUDONYM_KEY). It is public: anyone holding a client's name and birth
// date could recompute the id. Set a secret key in production.
const DevPseudonymKey = "qoldau-dev-pseudonym-key-not-secret"

// pseudonymizer turns client keys into pseudonymous ids: the first 8 bytes of
// HMAC-SHA256(key, client key). The same 64 bits identify the client in distinct
// counts (a collision among a million clients has odds of about 1 in 30 million).
type pseudonymizer struct {
	mac hash.Hash
	sum []byte
}

func newPseudonymizer(key []byte) *pseudonymizer {
	if len(key) == 0 {
		key = []byte(DevPseudonymKey)
	}
	return &pseudonymizer{mac: hmac.New(sha256.New, key), sum: make([]byte, 0, sha256.Size)}
}

// id returns the pseudonymous id of a client key.
func (p *pseudonymizer) id(clientKey string) uint64 {
	p.mac.Reset()
	p.mac.Write([]byte(clientKey))
	p.sum = p.mac.Sum(p.sum[:0])
	return binary.BigEndian.Uint64(p.sum)
}

// Pseudonym returns the pseudonymous id the Data sheet shows for a client key
// under key (the dev key when empty): 16 hex digits.
func Pseudonym(key []byte, clientKey string) string {
	return pseudonymHex(newPseudonymizer(key).id(clientKey))
}

func pseudonymHex(id uint64) string {
	s := strconv.FormatUint(id, 16)
	for len(s) < 16 {
		s = "0" + s
	}
	return s
}

// fnv64 hashes an enterprise's BIN/IIN for distinct counts (FNV-1a).
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
