package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/callcentre"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/surveys"
)

func init() {
	commands["invitations"] = command{"cmd.invitations", cmdInvitations}
	commands["calls"] = command{"cmd.calls", cmdCalls}
	commands["questionnaires"] = command{"cmd.questionnaires", cmdQuestionnaires}
	commands["surveys"] = command{"cmd.surveys", cmdSurveys}
	commands["bot"] = command{"cmd.bot", cmdBot}
}

// subcommand splits "NAME rest…" and reports usage when NAME is not one of names.
func subcommand(e *env, cmd string, args []string, names ...string) (string, []string, bool) {
	if len(args) == 0 {
		usageFail(e, "qoldau "+cmd+" "+strings.Join(names, "|")+" …")
		return "", nil, false
	}
	for _, n := range names {
		if args[0] == n {
			return n, args[1:], true
		}
	}
	fail(e, "unknown_subcommand", cmd, args[0], strings.Join(names, ", "))
	return "", nil, false
}

func cmdInvitations(e *env, args []string) int {
	sub, args, ok := subcommand(e, "invitations", args, "create", "export")
	if !ok {
		return 2
	}
	fs := newFlags(e, "invitations "+sub)
	period := fs.String("period", "", "reporting month YYYY-MM (required)")
	sample := fs.Int("sample", 0, "create: invite a random sample of N clients (0: all)")
	seed := fs.Uint64("seed", 1, "create: the sample's seed (the same seed, the same sample)")
	ttl := fs.Duration("ttl", surveys.DefaultTTL, "create: how long an invitation is valid")
	out := fs.String("out", "", "export: the .xlsx to write")
	sf, asJSON := storeFlags(fs)
	sf.add(fs, "QOLDAU_TELEGRAM_BOT", "export: the bot's username (default $QOLDAU_TELEGRAM_BOT, else asked of Telegram with $QOLDAU_TELEGRAM_TOKEN)")
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	p, ok := monthFlag(e, *period)
	if !ok {
		return 2
	}
	if sub == "export" && *out == "" {
		return usageFail(e, "qoldau invitations export --period YYYY-MM --out FILE.xlsx [--bot NAME]")
	}
	return withSurveys(e, sf, func(ctx context.Context, a *app.App, admin *surveys.Admin) int {
		if sub == "create" {
			admin.TTL = *ttl
			return createInvitations(ctx, e, admin, p, *sample, *seed, *asJSON)
		}
		name, err := a.BotUsername(ctx)
		if err != nil {
			return failErr(e, err)
		}
		var buf bytes.Buffer
		n, err := admin.ExportInvitations(ctx, p, name, &buf)
		if err != nil {
			return failErr(e, err)
		}
		if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
			return fail(e, "write_failed", *out, err)
		}
		if *asJSON {
			printJSON(e, map[string]any{"period": p, "invitations": n, "file": *out})
			return 0
		}
		e.say("invitations.exported", e.month(p), n, *out)
		return 0
	})
}

// withSurveys opens the App and its survey administration and runs fn with them.
func withSurveys(e *env, sf settingFlags, fn func(ctx context.Context, a *app.App, admin *surveys.Admin) int) int {
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		admin, err := a.Surveys()
		if err != nil {
			return failErr(e, err)
		}
		return fn(ctx, a, admin)
	})
}

func createInvitations(ctx context.Context, e *env, admin *surveys.Admin, p civil.Month, sample int, seed uint64, asJSON bool) int {
	res, err := admin.CreateInvitations(ctx, p, sample, seed)
	if err != nil {
		return failErr(e, err)
	}
	if asJSON {
		printJSON(e, res)
		return 0
	}
	e.say("invitations.created", e.month(res.Period), res.Version, res.Created, res.Services, res.Invited, res.Clients, e.when(res.Expires))
	e.say("invitations.next", p, p)
	return 0
}

