package app

import (
	"context"

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
