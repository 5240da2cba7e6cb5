// Package lambdafn holds the Lambda handlers of the functions under functions/: each
// turns its event into a call of the shared jobs on an app.App, and returns an
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

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/remind"
	"github.com/qoldau/qoldau/shared/reportjob"
)

// Open assembles the App of the function name from its environment (app.Settings):
// what every function's main does first.
func Open(ctx context.Context, name string) (*app.App, error) {
	cfg, err := app.ForFunction(name)
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, cfg)
}

// APIGatewayHandler is the shape of an API Gateway HTTP API (payload 2.0) handler.
type APIGatewayHandler = func(context.Context, events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)

// HTTP wraps an http.Handler for API Gateway HTTP API events.
func HTTP(h http.Handler) APIGatewayHandler {
	return httpadapter.NewV2(h).ProxyWithContext
}

// API is the api function: the staff API and console.
func API(a *app.App) APIGatewayHandler { return HTTP(httpapi.New(a.HTTPConfig())) }

// Validate is the validate function: each S3 ObjectCreated record under the inbox
// registers its upload; the record's event time is the object's creation time.
func Validate(a *app.App) func(context.Context, events.S3Event) error {
	return func(ctx context.Context, ev events.S3Event) error {
		for _, rec := range ev.Records {
			key := rec.S3.Object.URLDecodedKey
			if key == "" {
				key = rec.S3.Object.Key
			}
			created := rec.EventTime
			if created.IsZero() {
				created = a.Clock()
			}
			if _, err := a.Ingest.Handle(ctx, key, created); err != nil {
				a.Log.ErrorContext(ctx, "validate failed; the event will be retried", "err", err)
				return err
			}
		}
		return nil
	}
}

// Remind is the remind function: an EventBridge Scheduler event (its time is the
// scheduled time) runs the reminder job at that time.
func Remind(a *app.App) func(context.Context, events.EventBridgeEvent) (*remind.Result, error) {
	return func(ctx context.Context, ev events.EventBridgeEvent) (*remind.Result, error) {
		now := eventTime(a, ev.Time)
		res, err := a.Remind.Run(ctx, now)
		if err != nil {
			a.Log.ErrorContext(ctx, "remind failed; the event will be retried", "err", err)
			return nil, err
		}
		return res, nil
	}
}

// eventTime is the event's time, or the clock's when the event has none.
func eventTime(a *app.App, t time.Time) time.Time {
	if t.IsZero() {
		return a.Clock()
	}
	return t
}

// ReportResult is what the report function answers: what became of each request
// event's job (reportjob.Outcome: built, already-built, refused, not-found,
// unreadable) and of each draft the schedule asks for (requested, or
// already-requested when an earlier run asked).
type ReportResult struct {
	Jobs   map[string]reportjob.Outcome `json:"jobs,omitempty"`
	Drafts map[string]string            `json:"drafts,omitempty"`
}

// Report is the report function. An S3 ObjectCreated event of a request blob
// (jobs/reports/<id>.request.json) runs that job; an EventBridge schedule event
// requests the drafts of the scheduled reports that are coming due.
func Report(a *app.App) func(context.Context, json.RawMessage) (*ReportResult, error) {
	return func(ctx context.Context, raw json.RawMessage) (*ReportResult, error) {
		var probe struct {
			Records    []json.RawMessage `json:"Records"`
			DetailType string            `json:"detail-type"`
		}
		if err := json.Unmarshal(raw, &probe); err != nil {
			a.Log.WarnContext(ctx, "report: unreadable event")
			return &ReportResult{}, nil
		}
		out := &ReportResult{}
		if len(probe.Records) > 0 {
			var ev events.S3Event
			if err := json.Unmarshal(raw, &ev); err != nil {
				a.Log.WarnContext(ctx, "report: unreadable S3 event")
				return out, nil
			}
			out.Jobs = map[string]reportjob.Outcome{}
			for _, rec := range ev.Records {
				id, ok := reportjob.IDOfKey(rec.S3.Object.URLDecodedKey)
				if !ok {
					continue
				}
				_, outcome, err := a.Reports.Run(ctx, id)
				if err != nil {
					a.Log.ErrorContext(ctx, "report failed; the event will be retried", "job", id, "err", err)
					return nil, err
				}
				out.Jobs[id] = outcome
			}
			return out, nil
		}
		var ev events.EventBridgeEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			a.Log.WarnContext(ctx, "report: unreadable schedule event")
			return out, nil
		}
		drafts, err := remind.Drafts(ctx, a.Svc, a.Reports, eventTime(a, ev.Time))
		if err != nil {
			return nil, err
		}
		out.Drafts = drafts
		return out, nil
	}
}

// Bot is the bot function: the Telegram webhook, served by the survey bot's
// handler (bot/telegram), which checks the secret token and answers 5xx only when
// Telegram should resend the update.
func Bot(ctx context.Context, a *app.App) (APIGatewayHandler, error) {
	b, err := a.OpenBot(ctx)
	if err != nil {
		return nil, err
	}
	return HTTP(b), nil
}