func cmdCalls(e *env, args []string) int {
	sub, args, ok := subcommand(e, "calls", args, "export", "import")
	if !ok {
		return 2
	}
	fs := newFlags(e, "calls "+sub)
	period := fs.String("period", "", "export: reporting month YYYY-MM (required)")
	perRegion := fs.Int("per-region", 20, "export: clients sampled per region (0: all)")
	seed := fs.Uint64("seed", 1, "export: the sample's seed")
	out := fs.String("out", "", "export: the .xlsx to write")
	sf, asJSON := storeFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	if sub == "export" {
		p, ok := monthFlag(e, *period)
		if !ok {
			return 2
		}
		if *out == "" {
			return usageFail(e, "qoldau calls export --period YYYY-MM --per-region N --seed S --out FILE.xlsx")
		}
		return withSurveys(e, sf, func(ctx context.Context, a *app.App, admin *surveys.Admin) int {
			var buf bytes.Buffer
			admin.Lang = e.lang // the list's headers and answers in the user's language
			res, err := admin.WriteCallList(ctx, p, *perRegion, *seed, &buf)
			if err != nil {
				return failErr(e, err)
			}
			if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
				return fail(e, "write_failed", *out, err)
			}
			if *asJSON {
				printJSON(e, res)
				return 0
			}
			e.say("calls.exported", e.month(p), res.Rows, len(res.ByRegion), res.Eligible, *out)
			return 0
		})
	}
	if len(pos) != 1 {
		return usageFail(e, "qoldau calls import FILE")
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		return importFile(e, pos[0], *asJSON, func(f *os.File, size int64) (*callcentre.Result, error) {
			return a.ImportCalls(ctx, f, size, filepath.Base(pos[0]), a.Clock())
		})
	})
}

func cmdQuestionnaires(e *env, args []string) int {
	sub, args, ok := subcommand(e, "questionnaires", args, "import")
	if !ok {
		return 2
	}
	fs := newFlags(e, "questionnaires "+sub)
	sf, asJSON := storeFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		return usageFail(e, "qoldau questionnaires import FILE")
	}
	return withApp(e, sf, func(ctx context.Context, a *app.App) int {
		return importFile(e, pos[0], *asJSON, func(f *os.File, size int64) (*callcentre.Result, error) {
			return a.ImportQuestionnaires(ctx, f, size, filepath.Base(pos[0]), a.Clock())
		})
	})
}

// importFile opens path, runs the import and prints its result; the exit status
// is the result's.
func importFile(e *env, path string, asJSON bool, run func(*os.File, int64) (*callcentre.Result, error)) int {
	f, err := os.Open(path)
	if err != nil {
		return fail(e, "open_failed", path)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fail(e, "read_failed", path)
	}
	res, err := run(f, st.Size())
	if err != nil {
		return failErr(e, err)
	}
	if asJSON {
		printJSON(e, res)
	} else {
		e.say("import.summary", res.Name, res.Read, res.Stored, res.Already, res.Skipped, res.Rejected)
		printFindings(e, res.Findings, 50)
	}
	return res.ExitCode()
}

func cmdSurveys(e *env, args []string) int {
	sub, args, ok := subcommand(e, "surveys", args, "summary")
	if !ok {
		return 2
	}
	fs := newFlags(e, "surveys "+sub)
	period := fs.String("period", "", "reporting month YYYY-MM (required): the first month")
	to := fs.String("to", "", "the last month (default: --period)")
	sf, asJSON := storeFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	from, ok := monthFlag(e, *period)
	if !ok {
		return 2
	}
	last := from
	if *to != "" {
		if last, ok = monthFlag(e, *to); !ok {
			return 2
		}
	}
	return withSurveys(e, sf, func(ctx context.Context, a *app.App, admin *surveys.Admin) int {
		s, err := surveys.Summarize(ctx, admin.Store, from, last)
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, s)
			return 0
		}
		e.say("surveys.summary", e.month(from), e.month(last), s.Invited, s.Used, s.Completed, len(s.Denied))
		for _, ch := range sortedChannels(s.Channels) {
			r := s.Channels[ch]
			e.say("surveys.channel", e.label("channel.", ch), r.Completed, r.Started)
		}
		if s.Rating.N > 0 {
			e.say("surveys.rating", s.Rating.Mean, s.Rating.N)
		}
		return 0
	})
}

