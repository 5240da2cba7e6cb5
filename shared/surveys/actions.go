package surveys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
)

// Tick is the surveys' periodic work, run by the reminder schedule (the remind
// function on AWS, `qoldau serve` and `qoldau bot run` locally): the survey
// directory of the last months synced with the counted register versions, then
// remind, the bot's reminder tick (each reminder once, by claim). A failure of
// one does not keep the other from running; both are returned.
func (a *Admin) Tick(ctx context.Context, now time.Time, remind func(context.Context, time.Time) error) error {
	err := a.SyncRecent(ctx, now)
	if remind != nil {
		err = errors.Join(err, remind(ctx, now))
	}
	return err
}

// fileKey names a kept survey file by what it holds and when it was made.
func (a *Admin) fileKey(kind string, p civil.Month) string {
	return fmt.Sprintf("surveys/%s-%s-%s.xlsx", kind, p, a.now().UTC().Format("20060102T150405Z"))
}

// PublishInvitations issues invitations for every counted service of period p (a
// client invited before keeps the invitation), keeps the list of links (client,
// phone, e-mail, link to bot) as a file and records it in the audit log, naming
// actor; it returns the file's key. The list holds personal data: it is for the
// agency's SMS and e-mail delivery, reached only by a short-lived download link.
func (a *Admin) PublishInvitations(ctx context.Context, p civil.Month, bot, actor string) (string, error) {
	res, err := a.CreateInvitations(ctx, p, 0, 1)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if _, err := a.ExportInvitations(ctx, p, bot, &buf); err != nil {
		return "", err
	}
	key := a.fileKey("invitations", p)
	if err := a.WF.SaveFile(ctx, key, &buf); err != nil {
		return "", err
	}
	return key, a.WF.Audit(ctx, actor, "invite", "invitations "+p.String(),
		map[string]string{"created": fmt.Sprint(res.Created), "file": key})
}

// PublishCallList writes the call list of period p (WriteCallList), keeps it as a
// file and records it in the audit log, naming actor; it returns the file's key.
func (a *Admin) PublishCallList(ctx context.Context, p civil.Month, perRegion int, seed uint64, actor string) (string, error) {
	var buf bytes.Buffer
	res, err := a.WriteCallList(ctx, p, perRegion, seed, &buf)
	if err != nil {
		return "", err
	}
	key := a.fileKey("calls", p)
	if err := a.WF.SaveFile(ctx, key, &buf); err != nil {
		return "", err
	}
	return key, a.WF.Audit(ctx, actor, "export", "call list "+p.String(),
		map[string]string{"rows": fmt.Sprint(res.Rows), "file": key})
}
