package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/qoldau/qoldau/bot/survey"
	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/shared/callcentre"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/surveys"
	"github.com/qoldau/qoldau/shared/workflow"
)

func init() {
	commands["invitations"] = command{"survey invitations: create --period P [--sample N --seed S] | export --period P --out FILE.xlsx", cmdInvitations}
	commands["calls"] = command{"call centre: export --period P --per-region N --seed S --out FILE.xlsx | import FILE", cmdCalls}
	commands["questionnaires"] = command{"questionnaires from the operator's system (clause 6): import FILE", cmdQuestionnaires}
	commands["surveys"] = command{"survey answers: summary --period P [--to P] --json", cmdSurveys}
	commands["bot"] = command{"the survey bot: run | webhook --url URL | staff-code --role operator|agency", cmdBot}
}

// surveyEnv is what the survey commands work on.
type surveyEnv struct {
	svc   *workflow.Service
	store survey.Store
	keys  *secret.Key
	admin *surveys.Admin
	data  string
	done  func()
}

// openSurveys opens the workflow, the survey store and the secret key of the data
// folder: QOLDAU_SECRET, else DATA/secret.key (created on first use).
func openSurveys(ctx context.Context, data string) (*surveyEnv, error) {
	svc, done, err := openService(ctx, data)
	if err != nil {
		return nil, err
	}
	st, ok := svc.Store.(survey.Store)
	if !ok {
		done()
		return nil, qoldau.Errorf(qoldau.Internal, "the store keeps no surveys")
	}
	keys, err := secret.Load(os.Getenv("QOLDAU_SECRET"), filepath.Join(data, "secret.key"))
	if err != nil {
		done()
		return nil, err
	}
	return &surveyEnv{svc: svc, store: st, keys: keys, data: data, done: done,
		admin: &surveys.Admin{WF: svc, Store: st, Keys: keys, Clock: svc.Clock}}, nil
}

// subcommand splits "NAME rest…" and reports usage when NAME is not one of names.
func subcommand(e *env, cmd string, args []string, names ...string) (string, []string, bool) {
	if len(args) == 0 {
		fail(e, "usage: qoldau %s %s …", cmd, strings.Join(names, "|"))
		return "", nil, false
	}
	for _, n := range names {
		if args[0] == n {
			return n, args[1:], true
		}
	}
	fail(e, "qoldau %s: unknown subcommand %q (want %s)", cmd, args[0], strings.Join(names, ", "))
	return "", nil, false
}

