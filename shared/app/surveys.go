package app

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/qoldau/qoldau/shared/callcentre"
	"github.com/qoldau/qoldau/shared/ingest"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/surveys"
)

var msgNoBotName = texts.Text("no-bot-name")

// Surveys returns the survey administration over the App's store and key (made
// once).
func (a *App) Surveys() (*surveys.Admin, error) {
	if a.admin != nil {
		return a.admin, nil
	}
	keys, err := a.Keys()
	if err != nil {
		return nil, err
	}
	a.admin = &surveys.Admin{WF: a.Svc, Store: a.Store, Keys: keys, Clock: a.Clock}
	return a.admin, nil
}

// Invitations issues the survey invitations of a period and keeps their list
// (surveys.PublishInvitations), for the staff API; the bot's username must be set.
func (a *App) Invitations(ctx context.Context, p civil.Month, actor string) (string, error) {
	if a.Cfg.TelegramBot == "" {
		return "", qoldau.E(qoldau.Invalid, msgNoBotName, nil)
	}
	admin, err := a.Surveys()
	if err != nil {
		return "", err
	}
	return admin.PublishInvitations(ctx, p, a.Cfg.TelegramBot, actor)
}

// CallList writes and keeps the call centre's list of a period
// (surveys.PublishCallList), for the staff API.
func (a *App) CallList(ctx context.Context, p civil.Month, perRegion int, seed int64, actor string) (string, error) {
	admin, err := a.Surveys()
	if err != nil {
		return "", err
	}
	return admin.PublishCallList(ctx, p, perRegion, uint64(seed), actor)
}

// ImportCalls imports a filled call list (callcentre.ImportCalls) read from r at
// now: the call list export synced the survey directory, so no other step is
// needed.
func (a *App) ImportCalls(ctx context.Context, r io.ReaderAt, size int64, name string, now time.Time) (*callcentre.Result, error) {
	admin, err := a.Surveys()
	if err != nil {
		return nil, err
	}
	return callcentre.ImportCalls(ctx, admin.Store, r, size, name, now)
}

// ImportQuestionnaires imports the operator's register of questionnaires
// (callcentre.Questionnaires) read from r at now.
func (a *App) ImportQuestionnaires(ctx context.Context, r io.ReaderAt, size int64, name string, now time.Time) (*callcentre.Result, error) {
	admin, err := a.Surveys()
	if err != nil {
		return nil, err
	}
	svc := *a.Svc
	svc.Clock = func() time.Time { return now }
	q := &callcentre.Questionnaires{WF: &svc, Keys: admin.Keys, Ref: a.Svc.Ref}
	return q.Import(ctx, admin.Store, r, size, name)
}

// surveyKinds are the ingest job's handlers of the agency's survey files, for
// the API's uploads (and so the Lambdas): a filled call list (kind "calls") and
// the operator's questionnaires (kind "questionnaires"). The import's result, with
// its cell-addressed findings (file_error and its finding for a file that cannot
// be used as a whole), is the upload's outcome, read by the agency only.
func (a *App) surveyKinds() map[string]ingest.Handler {
	kind := func(imp func(context.Context, io.ReaderAt, int64, string, time.Time) (*callcentre.Result, error)) ingest.Handler {
		return func(ctx context.Context, path string, t *ingest.Ticket, received time.Time) (any, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-keep-file"), err)
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-keep-file"), err)
			}
			return imp(ctx, f, st.Size(), t.Name, received)
		}
	}
	return map[string]ingest.Handler{ingest.KindCalls: kind(a.ImportCalls), ingest.KindQuestionnaires: kind(a.ImportQuestionnaires)}
}
