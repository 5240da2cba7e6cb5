package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/remind"
)

func init() {
	commands["serve"] = command{"cmd.serve", cmdServe}
}

func cmdServe(e *env, args []string) int {
	fs := newFlags(e, "serve")
	sf := settingFlags{}
	sf.add(fs, "QOLDAU_ADDR", "listen address (default $QOLDAU_ADDR or 127.0.0.1:8080)")
	sf.add(fs, "QOLDAU_DATA", dataUsage)
	sf.add(fs, "QOLDAU_LANG", langUsage)
	tick := fs.Duration("tick", 5*time.Minute, "how often the reminder and report jobs run")
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	cfg, err := sf.load()
	if err != nil {
		return failErr(e, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := openApp(ctx, e, cfg)
	if err != nil {
		return failErr(e, err)
	}
	defer a.Close()
	s := newServer(a)
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fail(e, "serve.listen", cfg.Addr, err)
	}
	e.say("serve.running", cfg.PublicURL, describe(e, a.Cfg))
	if err := s.run(ctx, ln, *tick); err != nil {
		return failErr(e, err)
	}
	return 0
}

// server is `qoldau serve`: the handlers of the Lambda functions in one process.
type server struct {
	app     *app.App
	handler http.Handler
	jobs    chan string // report job IDs for the worker
	log     *slog.Logger
}

func newServer(a *app.App) *server {
	s := &server{app: a, jobs: make(chan string, 64), log: a.Log}
	secret := make([]byte, 32)
	rand.Read(secret)
	links := &httpapi.LocalLinks{Base: a.Cfg.PublicURL, Secret: secret, Blobs: a.Blobs, Now: a.Clock,
		OnUpload: func(ctx context.Context, key string, created time.Time) error {
			// As the validate function does on S3's event; its outcome is stored.
			// A failure worth a retry answers the PUT with an error.
			_, err := a.Ingest.Handle(ctx, key, created)
			if err != nil {
				s.log.ErrorContext(ctx, "validate failed", "err", err)
			}
			return err
		}}
	a.Reports.Dispatch = func(id string) {
		select {
		case s.jobs <- id:
		default:
			s.log.Warn("report queue full; the job stays queued", "job", id)
		}
	}
	cfg := a.HTTPConfig()
	cfg.Links, cfg.Files = links, links
	s.handler = httpapi.New(cfg)
	return s
}

// run serves until ctx ends, then shuts down within 10 seconds.
func (s *server) run(ctx context.Context, ln net.Listener, tick time.Duration) error {
	srv := httpapi.NewServer(s.handler, httpapi.Timeouts{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.worker(ctx) }()
	go func() { defer wg.Done(); s.ticker(ctx, tick) }()
	if s.app.Cfg.TelegramToken != "" {
		if _, err := s.app.Engine(); err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The bot by long polling, its directory sync and survey reminders.
			if err := s.app.RunBot(ctx, tick); err != nil && ctx.Err() == nil {
				s.log.Error("bot stopped", "err", err)
			}
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Shutdown(sctx)
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// worker builds requested reports one at a time, as the report function does.
func (s *server) worker(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-s.jobs:
			if _, _, err := s.app.Reports.Run(ctx, id); err != nil {
				s.log.ErrorContext(ctx, "report failed", "job", id, "err", err)
			}
		}
	}
}

// ticker runs the reminder job and the report drafts now and every d, as the
// schedules of the remind and report functions do.
func (s *server) ticker(ctx context.Context, d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		now := s.app.Clock()
		if _, err := s.app.Remind.Run(ctx, now); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "reminders failed", "err", err)
		}
		if _, err := remind.Drafts(ctx, s.app.Svc, s.app.Reports, now); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "report drafts failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
