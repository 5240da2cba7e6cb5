package telegram

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/qoldau/qoldau/bot/survey"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/surveys"
	"github.com/qoldau/qoldau/shared/workflow"
)

// EndpointFormat reads QOLDAU_TELEGRAM_API: a format string of the token and the
// method ("https://api.telegram.org/bot%s/%s", as the issue names it) is kept; a
// base URL ("https://api.telegram.org", a self-hosted server, a fake) gets
// "/bot%s/%s" appended; "" is Telegram's own.
func EndpointFormat(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return DefaultEndpoint
	case strings.Contains(s, "%s"):
		return s
	}
	return strings.TrimRight(s, "/") + "/bot%s/%s"
}

// RunConfig is what Run needs: the local server's adapters and settings.
type RunConfig struct {
	Token    string // QOLDAU_TELEGRAM_TOKEN
	Endpoint string // QOLDAU_TELEGRAM_API (either form, see EndpointFormat)
	Store    survey.Store
	WF       *workflow.Service // for the survey directory's periodic sync
	Keys     *secret.Key       // QOLDAU_SECRET or DATA/secret.key (secret.Load)
	Ref      *refdata.Set
	Clock    func() time.Time
	Log      *slog.Logger
	// CallCentre is the number the bot gives (QOLDAU_CALL_CENTRE).
	CallCentre string
	// Tick is how often the directory is synced and reminders are sent (0: 5 min).
	Tick time.Duration
}

// Engine builds the conversation engine of cfg.
func (cfg RunConfig) Engine() *survey.Engine {
	ref := cfg.Ref
	if ref == nil {
		ref = refdata.Default()
	}
	return &survey.Engine{Store: cfg.Store, Keys: cfg.Keys, Ref: ref, Clock: cfg.Clock, Log: cfg.Log, CallCentre: cfg.CallCentre}
}

// Run is the bot of `qoldau serve`: long polling until ctx ends, and every Tick
// the survey directory of the last months synced with the counted register versions
// and the reminder tick (RemindTick). It returns when ctx ends, or at once when the
// Bot API cannot be reached with the token (getMe).
func Run(ctx context.Context, cfg RunConfig) error {
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	b, err := New(ctx, Config{Token: cfg.Token, Endpoint: EndpointFormat(cfg.Endpoint), Log: log}, cfg.Engine())
	if err != nil {
		return err
	}
	name, err := b.Username(ctx) // a wrong token fails here, at start
	if err != nil {
		return err
	}
	log.Info("bot: long polling", "bot", name)
	tick := cfg.Tick
	if tick <= 0 {
		tick = 5 * time.Minute
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		admin := &surveys.Admin{WF: cfg.WF, Store: cfg.Store, Keys: cfg.Keys, Clock: clock}
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			now := clock()
			if cfg.WF != nil {
				if err := admin.SyncRecent(ctx, now); err != nil && ctx.Err() == nil {
					log.Error("bot: survey directory sync failed", "error", err)
				}
			}
			if res, err := b.RemindTick(ctx, now); err != nil && ctx.Err() == nil {
				log.Error("bot: reminder tick failed", "error", err)
			} else if res != nil && res.Reminded+res.Offered > 0 {
				log.Info("bot: reminders sent", "reminded", res.Reminded, "offered", res.Offered, "failed", res.Failed)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	err = b.Poll(ctx, 25*time.Second)
	<-done
	return err
}
