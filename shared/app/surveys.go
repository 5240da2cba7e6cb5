package app

import (
	"bytes"
	"context"
	"fmt"

	"github.com/qoldau/qoldau/shared/callcentre"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/surveys"
)

var msgNoBotName = qoldau.Text{
	KK: "Сілтемелер үшін боттың атауы қажет (QOLDAU_TELEGRAM_BOT, --bot немесе QOLDAU_TELEGRAM_TOKEN).",
	RU: "Для ссылок нужно имя бота (QOLDAU_TELEGRAM_BOT, --bot или QOLDAU_TELEGRAM_TOKEN).",
	EN: "The bot's username is needed for the links (QOLDAU_TELEGRAM_BOT, --bot or QOLDAU_TELEGRAM_TOKEN).",
}

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

// exportKey names an export blob by what it holds and when it was made.
func (a *App) exportKey(kind string, p civil.Month) string {
	return fmt.Sprintf("surveys/%s-%s-%s.xlsx", kind, p, a.Clock().UTC().Format("20060102T150405Z"))
}

// Invitations issues survey invitations for every counted service of a period (a
// client invited before keeps the invitation) and writes the list of links (client,
// phone, e-mail, link) to a blob, returning its key. The list holds personal data:
// it is for the agency's SMS and e-mail delivery and is only reachable by a
// short-lived download link.
func (a *App) Invitations(ctx context.Context, p civil.Month, actor string) (string, error) {
	if a.Cfg.TelegramBot == "" {
		return "", qoldau.E(qoldau.Invalid, msgNoBotName, nil)
	}
	admin, err := a.Surveys()
	if err != nil {
		return "", err
	}
	res, err := admin.CreateInvitations(ctx, p, 0, 1)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := admin.ExportInvitations(ctx, p, a.Cfg.TelegramBot, &buf); err != nil {
		return "", err
	}
	key := a.exportKey("invitations", p)
	if err := a.Svc.SaveFile(ctx, key, &buf); err != nil {
		return "", err
	}
	return key, a.Svc.Audit(ctx, actor, "invite", "invitations "+p.String(), map[string]string{"created": fmt.Sprint(res.Created), "file": key})
}

// CallList writes the call centre's list for a period (a stratified sample of
// perRegion clients per region, reproducible by seed) to a blob and returns its key.
func (a *App) CallList(ctx context.Context, p civil.Month, perRegion int, seed int64, actor string) (string, error) {
	admin, err := a.Surveys()
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	res, err := callcentre.ExportCalls(ctx, admin, a.Svc.Ref, p, perRegion, uint64(seed), &buf)
	if err != nil {
		return "", err
	}
	key := a.exportKey("calls", p)
	if err := a.Svc.SaveFile(ctx, key, &buf); err != nil {
		return "", err
	}
	return key, a.Svc.Audit(ctx, actor, "export", "call list "+p.String(), map[string]string{"rows": fmt.Sprint(res.Rows), "file": key})
}
