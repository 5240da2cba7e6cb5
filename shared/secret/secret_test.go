package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/qoldau"
)

func TestSealOpen(t *testing.T) {
	k, _, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	other, _, _ := Generate()
	s := k.Seal("token-123")
	if strings.Contains(s, "token-123") {
		t.Error("the sealed text shows the token")
	}
	if got, err := k.Open(s); err != nil || got != "token-123" {
		t.Errorf("Open = %q, %v", got, err)
	}
	if _, err := other.Open(s); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("another key opened it: %v", err)
	}
	if _, err := k.Open("!!"); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("garbage opened: %v", err)
	}
}

func TestHashes(t *testing.T) {
	k, _ := New(bytes.Repeat([]byte{1}, 32))
	k2, _ := New(bytes.Repeat([]byte{2}, 32))
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"stable", k.ClientID("A|1990-01-01"), k.ClientID("A|1990-01-01"), true},
		{"by client", k.ClientID("A|1990-01-01"), k.ClientID("B|1990-01-01"), false},
		{"by key", k.ClientID("A|1990-01-01"), k2.ClientID("A|1990-01-01"), false},
		{"by purpose", k.PhoneHash("+77011234567"), k.TokenHash("+77011234567"), false},
		{"user", k.UserHash(42), k.UserHash(42), true},
	}
	for _, tt := range tests {
		if (tt.a == tt.b) != tt.same {
			t.Errorf("%s: %q vs %q", tt.name, tt.a, tt.b)
		}
	}
	if strings.Contains(k.PhoneHash("+77011234567"), "7011234567") {
		t.Error("the phone hash shows the number")
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d", "secret.key")
	k1, err := Load("", path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	k2, err := Load("", path)
	if err != nil || k1.ClientID("x") != k2.ClientID("x") {
		t.Errorf("the key changed on reload (%v)", err)
	}
	_, text, _ := Generate()
	k3, err := Load(text, path)
	if err != nil || k3.ClientID("x") == k1.ClientID("x") {
		t.Errorf("QOLDAU_SECRET is not preferred (%v)", err)
	}
	if _, err := Parse("short"); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("a short key: %v", err)
	}
	tok, err := Token(nil, 18)
	if err != nil || len(tok) != 24 {
		t.Errorf("Token = %q (%v), want 24 characters", tok, err)
	}
}

func TestClientHasherMatchesClientID(t *testing.T) {
	k, _, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	h := k.ClientHasher()
	for _, ck := range []string{"АХМЕТОВ ЕРЖАН|1985-05-15", "IVANOV IVAN|1990-01-02", ""} {
		if got, want := ClientIDOf(h.Sum(ck)), k.ClientID(ck); got != want {
			t.Errorf("%q: %s, want %s", ck, got, want)
		}
	}
}
