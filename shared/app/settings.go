// Package app is the one assembly of the program: the table of settings every
// process reads (Settings: each environment variable, the qoldau flag that
// overrides it, its default and meaning) and the wiring built from them (Open):
// DynamoDB and S3 when a table and a bucket are named (on AWS, or at an endpoint
// such as moto_server or a DynamoDB-compatible cluster), the embedded SQLite store
// and a local folder otherwise. Every entry point gets its wiring here: each qoldau
// command, `qoldau serve`, `qoldau bot run` and every Lambda function's main, so
// they all run the same handlers on the same adapters. No other package reads a
// setting from the environment.
package app

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Setting documents one environment variable and where it goes in Config.
type Setting struct {
	Name string
	// Flag is the qoldau flag that overrides the variable for one command ("" when
	// none): --data, --addr, --lang, --bot.
	Flag    string
	Default string
	// Lambda lists the functions that need it set on AWS (the template test checks
	// each is set); "all" means every function.
	Lambda []string
	// Secret settings are masked wherever they are shown.
	Secret bool
	Doc    string
	field  func(*Config) *string
}

// Functions are the Lambda functions, one folder each under functions/.
var Functions = []string{"api", "validate", "remind", "report", "bot"}

// Settings is the one table of settings (the README and docs/deploy.md show it as
// Markdown; `qoldau config` prints it with the effective values).
var Settings = append([]Setting{
	{"QOLDAU_DATA", "data", "./qoldau-data", nil, false, "data folder of the embedded store (SQLite file, files/, replaced reference data in refdata/, secret.key), used when no table/bucket is named", func(c *Config) *string { return &c.Data }},
	{"QOLDAU_TABLE", "", "", []string{"all"}, false, "DynamoDB table name; set: the store is DynamoDB (every command, serve and the functions alike)", func(c *Config) *string { return &c.Table }},
	{"QOLDAU_DYNAMO_ENDPOINT", "", "", nil, false, "DynamoDB endpoint (moto_server, a DynamoDB-compatible cluster); empty: AWS's own; set: the table is created when absent", func(c *Config) *string { return &c.DynamoEndpoint }},
	{"QOLDAU_BUCKET", "", "", []string{"all"}, false, "S3 bucket name; set: files are in S3 and links are presigned S3 URLs", func(c *Config) *string { return &c.Bucket }},
	{"QOLDAU_S3_ENDPOINT", "", "", nil, false, "S3 endpoint (moto_server, MinIO); empty: AWS's own; set: the bucket is created when absent", func(c *Config) *string { return &c.S3Endpoint }},
	{"QOLDAU_SSM_ENDPOINT", "", "", nil, false, "SSM Parameter Store endpoint for the *_PARAM secrets (moto_server, a local stack); empty: AWS's own (the SDK's AWS_ENDPOINT_URL_SSM works too)", func(c *Config) *string { return &c.SSMEndpoint }},
	{"QOLDAU_SES_ENDPOINT", "", "", nil, false, "SES (v2) endpoint for e-mail reminders (moto_server, a local stack); empty: AWS's own (or the SDK's AWS_ENDPOINT_URL_SESV2)", func(c *Config) *string { return &c.SESEndpoint }},
	{"AWS_REGION", "", "", nil, false, "AWS region (set by Lambda itself); us-east-1 for a local endpoint", func(c *Config) *string { return &c.Region }},
	{"QOLDAU_ADDR", "addr", "127.0.0.1:8080", nil, false, "qoldau serve: listen address of the API and console", func(c *Config) *string { return &c.Addr }},
	{"QOLDAU_PUBLIC_URL", "", "http://<QOLDAU_ADDR>", nil, false, "qoldau serve: the server's URL as browsers reach it (for upload and download links)", func(c *Config) *string { return &c.PublicURL }},
	{"QOLDAU_SESSION_HOURS", "", "8", nil, false, "how long a console sign-in lasts, in hours (1 to 720)", func(c *Config) *string { return &c.sessionHours }},
	{"QOLDAU_TELEGRAM_TOKEN", "", "", nil, true, "Telegram bot token (local runs; on AWS use QOLDAU_TELEGRAM_TOKEN_PARAM); set: serve runs the bot and reminders go to staff chats", func(c *Config) *string { return &c.TelegramToken }},
	{"QOLDAU_TELEGRAM_TOKEN_PARAM", "", "", []string{"remind", "bot"}, false, "SSM SecureString parameter holding the bot token (read at start)", func(c *Config) *string { return &c.TelegramTokenParam }},
	{"QOLDAU_WEBHOOK_SECRET", "", "", nil, true, "secret_token Telegram sends with each webhook call (local runs); a request without it is answered 401", func(c *Config) *string { return &c.WebhookSecret }},
	{"QOLDAU_WEBHOOK_SECRET_PARAM", "", "", []string{"bot"}, false, "SSM SecureString parameter holding the webhook secret", func(c *Config) *string { return &c.WebhookSecretParam }},
	{"QOLDAU_SECRET", "", "", nil, true, "the deployment's secret key (hex or base64, 32+ bytes) for client pseudonyms, phone hashes and invitation tokens (local runs; empty: DATA/secret.key, created on first use)", func(c *Config) *string { return &c.Secret }},
	{"QOLDAU_SECRET_PARAM", "", "", []string{"api", "remind", "report", "bot"}, false, "SSM SecureString parameter holding QOLDAU_SECRET", func(c *Config) *string { return &c.SecretParam }},
	{"QOLDAU_TELEGRAM_BOT", "bot", "", []string{"api"}, false, "the survey bot's username (without @), for invitation and staff-code links (empty: asked of Telegram with the token)", func(c *Config) *string { return &c.TelegramBot }},
	{"QOLDAU_TELEGRAM_API", "", "https://api.telegram.org", nil, false, "Telegram Bot API base URL, or a format string of token and method (tests point it at a fake)", func(c *Config) *string { return &c.TelegramAPI }},
	{"QOLDAU_CALL_CENTRE", "", "", nil, false, "the phone number the survey bot gives for questions (empty: a generic phrase)", func(c *Config) *string { return &c.CallCentre }},
	{"QOLDAU_MAIL_FROM", "", "", []string{"remind"}, false, "SES sender address of e-mail reminders; empty: no e-mail", func(c *Config) *string { return &c.MailFrom }},
	{"QOLDAU_LOG_LEVEL", "", "info", []string{"all"}, false, "debug, info, warn or error", func(c *Config) *string { return &c.LogLevel }},
	{"QOLDAU_LANG", "lang", "en", nil, false, "language of the commands' human summaries and findings: kk, ru or en", func(c *Config) *string { return &c.Lang }},
	{"QOLDAU_ACTOR", "", "local:$USER", nil, false, "who the audit log names for the qoldau commands", func(c *Config) *string { return &c.Actor }},
	{"QOLDAU_NOW", "", "", nil, false, "fixed clock, RFC 3339 (tests, demos, rebuilding history); empty: the real clock", func(c *Config) *string { return &c.now }},
	{"GOMEMLIMIT", "", "", nil, false, "the Go runtime's soft memory limit; empty: `report build` and `demo` set 640 MiB, `leads` 256 MiB, `validate` 224 MiB", func(c *Config) *string { return &c.MemLimit }},
}, leadsSettings()...)

