package app

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLoad(t *testing.T) {
	env := map[string]string{"QOLDAU_TABLE": "t", "QOLDAU_ADDR": "0.0.0.0:9000", "QOLDAU_NOW": "2026-10-01T09:00:00+05:00"}
	c, err := LoadFrom(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	got := []string{c.Table, c.Data, c.Addr, c.PublicURL, c.LogLevel, c.TelegramAPI, c.Now.UTC().Format(time.RFC3339)}
	want := []string{"t", "./qoldau-data", "0.0.0.0:9000", "http://0.0.0.0:9000", "info", "https://api.telegram.org", "2026-10-01T04:00:00Z"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load (-want +got):\n%s", diff)
	}
	// A clock out of the domain's range would make every deadline unreadable.
	for _, now := range []string{"yesterday", "9999-12-31T00:00:00Z", "2018-12-31T00:00:00+05:00"} {
		if _, err := LoadFrom(func(k string) string { return map[string]string{"QOLDAU_NOW": now}[k] }); err == nil {
			t.Errorf("QOLDAU_NOW %s was accepted", now)
		}
	}
}

// TestLeadsSettings: the thresholds of the audit leads are settings over their
// defaults; a bad one is named.
func TestLeadsSettings(t *testing.T) {
	env := map[string]string{"QOLDAU_LEADS_PHONE_CLIENTS": "4", "QOLDAU_LEADS_SPIKE_Z": "3.5"}
	c, err := LoadFrom(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.LeadsSettings()
	if err != nil || s.PhoneClients != 4 || s.SpikeZ != 3.5 || s.ManagerDayMax != 20 {
		t.Errorf("LeadsSettings = %+v, %v", s, err)
	}
	for name, v := range map[string]string{"QOLDAU_LEADS_PHONE_CLIENTS": "many", "QOLDAU_LEADS_IIN_NAMES": "1"} {
		c, _ := LoadFrom(func(k string) string { return map[string]string{name: v}[k] })
		if _, err := c.LeadsSettings(); err == nil || !strings.Contains(err.Error(), strings.ToLower(strings.TrimPrefix(name, "QOLDAU_LEADS_"))) {
			t.Errorf("%s=%s: %v", name, v, err)
		}
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
	if md := Markdown(); strings.Count(md, "\n") != len(Settings)+2 {
		t.Errorf("Markdown has %d lines, want %d", strings.Count(md, "\n"), len(Settings)+2)
	}
}

// TestDocsMirrorSettings: the README and the deployment guide show the settings
// table as it is.
func TestDocsMirrorSettings(t *testing.T) {
	for _, tt := range []struct {
		file string
		want []string
	}{
		{"../../README.md", []string{Markdown(), TestMarkdown()}},
		{"../../docs/deploy.md", []string{Markdown()}},
	} {
		b, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tt.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s does not hold the settings table as app.Settings has it:\n%s", tt.file, w)
			}
		}
	}
}

// TestPrintMasksSecrets: the effective values name their source and never show a
// secret.
func TestPrintMasksSecrets(t *testing.T) {
	env := map[string]string{"QOLDAU_SECRET": "deadbeef", "QOLDAU_WEBHOOK_SECRET": "hook-s3cr3t", "QOLDAU_TABLE": "t", "USER": "aigerim"}
	c, err := load(func(k string) string { return env[k] }, map[string]string{"QOLDAU_DATA": "/d"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := c.Print(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "deadbeef") || strings.Contains(out, "hook-s3cr3t") {
		t.Errorf("Print shows a secret:\n%s", out)
	}
	got := map[string]string{}
	for _, v := range c.Values() {
		got[v.Name] = v.Value + " " + v.Source
	}
	for name, want := range map[string]string{
		"QOLDAU_SECRET": Masked + " env", "QOLDAU_WEBHOOK_SECRET": Masked + " env", "QOLDAU_TELEGRAM_TOKEN": " default",
		"QOLDAU_DATA": "/d flag", "QOLDAU_TABLE": "t env", "QOLDAU_ACTOR": "local:aigerim default",
	} {
		if got[name] != want {
			t.Errorf("%s = %q, want %q", name, got[name], want)
		}
	}
	if strings.Count(out, "\n") != len(Settings)+1 {
		t.Errorf("Print wrote %d lines, want %d", strings.Count(out, "\n"), len(Settings)+1)
	}
}