func cmdInvitations(e *env, args []string) int {
	sub, args, ok := subcommand(e, "invitations", args, "create", "export")
	if !ok {
		return 2
	}
	fs := newFlags(e, "invitations "+sub)
	period := fs.String("period", "", "reporting month YYYY-MM (required)")
	data := fs.String("data", "", "data folder (default $QOLDAU_DATA or ./qoldau-data)")
	sample := fs.Int("sample", 0, "create: invite a random sample of N clients (0: all)")
	seed := fs.Uint64("seed", 1, "create: the sample's seed (the same seed, the same sample)")
	ttl := fs.Duration("ttl", surveys.DefaultTTL, "create: how long an invitation is valid")
	out := fs.String("out", "", "export: the .xlsx to write")
	bot := fs.String("bot", "", "export: the bot's username (default $QOLDAU_TELEGRAM_BOT, else asked of Telegram with $QOLDAU_TELEGRAM_TOKEN)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	p, ok := monthFlag(e, *period)
	if !ok {
		return 2
	}
	ctx := context.Background()
	se, err := openSurveys(ctx, dataDir(*data))
	if err != nil {
		return failErr(e, err)
	}
	defer se.done()
	switch sub {
	case "create":
		se.admin.TTL = *ttl
		res, err := se.admin.CreateInvitations(ctx, p, *sample, *seed)
		if err != nil {
			return failErr(e, err)
		}
		if *asJSON {
			printJSON(e, res)
			return 0
		}
		fmt.Fprintf(e.stdout, "invitations %s (version %d): %d created for %d services, %d clients invited before, %d clients in all; valid until %s\n",
			res.Period, res.Version, res.Created, res.Services, res.Invited, res.Clients, res.Expires.In(almaty()).Format("2006-01-02 15:04"))
		fmt.Fprintf(e.stdout, "  export the links with `qoldau invitations export --period %s --out invitations-%s.xlsx`\n", p, p)
		return 0
	}
	if *out == "" {
		return fail(e, "usage: qoldau invitations export --period YYYY-MM --out FILE.xlsx [--bot NAME]")
	}
	name, err := botName(ctx, *bot)
	if err != nil {
		return failErr(e, err)
	}
	var buf bytes.Buffer
	n, err := se.admin.ExportInvitations(ctx, p, name, &buf)
	if err != nil {
		return failErr(e, err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
		return fail(e, "write %s: %v", *out, err)
	}
	if *asJSON {
		printJSON(e, map[string]any{"period": p, "invitations": n, "file": *out})
		return 0
	}
	fmt.Fprintf(e.stdout, "%d open invitations of %s → %s (it holds names and phones: for SMS and e-mail delivery only)\n", n, p, *out)
	return 0
}

// botName is the bot's username: the flag, $QOLDAU_TELEGRAM_BOT, else getMe.
func botName(ctx context.Context, flagValue string) (string, error) {
	if flagValue != "" {
		return strings.TrimPrefix(flagValue, "@"), nil
	}
	if n := os.Getenv("QOLDAU_TELEGRAM_BOT"); n != "" {
		return strings.TrimPrefix(n, "@"), nil
	}
	tok := os.Getenv("QOLDAU_TELEGRAM_TOKEN")
	if tok == "" {
		return "", qoldau.Errorf(qoldau.Invalid, "the bot's username is needed for the links: --bot NAME, QOLDAU_TELEGRAM_BOT or QOLDAU_TELEGRAM_TOKEN")
	}
	b, err := telegram.New(ctx, telegram.Config{Token: tok, Endpoint: telegram.EndpointFormat(os.Getenv("QOLDAU_TELEGRAM_API"))}, &survey.Engine{})
	if err != nil {
		return "", err
	}
	return b.Username(), nil
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
	data := fs.String("data", "", "data folder (default $QOLDAU_DATA or ./qoldau-data)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	lng := fs.String("lang", "", "language of the findings (kk, ru, en; default $QOLDAU_LANG or en)")
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	ctx := context.Background()
	if sub == "export" {
		p, ok := monthFlag(e, *period)
		if !ok {
			return 2
		}
		if *out == "" {
			return fail(e, "usage: qoldau calls export --period YYYY-MM --per-region N --seed S --out FILE.xlsx")
		}
		se, err := openSurveys(ctx, dataDir(*data))
		if err != nil {
			return failErr(e, err)
		}
		defer se.done()
		var buf bytes.Buffer
		res, err := callcentre.ExportCalls(ctx, se.admin, se.svc.Ref, p, *perRegion, *seed, &buf)
		if err != nil {
			return failErr(e, err)
		}
		if err := os.WriteFile(*out, buf.Bytes(), 0o600); err != nil {
			return fail(e, "write %s: %v", *out, err)
		}
		if *asJSON {
			printJSON(e, res)
			return 0
		}
		fmt.Fprintf(e.stdout, "call list %s: %d clients from %d regions (of %d with no completed survey) → %s\n",
			p, res.Rows, len(res.ByRegion), res.Eligible, *out)
		return 0
	}
	if len(pos) != 1 {
		return fail(e, "usage: qoldau calls import FILE")
	}
	se, err := openSurveys(ctx, dataDir(*data))
	if err != nil {
		return failErr(e, err)
	}
	defer se.done()
	return importFile(e, pos[0], *asJSON, lang(*lng), func(f *os.File, size int64) (*callcentre.Result, error) {
		return callcentre.ImportCalls(ctx, se.store, f, size, filepath.Base(pos[0]), se.svc.Clock())
	})
}

func cmdQuestionnaires(e *env, args []string) int {
	sub, args, ok := subcommand(e, "questionnaires", args, "import")
	if !ok {
		return 2
	}
	fs := newFlags(e, "questionnaires "+sub)
	data := fs.String("data", "", "data folder (default $QOLDAU_DATA or ./qoldau-data)")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	lng := fs.String("lang", "", "language of the findings (kk, ru, en; default $QOLDAU_LANG or en)")
	pos, err := parse(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		return fail(e, "usage: qoldau questionnaires import FILE")
	}
	ctx := context.Background()
	se, err := openSurveys(ctx, dataDir(*data))
	if err != nil {
		return failErr(e, err)
	}
	defer se.done()
	q := &callcentre.Questionnaires{WF: se.svc, Keys: se.keys, Ref: se.svc.Ref}
	return importFile(e, pos[0], *asJSON, lang(*lng), func(f *os.File, size int64) (*callcentre.Result, error) {
		return q.Import(ctx, se.store, f, size, filepath.Base(pos[0]))
	})
}

// importFile opens path, runs the import and prints its result; the exit status
// is the result's.
func importFile(e *env, path string, asJSON bool, lng string, run func(*os.File, int64) (*callcentre.Result, error)) int {
	f, err := os.Open(path)
	if err != nil {
		return fail(e, "cannot open the file %s", path)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fail(e, "cannot read the file %s", path)
	}
	res, err := run(f, st.Size())
	if err != nil {
		return failErr(e, err)
	}
	if asJSON {
		printJSON(e, res)
	} else {
		fmt.Fprintf(e.stdout, "%s: %d rows read, %d answers stored, %d stored before, %d not called yet, %d rejected\n",
			res.Name, res.Read, res.Stored, res.Already, res.Skipped, res.Rejected)
		for _, fd := range res.Findings {
			fmt.Fprintf(e.stdout, "  %s %s %s\n", fd.Cell, fd.Code, fd.Message.In(lng))
		}
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
	data := fs.String("data", "", "data folder (default $QOLDAU_DATA or ./qoldau-data)")
	asJSON := fs.Bool("json", false, "print the summary as one JSON object")
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
	ctx := context.Background()
	se, err := openSurveys(ctx, dataDir(*data))
	if err != nil {
		return failErr(e, err)
	}
	defer se.done()
	s, err := surveys.Summarize(ctx, se.store, from, last)
	if err != nil {
		return failErr(e, err)
	}
	if *asJSON {
		printJSON(e, s)
		return 0
	}
	fmt.Fprintf(e.stdout, "surveys %s..%s: %d invitations (%d used), %d completed answers, %d denied services\n",
		from, last, s.Invited, s.Used, s.Completed, len(s.Denied))
	for ch, r := range s.Channels {
		fmt.Fprintf(e.stdout, "  %-8s completed %d, begun %d\n", ch, r.Completed, r.Started)
	}
	if s.Rating.N > 0 {
		fmt.Fprintf(e.stdout, "  rating: mean %.2f of %d answers\n", s.Rating.Mean, s.Rating.N)
	}
	return 0
}

func cmdBot(e *env, args []string) int {
	sub, args, ok := subcommand(e, "bot", args, "run", "webhook", "staff-code")
	if !ok {
		return 2
	}
	fs := newFlags(e, "bot "+sub)
	data := fs.String("data", "", "data folder (default $QOLDAU_DATA or ./qoldau-data)")
	url := fs.String("url", "", "webhook: the HTTPS URL Telegram posts updates to")
	role := fs.String("role", "", "staff-code: operator or agency")
	ttl := fs.Duration("ttl", 24*time.Hour, "staff-code: how long the code is valid")
	bot := fs.String("bot", "", "staff-code: the bot's username for the link (default $QOLDAU_TELEGRAM_BOT or getMe)")
	if _, err := parse(fs, args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch sub {
	case "webhook":
		if *url == "" {
			return fail(e, "usage: qoldau bot webhook --url https://…/telegram (QOLDAU_TELEGRAM_TOKEN and QOLDAU_WEBHOOK_SECRET set)")
		}
		b, err := telegram.New(ctx, telegram.Config{Token: os.Getenv("QOLDAU_TELEGRAM_TOKEN"),
			Endpoint: telegram.EndpointFormat(os.Getenv("QOLDAU_TELEGRAM_API")), Secret: os.Getenv("QOLDAU_WEBHOOK_SECRET")}, &survey.Engine{})
		if err != nil {
			return failErr(e, err)
		}
		if err := b.SetWebhook(*url); err != nil {
			return failErr(e, err)
		}
		fmt.Fprintf(e.stdout, "webhook of @%s set to %s, with the secret token\n", b.Username(), *url)
		return 0
	}
	se, err := openSurveys(ctx, dataDir(*data))
	if err != nil {
		return failErr(e, err)
	}
	defer se.done()
	if sub == "staff-code" {
		if *role != qoldau.RoleOperator && *role != qoldau.RoleAgency {
			return fail(e, "--role: want operator or agency")
		}
		code, err := secret.Token(nil, 12)
		if err != nil {
			return failErr(e, err)
		}
		now := se.svc.Clock()
		sc := &qoldau.StaffCode{Hash: se.keys.TokenHash("staff_" + code), Role: *role, Created: now, Expires: now.Add(*ttl)}
		if err := se.store.PutStaffCode(ctx, sc); err != nil {
			return failErr(e, err)
		}
		link := ""
		if name, err := botName(ctx, *bot); err == nil {
			link = surveys.Link(name, "staff_"+code)
		}
		fmt.Fprintf(e.stdout, "staff code for %s, valid until %s, one use:\n  /start staff_%s\n", *role,
			sc.Expires.In(almaty()).Format("2006-01-02 15:04"), code)
		if link != "" {
			fmt.Fprintf(e.stdout, "  %s\n", link)
		}
		return 0
	}
	// run
	tok := os.Getenv("QOLDAU_TELEGRAM_TOKEN")
	if tok == "" {
		return fail(e, "qoldau bot run needs QOLDAU_TELEGRAM_TOKEN")
	}
	fmt.Fprintln(e.stdout, "qoldau: the survey bot runs by long polling (Ctrl-C stops it)")
	err = telegram.Run(ctx, telegram.RunConfig{Token: tok, Endpoint: os.Getenv("QOLDAU_TELEGRAM_API"), Store: se.store,
		WF: se.svc, Keys: se.keys, Ref: se.svc.Ref, Clock: se.svc.Clock, CallCentre: os.Getenv("QOLDAU_CALL_CENTRE")})
	if err != nil {
		return failErr(e, err)
	}
	return 0
}