// leadsSettings are the thresholds of the audit leads (leads.SettingDocs), one
// variable each: QOLDAU_LEADS_ and the threshold's name in capitals; the defaults
// are leads.Defaults.
func leadsSettings() []Setting {
	def := leads.Defaults()
	out := make([]Setting, len(leads.SettingDocs))
	for i, d := range leads.SettingDocs {
		out[i] = Setting{Name: "QOLDAU_LEADS_" + strings.ToUpper(d.Name), Default: def.Get(d.Name), Doc: "audit leads, " + d.Doc,
			field: func(c *Config) *string {
				if c.leads == nil {
					c.leads = make([]string, len(leads.SettingDocs))
				}
				return &c.leads[i]
			}}
	}
	return out
}

// LeadsSettings returns the thresholds of the audit leads: the defaults, with the
// QOLDAU_LEADS_* settings over them.
func (c Config) LeadsSettings() (leads.Settings, error) {
	s := leads.Defaults()
	for i, d := range leads.SettingDocs {
		if i < len(c.leads) && c.leads[i] != "" {
			if err := s.Set(d.Name, c.leads[i]); err != nil {
				return s, fmt.Errorf("QOLDAU_LEADS_%s: %w", strings.ToUpper(d.Name), err)
			}
		}
	}
	return s, s.Check()
}

