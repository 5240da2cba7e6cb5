// Package config reads the configuration of every qoldau process from environment
// variables (one table: Vars) and builds the adapters from it: DynamoDB and S3 when
// a table and a bucket are named (on AWS, or at an endpoint such as moto_server or a
// DynamoDB-compatible cluster), the embedded SQLite store and a local folder
// otherwise. The Lambda functions and `qoldau serve` open the same App, so they run
// the same handlers on the same wiring.
package config

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Var documents one environment variable.
type Var struct {
	Name    string
	Default string
	// Lambda lists the functions that need it set on AWS (the template test checks
	// each is set); "all" means every function.
	Lambda []string
	Doc    string
}

// Functions are the Lambda functions, one folder each under functions/.
var Functions = []string{"api", "validate", "remind", "report", "bot"}

// Vars is the one table of environment variables (docs/deploy.md shows it).
var Vars = []Var{
	{"QOLDAU_DATA", "./qoldau-data", nil, "data folder of the embedded store (SQLite file and files/), used when no table/bucket is named"},
	{"QOLDAU_TABLE", "", []string{"all"}, "DynamoDB table name; set: the store is DynamoDB"},
	{"QOLDAU_DYNAMO_ENDPOINT", "", nil, "DynamoDB endpoint (moto_server, a DynamoDB-compatible cluster); empty: AWS's own; set: the table is created when absent"},
	{"QOLDAU_BUCKET", "", []string{"all"}, "S3 bucket name; set: files are in S3 and links are presigned S3 URLs"},
	{"QOLDAU_S3_ENDPOINT", "", nil, "S3 endpoint (moto_server, MinIO); empty: AWS's own; set: the bucket is created when absent"},
	{"AWS_REGION", "", nil, "AWS region (set by Lambda itself); us-east-1 for a local endpoint"},
	{"QOLDAU_ADDR", "127.0.0.1:8080", nil, "qoldau serve: listen address of the API and console"},
	{"QOLDAU_PUBLIC_URL", "http://<QOLDAU_ADDR>", nil, "qoldau serve: the server's URL as browsers reach it (for upload and download links)"},
	{"QOLDAU_TELEGRAM_TOKEN", "", nil, "Telegram bot token (local runs; on AWS use QOLDAU_TELEGRAM_TOKEN_PARAM)"},
	{"QOLDAU_TELEGRAM_TOKEN_PARAM", "", []string{"remind", "bot"}, "SSM SecureString parameter holding the bot token (read at start)"},
	{"QOLDAU_WEBHOOK_SECRET", "", nil, "secret_token Telegram sends with each webhook call (local runs)"},
	{"QOLDAU_WEBHOOK_SECRET_PARAM", "", []string{"bot"}, "SSM SecureString parameter holding the webhook secret"},
	{"QOLDAU_SECRET", "", nil, "the deployment's secret key (hex or base64, 32+ bytes) for client pseudonyms, phone hashes and invitation tokens (local runs; empty: DATA/secret.key, created on first use)"},
	{"QOLDAU_SECRET_PARAM", "", []string{"api", "remind", "report", "bot"}, "SSM SecureString parameter holding QOLDAU_SECRET"},
	{"QOLDAU_TELEGRAM_BOT", "", []string{"api"}, "the survey bot's username (without @), for the invitation links the API and CLI export"},
	{"QOLDAU_TELEGRAM_API", "https://api.telegram.org", nil, "Telegram Bot API base URL, or a format string of token and method (tests point it at a fake)"},
	{"QOLDAU_MAIL_FROM", "", []string{"remind"}, "SES sender address of e-mail reminders; empty: no e-mail"},
	{"QOLDAU_LOG_LEVEL", "info", []string{"all"}, "debug, info, warn or error"},
	{"QOLDAU_NOW", "", nil, "fixed clock, RFC 3339 (tests and demos)"},
}

// Config is the configuration read from Vars.
type Config struct {
	Data           string
	Table          string
	DynamoEndpoint string
	Bucket         string
	S3Endpoint     string
	Region         string
	Addr           string
	PublicURL      string

	TelegramToken      string
	TelegramBot        string
	TelegramTokenParam string
	WebhookSecret      string
	WebhookSecretParam string
	Secret             string
	SecretParam        string
	TelegramAPI        string
	MailFrom           string

	LogLevel string
	// Now, when set, fixes the clock.
	Now time.Time
}

// Load reads the configuration through getenv (os.Getenv).
func Load(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			for _, d := range Vars {
				if d.Name == name && !strings.Contains(d.Default, "<") {
					return d.Default
				}
			}
		}
		return v
	}
	c := Config{
		Data: get("QOLDAU_DATA"), Table: get("QOLDAU_TABLE"), DynamoEndpoint: get("QOLDAU_DYNAMO_ENDPOINT"),
		Bucket: get("QOLDAU_BUCKET"), S3Endpoint: get("QOLDAU_S3_ENDPOINT"), Region: get("AWS_REGION"),
		Addr: get("QOLDAU_ADDR"), PublicURL: get("QOLDAU_PUBLIC_URL"),
		TelegramToken: get("QOLDAU_TELEGRAM_TOKEN"), TelegramBot: strings.TrimPrefix(get("QOLDAU_TELEGRAM_BOT"), "@"), TelegramTokenParam: get("QOLDAU_TELEGRAM_TOKEN_PARAM"),
		WebhookSecret: get("QOLDAU_WEBHOOK_SECRET"), WebhookSecretParam: get("QOLDAU_WEBHOOK_SECRET_PARAM"),
		Secret: get("QOLDAU_SECRET"), SecretParam: get("QOLDAU_SECRET_PARAM"),
		TelegramAPI: get("QOLDAU_TELEGRAM_API"), MailFrom: get("QOLDAU_MAIL_FROM"), LogLevel: get("QOLDAU_LOG_LEVEL"),
	}
	if s := get("QOLDAU_NOW"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return c, fmt.Errorf("QOLDAU_NOW %q: want RFC 3339, e.g. 2026-10-02T09:00:00+05:00", s)
		}
		c.Now = t
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	return c, nil
}

// FromEnv reads the configuration of the process; inside a Lambda function
// (AWS_LAMBDA_FUNCTION_NAME set) it also checks that the variables Required by
// function are set.
func FromEnv(function string) (Config, error) {
	c, err := Load(os.Getenv)
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
	for _, v := range Vars {
		for _, f := range v.Lambda {
			if f == "all" || f == function {
				out = append(out, v.Name)
				break
			}
		}
	}
	return out
}

// Markdown renders Vars as a Markdown table.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| variable | default | set on AWS for | meaning |\n|---|---|---|---|\n")
	for _, v := range Vars {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", v.Name, orDash(v.Default), orDash(strings.Join(v.Lambda, ", ")), v.Doc)
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return "`" + s + "`"
}
