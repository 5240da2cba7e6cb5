// Package lambdafn holds the Lambda handlers of the functions under functions/: each
// turns its event into a call of the shared jobs on a config.App, and returns an
// error only for a failure worth a retry (bad input is logged and answered, not
// retried). The mains only load the configuration, open the App and start one of
// these.
package lambdafn

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/qoldau/qoldau/shared/config"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/remind"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/surveys"
)

// Open assembles the App of the function name from its environment (config.Vars):
// what every function's main does first.
func Open(ctx context.Context, name string) (*config.App, error) {
	cfg, err := config.FromEnv(name)
	if err != nil {
		return nil, err
	}
	return config.Open(ctx, cfg)
}

// APIConfig is the HTTP API's configuration on app.
func APIConfig(app *config.App) httpapi.Config {
	return httpapi.Config{Svc: app.Svc, Access: app.Store, Links: app.Links, Ingest: app.Ingest,
		Reports: app.Reports, Log: app.Log, Invitations: app.Invitations, CallList: app.CallList}
}

// APIGatewayHandler is the shape of an API Gateway HTTP API (payload 2.0) handler.
type APIGatewayHandler = func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// HTTP wraps an http.Handler for API Gateway HTTP API events.
func HTTP(h http.Handler) APIGatewayHandler {
	return httpadapter.NewV2(h).ProxyWithContext
}

// API is the api function: the staff API and console.
func API(app *config.App) APIGatewayHandler { return HTTP(httpapi.New(APIConfig(app))) }

// Validate is the validate function: each S3 ObjectCreated record under the inbox
// registers its upload; the record's event time is the object's creation time.
func Validate(app *config.App) func(context.Context, events.S3Event) error {
	return func(ctx context.Context, ev events.S3Event) error {
		for _, rec := range ev.Records {
			key := rec.S3.Object.URLDecodedKey
			if key == "" {
				key = rec.S3.Object.Key
			}
			created := rec.EventTime
			if created.IsZero() {
				created = app.Clock()
			}
			if _, err := app.Ingest.Handle(ctx, key, created); err != nil {
				app.Log.ErrorContext(ctx, "validate failed; the event will be retried", "err", err)
				return err
			}
		}
		return nil
	}
}

// Remind is the remind function: an EventBridge Scheduler event (its time is the
// scheduled time) runs the reminder job at that time.
func Remind(app *config.App) func(context.Context, events.EventBridgeEvent) (*remind.Result, error) {
	return func(ctx context.Context, ev events.EventBridgeEvent) (*remind.Result, error) {
		now := eventTime(app, ev.Time)
		res, err := app.Remind.Run(ctx, now)
		if err != nil {
			app.Log.ErrorContext(ctx, "remind failed; the event will be retried", "err", err)
			return nil, err
		}
		return res, nil
	}
}

// eventTime is the event's time, or the clock's when the event has none.
func eventTime(app *config.App, t time.Time) time.Time {
	if t.IsZero() {
		return app.Clock()
	}
	return t
}

// ReportResult is what the report function answers.
type ReportResult struct {
	Built     []string `json:"built,omitempty"`     // jobs run from S3 request events
	Requested []string `json:"requested,omitempty"` // drafts requested by the schedule
}

// Report is the report function. An S3 ObjectCreated event of a request blob
// (jobs/reports/<id>.request.json) runs that job; an EventBridge schedule event
// requests the drafts of the scheduled reports that are coming due.
func Report(app *config.App) func(context.Context, json.RawMessage) (*ReportResult, error) {
	return func(ctx context.Context, raw json.RawMessage) (*ReportResult, error) {
		var probe struct {
			Records    []json.RawMessage `json:"Records"`
			DetailType string            `json:"detail-type"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			app.Log.WarnContext(ctx, "report: unreadable event")
			return &ReportResult{}, nil
		}
		out := &ReportResult{}
		if len(probe.Records) > 0 {
			var ev events.S3Event
			if err := json.Unmarshal(raw, &ev); err != nil {
				app.Log.WarnContext(ctx, "report: unreadable S3 event")
				return out, nil
			}
			for _, rec := range ev.Records {
				id, ok := reportjob.IDOfKey(rec.S3.Object.URLDecodedKey)
				if !ok {
					continue
				}
				if _, err := app.Reports.Run(ctx, id); err != nil {
					app.Log.ErrorContext(ctx, "report failed; the event will be retried", "job", id, "err", err)
					return nil, err
				}
				out.Built = append(out.Built, id)
			}
			return out, nil
		}
		var ev events.EventBridgeEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			app.Log.WarnContext(ctx, "report: unreadable schedule event")
			return out, nil
		}
		ids, err := remind.Drafts(ctx, app.Svc, app.Reports, eventTime(app, ev.Time))
		if err != nil {
			return nil, err
		}
		out.Requested = ids
		return out, nil
	}
}

// Bot is the bot function: the Telegram webhook, served by the survey bot's
// handler (bot/telegram), which checks the secret token and answers 5xx only when
// Telegram should resend the update.
func Bot(ctx context.Context, app *config.App) (APIGatewayHandler, error) {
	b, err := app.OpenBot(ctx)
	if err != nil {
		return nil, err
	}
	return HTTP(b), nil
}

// SurveyReminders adds the client survey reminder tick to the remind job: the
// survey directory synced with the counted versions, then the bot's reminders (each
// once, by claim; none between 21:00 and 09:00).
func SurveyReminders(ctx context.Context, app *config.App) error {
	if app.Cfg.TelegramToken == "" {
		return nil
	}
	b, err := app.OpenBot(ctx)
	if err != nil {
		return err
	}
	rc, err := app.BotConfig()
	if err != nil {
		return err
	}
	admin := &surveys.Admin{WF: app.Svc, Store: rc.Store, Keys: rc.Keys, Clock: app.Clock}
	app.Remind.Extra = append(app.Remind.Extra, func(ctx context.Context, now time.Time) error {
		if err := admin.SyncRecent(ctx, now); err != nil {
			return err
		}
		_, err := b.RemindTick(ctx, now)
		return err
	})
	return nil
}