func cmdBot(e *env, args []string) int {
	sub, args, ok := subcommand(e, "bot", args, "run", "webhook", "staff-code")
	if !ok {
		return 2
	}
	fs := newFlags(e, "bot "+sub)
	sf := settingFlags{}
	sf.add(fs, "QOLDAU_DATA", dataUsage)
	sf.add(fs, "QOLDAU_LANG", langUsage)
	sf.add(fs, "QOLDAU_TELEGRAM_BOT", "staff-code: the bot's username for the link (default $QOLDAU_TELEGRAM_BOT or getMe)")
	url := fs.String("url", "", "webhook: the HTTPS URL Telegram posts updates to")
	role := fs.String("role", "", "staff-code: operator or agency")
	ttl := fs.Duration("ttl", 24*time.Hour, "staff-code: how long the code is valid")
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	switch {
	case sub == "webhook" && *url == "":
		return usageFail(e, "qoldau bot webhook --url https://…/telegram (QOLDAU_TELEGRAM_TOKEN, QOLDAU_WEBHOOK_SECRET)")
	case sub == "staff-code" && *role != qoldau.RoleOperator && *role != qoldau.RoleAgency:
		return fail(e, "bad_staff_role")
	}
	cfg, err := sf.load()
	if err != nil {
		return failErr(e, err)
	}
	if sub == "run" && cfg.TelegramToken == "" {
		return fail(e, "bot.no_token")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := openApp(ctx, e, cfg)
	if err != nil {
		return failErr(e, err)
	}
	defer a.Close()
	switch sub {
	case "webhook":
		if a.Cfg.WebhookSecret == "" {
			return fail(e, "bot.no_webhook_secret")
		}
		b, err := a.BotAPI(ctx)
		if err != nil {
			return failErr(e, err)
		}
		if err := b.SetWebhook(*url); err != nil {
			return failErr(e, err)
		}
		name, err := b.Username(ctx)
		if err != nil {
			return failErr(e, err)
		}
		e.say("bot.webhook", name, *url)
		return 0
	case "staff-code":
		return staffCode(ctx, e, a, *role, *ttl)
	}
	if _, err := a.Engine(); err != nil {
		return failErr(e, err)
	}
	e.say("bot.running")
	if err := a.RunBot(ctx, 0); err != nil {
		return failErr(e, err)
	}
	return 0
}

// staffCode issues a one-time code that links a Telegram chat to a staff role, in
// the store of the deployment the settings name.
func staffCode(ctx context.Context, e *env, a *app.App, role string, ttl time.Duration) int {
	sc, err := a.StaffCodeFor(ctx, role, ttl, a.Cfg.Actor)
	if err != nil {
		return failErr(e, err)
	}
	e.say("bot.staff_code", e.label("role.", role), e.when(sc.Expires), sc.Code)
	if sc.Link != "" {
		fmt.Fprintf(e.stdout, "  %s\n", sc.Link)
	}
	return 0
}

// sortedChannels lists the channels of a summary in the report's order.
func sortedChannels[V any](m map[string]V) []string {
	var out []string
	for _, c := range []string{qoldau.ChannelTelegram, qoldau.ChannelPhone, qoldau.ChannelImport} {
		if _, ok := m[c]; ok {
			out = append(out, c)
		}
	}
	var rest []string
	for c := range m {
		if c != qoldau.ChannelTelegram && c != qoldau.ChannelPhone && c != qoldau.ChannelImport {
			rest = append(rest, c)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
