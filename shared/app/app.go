package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/qoldau/qoldau/shared/awsconf"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/dynamo"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/leads"
	"github.com/qoldau/qoldau/shared/logging"
	"github.com/qoldau/qoldau/shared/notify"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/remind"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/s3blob"
	"github.com/qoldau/qoldau/shared/scratch"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/surveys"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// App is the assembled application: adapters and the jobs over them.
type App struct {
	Cfg   Config
	Log   *slog.Logger
	Store qoldau.Store
	Blobs qoldau.Blobs
	Svc   *workflow.Service
	// Channels are the ways reminders reach staff: a log line always, Telegram
	// with a bot token, e-mail with a sender.
	Channels []remind.Channel
	// Links are presigned S3 URLs when files are in S3; nil for a local folder
	// (qoldau serve then uses httpapi.LocalLinks).
	Links qoldau.Links
	// Leads are the thresholds of the audit leads (QOLDAU_LEADS_*).
	Leads   leads.Settings
	Ingest  *ingest.Job
	Reports *reportjob.Runner
	Remind  *remind.Job
	Clock   func() time.Time

	keysOnce sync.Once
	keys     *secret.Key
	keysErr  error
	admin    *surveys.Admin
	embedded *sqlite.Store // the embedded store, when it is the one (Backup)
}

// Open builds the App from cfg. Secrets named by *_PARAM variables are read from
// SSM Parameter Store.
func Open(ctx context.Context, cfg Config) (*App, error) {
	a := &App{Cfg: cfg, Log: logging.New(os.Stderr, cfg.LogLevel), Clock: time.Now}
	// Temporary files a crashed process left (row spools, downloads: personal data).
	if n := scratch.Sweep(); n > 0 {
		a.Log.Info("removed the temporary files of ended processes", "folders", n)
	}
	var err error
	if a.Leads, err = cfg.LeadsSettings(); err != nil {
		return nil, err
	}
	if !cfg.Now.IsZero() {
		a.Clock = func() time.Time { return cfg.Now }
	}
	if err := a.openStores(ctx); err != nil {
		return nil, err
	}
	ref, err := ReferenceData(cfg)
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Svc = workflow.New(a.Store, a.Blobs)
	a.Svc.Ref, a.Svc.Clock = ref, a.Clock
	if ref != refdata.Default() {
		// An admin's calendar replaces the embedded one for every deadline.
		a.Svc.Cal = workday.New(ref.Days())
	}
	if err := a.secrets(ctx); err != nil {
		a.Close()
		return nil, err
	}
	a.Channels = a.channels(ctx)
	a.Ingest = &ingest.Job{Svc: a.Svc, Blobs: a.Blobs, Log: a.Log}
	a.Ingest.Kinds = a.surveyKinds()
	a.Reports = &reportjob.Runner{Blobs: a.Blobs, Build: a.buildReport, Now: a.Clock, Log: a.Log}
	a.Remind = &remind.Job{Svc: a.Svc, Channels: a.Channels, Log: a.Log}
	return a, nil
}

// HTTPConfig is the staff API's configuration on the App (the api function's and
// serve's handler).
func (a *App) HTTPConfig() httpapi.Config {
	cfg := httpapi.Config{Svc: a.Svc, Links: a.Links, Ingest: a.Ingest,
		Reports: a.Reports, Log: a.Log, Invitations: a.Invitations, CallList: a.CallList, Leads: a.Leads,
		StaffCode: a.StaffCode, SessionTTL: a.Cfg.SessionTTL}
	if a.Cfg.Table == "" {
		// The embedded store keeps replaced reference data in its data folder.
		cfg.InstallRefData = a.InstallRefData
	}
	return cfg
}

