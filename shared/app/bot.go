package app

import (
	"context"
	"time"

	"github.com/qoldau/qoldau/bot/conversation"
	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Engine is the survey conversation on the App's store and key, giving
// QOLDAU_CALL_CENTRE as the number for questions.
func (a *App) Engine() (*conversation.Engine, error) {
	keys, err := a.Keys()
	if err != nil {
		return nil, err
	}
	return &conversation.Engine{Store: a.Store, Keys: keys, Ref: a.Svc.Ref, Clock: a.Clock, Log: a.Log,
		CallCentre: a.Cfg.CallCentre}, nil
}

// telegramConfig is the Bot API connection of the settings.
func (a *App) telegramConfig() telegram.Config {
	return telegram.Config{Token: a.Cfg.TelegramToken, Endpoint: telegram.EndpointFormat(a.Cfg.TelegramAPI),
		Secret: a.Cfg.WebhookSecret, Username: a.Cfg.TelegramBot, Log: a.Log}
}

// OpenBot returns the survey bot on the Bot API with the webhook secret (the bot
// function's webhook handler and the local long polling); it asks Telegram nothing,
// so a function starts with Telegram down.
func (a *App) OpenBot(ctx context.Context) (*telegram.Bot, error) {
	eng, err := a.Engine()
	if err != nil {
		return nil, err
	}
	return telegram.New(ctx, a.telegramConfig(), eng)
}

// BotAPI is the Bot API without the conversation: for setting the webhook and
// asking the bot's username.
func (a *App) BotAPI(ctx context.Context) (*telegram.Bot, error) {
	return telegram.New(ctx, a.telegramConfig(), &conversation.Engine{})
}

// BotUsername is the survey bot's username for links: QOLDAU_TELEGRAM_BOT (or
// --bot), else asked of Telegram with the token.
func (a *App) BotUsername(ctx context.Context) (string, error) {
	if a.Cfg.TelegramBot != "" {
		return a.Cfg.TelegramBot, nil
	}
	if a.Cfg.TelegramToken == "" {
		return "", qoldau.E(qoldau.Invalid, msgNoBotName, nil)
	}
	b, err := a.BotAPI(ctx)
	if err != nil {
		return "", err
	}
	return b.Username(ctx)
}

// surveyTick is the surveys' periodic work with b's reminders (surveys.Admin.Tick).
func (a *App) surveyTick(b *telegram.Bot) (func(context.Context, time.Time) error, error) {
	admin, err := a.Surveys()
	if err != nil {
		return nil, err
	}
	remind := func(ctx context.Context, now time.Time) error {
		res, err := b.RemindTick(ctx, now)
		if err == nil && res != nil && res.Reminded+res.Offered > 0 {
			a.Log.InfoContext(ctx, "bot: reminders sent", "reminded", res.Reminded, "offered", res.Offered, "failed", res.Failed)
		}
		return err
	}
	return func(ctx context.Context, now time.Time) error { return admin.Tick(ctx, now, remind) }, nil
}

// AddSurveyTick adds the surveys' tick to the reminder job when a bot token is
// set (the remind function): each run then syncs the survey directory and sends
// the bot's reminders that are due.
func (a *App) AddSurveyTick(ctx context.Context) error {
	if a.Cfg.TelegramToken == "" {
		return nil
	}
	b, err := a.OpenBot(ctx)
	if err != nil {
		return err
	}
	tick, err := a.surveyTick(b)
	if err != nil {
		return err
	}
	a.Remind.Extra = append(a.Remind.Extra, tick)
	return nil
}

// RunBot runs the survey bot by long polling until ctx ends (`qoldau serve` and
// `qoldau bot run`), with the surveys' tick now and every tick (0: 5 minutes). It
// returns at once when the Bot API refuses the token (getMe), and waits for a Bot
// API that cannot be reached at start (telegram.Bot.Start).
func (a *App) RunBot(ctx context.Context, tick time.Duration) error {
	b, err := a.OpenBot(ctx)
	if err != nil {
		return err
	}
	run, err := a.surveyTick(b)
	if err != nil {
		return err
	}
	if tick <= 0 {
		tick = 5 * time.Minute
	}
	// A token Telegram refuses fails here, at start; a Bot API that cannot be
	// reached is tried again with a backoff.
	name, err := b.Start(ctx, 0)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	a.Log.Info("bot: long polling", "bot", name)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			if err := run(ctx, a.Clock()); err != nil && ctx.Err() == nil {
				a.Log.Error("bot: survey tick failed", "error", err)
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