// TestSettings are read by tests and benchmarks only (never by the program).
var TestSettings = []Setting{
	{Name: "QOLDAU_TEST_DYNAMO_ENDPOINT", Doc: "tests: the moto_server endpoint for the DynamoDB and S3 suites (set by `make test`); unset: those suites skip"},
	{Name: "QOLDAU_REQUIRE_DYNAMO", Doc: "tests: 1 fails rather than skips the DynamoDB and S3 suites without that endpoint (`make test` sets it)"},
	{Name: "QOLDAU_BENCH_DATA", Doc: "`make bench-report`: a folder in which each benchmark keeps its store (`DIR/ReportAnnual1M`), for `qoldau report build --data` after"},
	{Name: "QOLDAU_BENCH_1M", Doc: "`go test -bench` of shared/register: 1 adds the 1,000,000-row validation benchmark"},
}

// Config is the configuration read from Settings.
type Config struct {
	Data           string
	Table          string
	DynamoEndpoint string
	Bucket         string
	S3Endpoint     string
	SSMEndpoint    string
	SESEndpoint    string
	Region         string
	Addr           string
	PublicURL      string
	// SessionTTL is how long a console sign-in lasts (QOLDAU_SESSION_HOURS).
	SessionTTL   time.Duration
	sessionHours string

	TelegramToken      string
	TelegramBot        string
	TelegramTokenParam string
	WebhookSecret      string
	WebhookSecretParam string
	Secret             string
	SecretParam        string
	TelegramAPI        string
	CallCentre         string
	MailFrom           string

	LogLevel string
	// Lang is the language of the commands' summaries: kk, ru or en.
	Lang string
	// Actor is who the audit log names for local commands.
	Actor string
	// MemLimit is GOMEMLIMIT as the process got it ("": none set; see LimitMemory).
	MemLimit string
	// Now, when set, fixes the clock.
	Now time.Time
	now string
	// leads holds the QOLDAU_LEADS_* settings as given (see LeadsSettings).
	leads []string

	// source names where each setting came from: "env" or "flag" ("" for the
	// default), for `qoldau config`.
	source map[string]string
}

// Load reads the configuration of the process from its environment; overrides
// (setting name → value, e.g. a command's flags) take precedence when not empty.
func Load(overrides map[string]string) (Config, error) {
	return load(os.Getenv, overrides)
}

// LoadFrom reads the configuration through getenv (tests).
func LoadFrom(getenv func(string) string) (Config, error) { return load(getenv, nil) }

func load(getenv func(string) string, overrides map[string]string) (Config, error) {
	c := Config{source: map[string]string{}}
	for _, s := range Settings {
		v, src := strings.TrimSpace(overrides[s.Name]), "flag"
		if v == "" {
			v, src = strings.TrimSpace(getenv(s.Name)), "env"
		}
		if v == "" {
			src = ""
			if !strings.Contains(s.Default, "<") && !strings.Contains(s.Default, "$") {
				v = s.Default
			}
		}
		*s.field(&c) = v
		c.source[s.Name] = src
	}
	c.TelegramBot = strings.TrimPrefix(c.TelegramBot, "@")
	if c.now != "" {
		t, err := time.Parse(time.RFC3339, c.now)
		if err != nil {
			return c, fmt.Errorf("QOLDAU_NOW %q: want RFC 3339, e.g. 2026-10-02T09:00:00+05:00", c.now)
		}
		if err := qoldau.CheckClock(t); err != nil {
			return c, fmt.Errorf("QOLDAU_NOW %q: %s", c.now, qoldau.MessageOf(err).EN)
		}
		c.Now = t
	}
	h, err := strconv.Atoi(c.sessionHours)
	if err != nil || h < 1 || h > 720 {
		return c, fmt.Errorf("QOLDAU_SESSION_HOURS %q: want whole hours from 1 to 720", c.sessionHours)
	}
	c.SessionTTL = time.Duration(h) * time.Hour
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	switch l := strings.ToLower(c.Lang); l {
	case "kk", "ru":
		c.Lang = l
	default:
		c.Lang = "en"
	}
	if c.Actor == "" {
		c.Actor = "local"
		if u := getenv("USER"); u != "" {
			c.Actor = "local:" + u
		}
	}
	return c, nil
}

