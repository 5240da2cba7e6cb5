package logging

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestMaskText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"register 2026-09 v2", "register 2026-09 v2"},
		{"bin 900101300123 bad", "bin *** bad"},
		{"call +7 701 123 45 67 now", "call *** now"},
		{"mail aigul@example.kz", "mail ***"},
		{"sha 3f2a", "sha 3f2a"},
		{"received 2026-10-01T09:30:00Z", "received 2026-10-01T09:30:00Z"},
	}
	for _, tt := range tests {
		if got := MaskText(tt.in); got != tt.want {
			t.Errorf("MaskText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoggerMasks(t *testing.T) {
	var b bytes.Buffer
	log := New(&b, "info")
	log.Info("upload of 900101300123", "client_name", "Айгүл", "api_key", "qk_secret", "user", "u:abc",
		"err", errors.New("row 5: iin 900101300123"), "period", "2026-09")
	got := b.String()
	for _, bad := range []string{"900101300123", "Айгүл", "qk_secret"} {
		if strings.Contains(got, bad) {
			t.Errorf("log line %s holds %q", got, bad)
		}
	}
	for _, good := range []string{`"period":"2026-09"`, `"user":"u:abc"`} {
		if !strings.Contains(got, good) {
			t.Errorf("log line %s lacks %s", got, good)
		}
	}
}