// InstallRefData checks a reference data file (known by its base name) against
// the data set in the data folder and installs it there (refdata.Import); the
// processes read it when they start.
func (a *App) InstallRefData(ctx context.Context, file string, data []byte) error {
	dir, err := scratch.MkdirTemp("refdata-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, filepath.Base(filepath.Clean("/"+file)))
	if err := os.WriteFile(p, data, 0o600); err != nil {
		return qoldau.E(qoldau.Internal, texts.Text("cannot-keep-file"), err)
	}
	return refdata.Import(a.Cfg.Data, p)
}

// StaffCode issues a one-time code that links a Telegram chat to a staff role
// (operator or agency) for ttl, and its link when the bot's name is known.
func (a *App) StaffCode(ctx context.Context, role, actor string) (*httpapi.IssuedCode, error) {
	return a.staffCode(ctx, role, 24*time.Hour, actor)
}

func (a *App) staffCode(ctx context.Context, role string, ttl time.Duration, actor string) (*httpapi.IssuedCode, error) {
	admin, err := a.Surveys()
	if err != nil {
		return nil, err
	}
	code, err := secret.Token(nil, 12)
	if err != nil {
		return nil, err
	}
	now := a.Clock()
	sc := &qoldau.StaffCode{Hash: admin.Keys.TokenHash("staff_" + code), Role: role, Created: now, Expires: now.Add(ttl)}
	if err := admin.Store.PutStaffCode(ctx, sc); err != nil {
		return nil, err
	}
	out := &httpapi.IssuedCode{Code: "staff_" + code, Expires: sc.Expires}
	if name, err := a.BotUsername(ctx); err == nil {
		out.Link = surveys.Link(name, "staff_"+code)
	}
	return out, a.Svc.Audit(ctx, actor, "staff-code", "staff code "+role,
		map[string]string{"expires": sc.Expires.UTC().Format(time.RFC3339)})
}

// StaffCodeFor is StaffCode with a validity of ttl (the CLI's --ttl).
func (a *App) StaffCodeFor(ctx context.Context, role string, ttl time.Duration, actor string) (*httpapi.IssuedCode, error) {
	return a.staffCode(ctx, role, ttl, actor)
}

// Close releases the store.
func (a *App) Close() {
	if a.Store != nil {
		a.Store.Close()
	}
}

func (a *App) openStores(ctx context.Context) error {
	cfg := a.Cfg
	if cfg.Table != "" {
		s, err := dynamo.Open(ctx, dynamo.Config{Table: cfg.Table, Endpoint: cfg.DynamoEndpoint, Region: cfg.Region})
		if err != nil {
			return err
		}
		if cfg.DynamoEndpoint != "" {
			if err := s.CreateTable(ctx); err != nil {
				return err
			}
		}
		a.Store = s
	} else {
		s, err := sqlite.Open(ctx, filepath.Join(cfg.Data, "qoldau.db"))
		if err != nil {
			return err
		}
		a.Store, a.embedded = s, s
	}
	if cfg.Bucket != "" {
		s3cfg := s3blob.Config{Bucket: cfg.Bucket, Endpoint: cfg.S3Endpoint, Region: cfg.Region}
		c, err := s3blob.NewClient(ctx, s3cfg)
		if err != nil {
			a.Close()
			return err
		}
		b := s3blob.New(s3cfg, c)
		if cfg.S3Endpoint != "" {
			if err := b.CreateBucket(ctx); err != nil {
				a.Close()
				return err
			}
		}
		a.Blobs, a.Links = b, s3blob.NewLinks(s3cfg, c)
		return nil
	}
	b, err := dirblob.New(filepath.Join(cfg.Data, "files"))
	if err != nil {
		a.Close()
		return err
	}
	a.Blobs = b
	return nil
}

// ReferenceData loads the reference data of cfg: the embedded set with any admin
// replacements in DATA/refdata (`qoldau refdata import`); with a DynamoDB table,
// the embedded set.
func ReferenceData(cfg Config) (*refdata.Set, error) {
	if cfg.Table != "" {
		return refdata.Default(), nil
	}
	dir := filepath.Join(cfg.Data, "refdata")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return refdata.Default(), nil
	}
	return refdata.Load(os.DirFS(dir))
}

// secrets reads the bot token and webhook secret from SSM when named by parameter.
func (a *App) secrets(ctx context.Context) error {
	if a.Cfg.TelegramTokenParam == "" && a.Cfg.WebhookSecretParam == "" && a.Cfg.SecretParam == "" {
		return nil
	}
	ac, err := awsconf.Load(ctx, a.Cfg.SSMEndpoint, a.Cfg.Region)
	if err != nil {
		return err
	}
	c := ssm.NewFromConfig(ac, func(o *ssm.Options) {
		if a.Cfg.SSMEndpoint != "" {
			o.BaseEndpoint = aws.String(a.Cfg.SSMEndpoint)
		}
	})
	get := func(name string) (string, error) {
		out, err := c.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)})
		if err != nil {
			return "", qoldau.E(qoldau.Internal, texts.Text("cannot-read-secret-parameter"), err)
		}
		return aws.ToString(out.Parameter.Value), nil
	}
	if a.Cfg.TelegramTokenParam != "" && a.Cfg.TelegramToken == "" {
		if a.Cfg.TelegramToken, err = get(a.Cfg.TelegramTokenParam); err != nil {
			return err
		}
	}
	if a.Cfg.SecretParam != "" && a.Cfg.Secret == "" {
		if a.Cfg.Secret, err = get(a.Cfg.SecretParam); err != nil {
			return err
		}
	}
	if a.Cfg.WebhookSecretParam != "" && a.Cfg.WebhookSecret == "" {
		if a.Cfg.WebhookSecret, err = get(a.Cfg.WebhookSecretParam); err != nil {
			return err
		}
	}
	return nil
}

