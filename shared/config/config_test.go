package config

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLoad(t *testing.T) {
	env := map[string]string{"QOLDAU_TABLE": "t", "QOLDAU_ADDR": "0.0.0.0:9000", "QOLDAU_NOW": "2026-10-01T09:00:00+05:00"}
	c, err := Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	got := []string{c.Table, c.Data, c.Addr, c.PublicURL, c.LogLevel, c.TelegramAPI, c.Now.UTC().Format(time.RFC3339)}
	want := []string{"t", "./qoldau-data", "0.0.0.0:9000", "http://0.0.0.0:9000", "info", "https://api.telegram.org", "2026-10-01T04:00:00Z"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
	if _, err := Load(func(k string) string { return map[string]string{"QOLDAU_NOW": "yesterday"}[k] }); err == nil {
		t.Error("a bad QOLDAU_NOW was accepted")
	}
}

func TestRequired(t *testing.T) {
	tests := []struct {
		fn   string
		want []string
	}{
		{"api", []string{"QOLDAU_TABLE", "QOLDAU_BUCKET", "QOLDAU_SECRET_PARAM", "QOLDAU_TELEGRAM_BOT", "QOLDAU_LOG_LEVEL"}},
		{"bot", []string{"QOLDAU_TABLE", "QOLDAU_BUCKET", "QOLDAU_TELEGRAM_TOKEN_PARAM", "QOLDAU_WEBHOOK_SECRET_PARAM", "QOLDAU_SECRET_PARAM", "QOLDAU_LOG_LEVEL"}},
		{"remind", []string{"QOLDAU_TABLE", "QOLDAU_BUCKET", "QOLDAU_TELEGRAM_TOKEN_PARAM", "QOLDAU_SECRET_PARAM", "QOLDAU_MAIL_FROM", "QOLDAU_LOG_LEVEL"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Required(tt.fn)); diff != "" {
			t.Errorf("Required(%s) (-want +got):\n%s", tt.fn, diff)
		}
	}
	if md := Markdown(); strings.Count(md, "\n") != len(Vars)+2 {
		t.Errorf("Markdown has %d lines, want %d", strings.Count(md, "\n"), len(Vars)+2)
	}
}