// ForFunction reads the configuration of a Lambda function; inside Lambda
// (AWS_LAMBDA_FUNCTION_NAME set) it also checks that the variables Required by
// the function are set.
func ForFunction(function string) (Config, error) {
	c, err := Load(nil)
	if err != nil {
		return c, err
	}
	if os.Getenv("AWS_LAMBDA_FUNCTION_NAME") != "" {
		for _, name := range Required(function) {
			if _, ok := os.LookupEnv(name); !ok {
				return c, fmt.Errorf("%s is not set (the function %s needs it)", name, function)
			}
		}
	}
	return c, nil
}

// Required lists the variables a Lambda function needs set on AWS.
func Required(function string) []string {
	var out []string
	for _, v := range Settings {
		for _, f := range v.Lambda {
			if f == "all" || f == function {
				out = append(out, v.Name)
				break
			}
		}
	}
	return out
}

// SettingOf returns the setting of that name.
func SettingOf(name string) (Setting, bool) {
	for _, s := range Settings {
		if s.Name == name {
			return s, true
		}
	}
	return Setting{}, false
}

// Markdown renders Settings as a Markdown table.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| variable | flag | default | set on AWS for | meaning |\n|---|---|---|---|---|\n")
	for _, v := range Settings {
		flag := ""
		if v.Flag != "" {
			flag = "--" + v.Flag
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", v.Name, orDash(flag), orDash(v.Default), orDash(strings.Join(v.Lambda, ", ")), v.Doc)
	}
	return b.String()
}

// TestMarkdown renders TestSettings as a Markdown table.
func TestMarkdown() string {
	var b strings.Builder
	b.WriteString("| variable | meaning |\n|---|---|\n")
	for _, v := range TestSettings {
		fmt.Fprintf(&b, "| `%s` | %s |\n", v.Name, v.Doc)
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return "`" + s + "`"
}

// Masked is how a secret setting's value is shown.
const Masked = "********"

// Value is one setting's effective value, as `qoldau config` shows it.
type Value struct {
	Name   string `json:"name"`
	Flag   string `json:"flag,omitempty"`
	Value  string `json:"value"`
	Source string `json:"source"` // env, flag or default
	Secret bool   `json:"secret,omitempty"`
	Doc    string `json:"doc"`
}

// Values lists every setting with its effective value in c; secrets are Masked
// when set.
func (c Config) Values() []Value {
	out := make([]Value, 0, len(Settings))
	for _, s := range Settings {
		v := Value{Name: s.Name, Flag: s.Flag, Value: *s.field(&c), Source: c.source[s.Name], Secret: s.Secret, Doc: s.Doc}
		if v.Source == "" {
			v.Source = "default"
		}
		if s.Secret && v.Value != "" {
			v.Value = Masked
		}
		out = append(out, v)
	}
	return out
}

// Print writes the settings table with the effective values of c: variable, flag,
// value, where it came from, meaning.
func (c Config) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tFLAG\tVALUE\tFROM\tMEANING")
	for _, v := range c.Values() {
		flag, val := "-", v.Value
		if v.Flag != "" {
			flag = "--" + v.Flag
		}
		if val == "" {
			val = "(empty)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.Name, flag, val, v.Source, v.Doc)
	}
	return tw.Flush()
}

// Soft memory limits (the Go runtime's GOMEMLIMIT) a process sets for its work
// unless GOMEMLIMIT gives one: near it the garbage collector works harder instead
// of letting the heap double over the live data.
const (
	// ValidateMemoryLimit keeps the validation of any file within the readers'
	// default limits under 256 MiB in all (README, "Performance").
	ValidateMemoryLimit = 224 << 20
	// ReportMemoryLimit: the annual report over a million rows keeps its live data
	// under it.
	ReportMemoryLimit = 640 << 20
	// LeadsMemoryLimit: the leads of a year of a million rows (about 200 MiB of live
	// data at the peak) stay under 300 MiB in all.
	LeadsMemoryLimit = 256 << 20
)

// LimitMemory sets the process's soft memory limit to n bytes unless GOMEMLIMIT
// set one.
func (c Config) LimitMemory(n int64) {
	if c.MemLimit == "" {
		debug.SetMemoryLimit(n)
	}
}