// channels: a log line always; Telegram to the staff chats of a role (when a bot
// token is known); e-mail through SES (when a sender is set).
func (a *App) channels(ctx context.Context) []remind.Channel {
	cs := []remind.Channel{{Name: "log", Notifier: &notify.Log{Logger: a.Log}}}
	if a.Cfg.TelegramToken != "" {
		base, _, _ := strings.Cut(a.Cfg.TelegramAPI, "/bot%s")
		cs = append(cs, remind.Channel{Name: "telegram", Notifier: &notify.Telegram{Token: a.Cfg.TelegramToken, Base: base,
			Chats: func(ctx context.Context, role qoldau.Role) ([]int64, error) {
				return qoldau.StaffChats(ctx, a.Store, role)
			}}})
	}
	if a.Cfg.MailFrom != "" {
		if ac, err := awsconf.Load(ctx, a.Cfg.SESEndpoint, a.Cfg.Region); err == nil {
			api := sesv2.NewFromConfig(ac, func(o *sesv2.Options) {
				if a.Cfg.SESEndpoint != "" {
					o.BaseEndpoint = aws.String(a.Cfg.SESEndpoint)
				}
			})
			cs = append(cs, remind.Channel{Name: "email", Notifier: &notify.SES{API: api, From: a.Cfg.MailFrom, Emails: notify.EmailsOf(a.Store)}})
		} else {
			a.Log.Error("e-mail reminders off", "err", err)
		}
	}
	return cs
}

// buildReport builds a report with shared/report in every format asked, into
// blobs under reports/<period>/ (report.Publish, which also records the build).
func (a *App) buildReport(ctx context.Context, req reportjob.Request) (map[string]string, error) {
	p, err := report.ParsePeriod(req.Period)
	if err != nil {
		return nil, err
	}
	keys, err := a.Keys()
	if err != nil {
		return nil, err
	}
	r, err := report.Build(ctx, a.Svc, report.Options{Period: p, Keys: keys, Leads: &a.Leads})
	if err != nil {
		return nil, err
	}
	dir, err := scratch.MkdirTemp("report-*")
	if err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-build-report"), err)
	}
	defer os.RemoveAll(dir)
	pub, err := report.Publish(ctx, a.Svc, r, req.Lang, req.Formats, dir, req.Actor)
	if err != nil {
		return nil, err
	}
	return pub.Blobs, nil
}

// SetClock makes now the clock of the App and of every job on it (tests, demos).
func (a *App) SetClock(now func() time.Time) {
	a.Clock = now
	a.Svc.Clock = now
	a.Reports.Now = now
}

// Keys returns the deployment's secret key, loaded once: QOLDAU_SECRET (or its SSM
// parameter), else DATA/secret.key for the embedded store (created on first use).
func (a *App) Keys() (*secret.Key, error) {
	a.keysOnce.Do(func() {
		if a.Cfg.Secret == "" && a.Cfg.Table != "" {
			a.keysErr = qoldau.Errorf(qoldau.Invalid, "QOLDAU_SECRET (or QOLDAU_SECRET_PARAM) is needed with a DynamoDB table")
			return
		}
		a.keys, a.keysErr = secret.Load(a.Cfg.Secret, filepath.Join(a.Cfg.Data, "secret.key"))
	})
	return a.keys, a.keysErr
}

// Describe says which store and files the App uses, for the commands' stderr and
// serve's first line.
func (a *App) Describe() string {
	return "store: " + a.Cfg.storeName() + "; files: " + a.Cfg.filesName()
}

func (c Config) storeName() string {
	if c.Table != "" {
		if c.DynamoEndpoint != "" {
			return "DynamoDB table " + c.Table + " at " + c.DynamoEndpoint
		}
		return "DynamoDB table " + c.Table
	}
	return "embedded SQLite " + filepath.Join(c.Data, "qoldau.db")
}

func (c Config) filesName() string {
	if c.Bucket != "" {
		if c.S3Endpoint != "" {
			return "S3 bucket " + c.Bucket + " at " + c.S3Endpoint
		}
		return "S3 bucket " + c.Bucket
	}
	return "folder " + filepath.Join(c.Data, "files")
}
