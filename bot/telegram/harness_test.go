package telegram_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/goldenfile"

	"github.com/qoldau/qoldau/bot/conversation"
	"github.com/qoldau/qoldau/bot/telegram"
	"github.com/qoldau/qoldau/bot/telegram/fakeapi"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/refdata"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/surveys"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// period is the register month of the test data.
var period = civil.MonthOf(2026, time.September)

// client is a made-up client of the test register, with the personal data that
// must never reach a bot message or a log line.
type client struct {
	name, iin, mobile string
	birth             civil.Date
	rows              []qoldau.Row
}

// The clients. A has two services (one online), B one (found by phone), C and D
// share a phone number, E has one service (invited), F one (invited).
var clients = map[string]*client{}

func row(num int, service, place, centre, town string, end civil.Date, online bool) qoldau.Row {
	return qoldau.Row{Num: num, Region: "350000000", Settlement: town, Place: place, Centre: centre,
		Enterprise: "ТОО «Тест»", Gender: "female", Age: 36, LegalForm: "llp", Category: "small",
		OKEDSection: "G", OKEDCode: "47.11", Service: service, Manager: "Менеджеров Тест",
		StartDate: end, EndDate: end, Online: online}
}

func init() {
	add := func(key, name, iin, mobile string, birth civil.Date, rows ...qoldau.Row) {
		c := &client{name: name, iin: iin, mobile: mobile, birth: birth}
		for _, r := range rows {
			r.ClientName, r.BinIIN, r.BirthDate, r.Mobile = name, iin, birth, mobile
			r.ClientKey = strings.ToUpper(name) + "|" + birth.String()
			r.EnterpriseKey, r.Email = iin, "client"+key+"@example.kz"
			c.rows = append(c.rows, r)
		}
		clients[key] = c
	}
	add("A", "Алиева Айгүл Сериковна", "900115400011", "+77011112233", civil.D(1990, 1, 15),
		row(2, "accounting", "service_center", "г. Караганда", "Караганда", civil.D(2026, 9, 10), false),
		row(3, "digital", "online", "", "Караганда", civil.D(2026, 9, 20), true))
	add("B", "Бекова Бота Маратовна", "850303400022", "+77012223344", civil.D(1985, 3, 3),
		row(4, "legal", "support_center", "", "Темиртау", civil.D(2026, 9, 15), false))
	add("C", "Ценова Карина Ивановна", "800404400033", "+77013334455", civil.D(1980, 4, 4),
		row(5, "tax", "mobile_center", "", "Сарань", civil.D(2026, 9, 5), false))
	add("D", "Домова Дана Ерлановна", "810505400044", "+77013334455", civil.D(1981, 5, 5),
		row(6, "tax", "mobile_center", "", "Шахтинск", civil.D(2026, 9, 6), false))
	add("E", "Ержанова Ель Нурлановна", "920606400055", "+77015556677", civil.D(1992, 6, 6),
		row(7, "marketing", "service_center", "Бухар-Жырау", "Ботакоз", civil.D(2026, 9, 12), false))
	add("F", "Фазылова Фатима Ринатовна", "930707400066", "+77016667788", civil.D(1993, 7, 7),
		row(8, "export", "support_center", "Абай", "Абай", civil.D(2026, 9, 25), false))
}

// start is the test's "now": a Tuesday morning in Almaty.
var start = time.Date(2026, 10, 6, 10, 0, 0, 0, workday.Almaty())

// harness is a bot on an embedded store against the fake Bot API, polling.
type harness struct {
	t      *testing.T
	api    *fakeapi.Server
	dbPath string
	store  *sqlite.Store
	keys   *secret.Key
	admin  *surveys.Admin
	engine *conversation.Engine
	bot    *telegram.Bot
	logs   *syncBuffer
	tokens map[string]string // client key → invitation token

	mu  sync.Mutex
	now time.Time

	cancel context.CancelFunc
	done   chan struct{}
	sleeps []time.Duration
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) setNow(t time.Time) {
	h.mu.Lock()
	h.now = t
	h.mu.Unlock()
	h.api.Note("the clock is now %s (Almaty)", t.In(workday.Almaty()).Format("2006-01-02 15:04"))
}

// newHarness stores the test register, syncs the survey directory, invites E, F
// and A, and starts the bot polling.
func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, now: start, logs: &syncBuffer{}, tokens: map[string]string{}}
	h.api = fakeapi.New()
	t.Cleanup(h.api.Close)
	keys, err := secret.New([]byte("0123456789abcdef0123456789abcdef-test-key"))
	if err != nil {
		t.Fatal(err)
	}
	h.keys = keys
	h.dbPath = filepath.Join(t.TempDir(), "qoldau.db")
	h.open()
	var rows []qoldau.Row
	for _, k := range []string{"A", "B", "C", "D", "E", "F"} {
		rows = append(rows, clients[k].rows...)
	}
	v := &qoldau.Version{Period: period, Number: 1, SHA256: "test", FileName: "r.xlsx", Kind: "xlsx",
		Received: time.Date(2026, 10, 1, 9, 0, 0, 0, workday.Almaty()), Recorded: time.Now(),
		Rows: qoldau.RowCounts{Read: len(rows), Accepted: len(rows)}, RowCount: len(rows)}
	if err := h.store.PutVersion(context.Background(), v, qoldau.RowsOf(rows)); err != nil {
		t.Fatal(err)
	}
	res, err := h.admin.CreateInvitations(context.Background(), period, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 6 {
		t.Fatalf("created %d invitations, want 6", res.Created)
	}
	// The tokens, as the export would give them.
	byClient := map[string]string{}
	err = h.store.Invitations(context.Background(), period, period, func(inv *qoldau.Invitation) error {
		tok, err := keys.Open(inv.Sealed)
		byClient[inv.Client] = tok
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, c := range clients {
		h.tokens[k] = byClient[keys.ClientID(c.rows[0].ClientKey)]
	}
	h.startBot()
	t.Cleanup(h.stopBot)
	return h
}

// open opens the store and builds the engine and admin on it.
func (h *harness) open() {
	h.t.Helper()
	store, err := sqlite.Open(context.Background(), h.dbPath)
	if err != nil {
		h.t.Fatal(err)
	}
	h.store = store
	blobs, err := dirblob.New(filepath.Join(filepath.Dir(h.dbPath), "files"))
	if err != nil {
		h.t.Fatal(err)
	}
	wf := workflow.New(store, blobs)
	wf.Clock = h.clock
	h.admin = &surveys.Admin{WF: wf, Store: store, Keys: h.keys, Clock: h.clock, Rand: rand.NewChaCha8([32]byte{7})}
	log := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h.engine = &conversation.Engine{Store: store, Keys: h.keys, Ref: refdata.Default(), Clock: h.clock, Log: log,
		CallCentre: "+7 727 000 00 00"}
}

func (h *harness) startBot() {
	h.t.Helper()
	log := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b, err := telegram.New(context.Background(), telegram.Config{
		Token: fakeapi.Token, Endpoint: h.api.Endpoint(), Secret: "test-secret", Log: log,
		Limits: telegram.Limits{PerChat: time.Millisecond, Burst: 100, Global: 100000},
		Sleep: func(ctx context.Context, d time.Duration) error {
			h.mu.Lock()
			h.sleeps = append(h.sleeps, d)
			h.mu.Unlock()
			return nil
		},
	}, h.engine)
	if err != nil {
		h.t.Fatal(err)
	}
	h.bot = b
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan struct{})
	go func() {
		defer close(h.done)
		b.Poll(ctx, time.Second)
	}()
}

func (h *harness) stopBot() {
	if h.cancel != nil {
		h.cancel()
		<-h.done
		h.cancel = nil
	}
}

// restart stops the bot and closes the store, then opens both again, as a new
// process (a deploy, a Lambda cold start) would.
func (h *harness) restart() {
	h.t.Helper()
	h.stopBot()
	if err := h.store.Close(); err != nil {
		h.t.Fatal(err)
	}
	h.api.Note("the bot restarts (a new process on the same store)")
	h.open()
	h.startBot()
}

// deliver queues an update and waits until the bot processed it.
func (h *harness) deliver(raw json.RawMessage) {
	h.t.Helper()
	h.api.Queue(raw)
	if !h.api.Drain(10 * time.Second) {
		h.t.Fatal("the bot did not process the update in time")
	}
}

func (h *harness) text(u fakeapi.User, s string) json.RawMessage {
	h.t.Helper()
	_, raw := h.api.Text(u, s)
	h.deliver(raw)
	return raw
}

func (h *harness) contact(u fakeapi.User, phone string, owner int64) {
	h.t.Helper()
	_, raw := h.api.Contact(u, phone, owner)
	h.deliver(raw)
}

func (h *harness) tap(u fakeapi.User, match string) json.RawMessage {
	h.t.Helper()
	_, raw, ok := h.api.Tap(u, match)
	if !ok {
		h.t.Fatalf("no button %q in chat %d\n%s", match, u.ID, h.api.Transcript())
	}
	h.deliver(raw)
	return raw
}

// again delivers an update a second time, as Telegram may.
func (h *harness) again(raw json.RawMessage) {
	h.t.Helper()
	h.api.Note("(the same update is delivered again)")
	h.deliver(raw)
}

// answers returns the stored answers of the test period.
func (h *harness) answers() []qoldau.Answer {
	h.t.Helper()
	var out []qoldau.Answer
	if err := h.store.Answers(context.Background(), period, period, func(a *qoldau.Answer) error {
		out = append(out, *a)
		return nil
	}); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// golden compares the transcript with testdata/name.txt (-update rewrites it).
func (h *harness) golden(name string) {
	h.t.Helper()
	goldenfile.Check(h.t, name+".txt", []byte(h.api.Transcript()))
}

// personal lists the forms in which a client's personal data could leak.
func (c *client) personal() []string {
	digits := strings.TrimPrefix(c.mobile, "+")
	out := []string{c.iin, c.mobile, digits, "8" + digits[1:], digits[1:], c.name,
		c.birth.String(), c.birth.DMY(), strings.Fields(c.name)[0]}
	return out
}

// checkPrivacy fails when any client's personal data is in a bot message or a log
// line, or when a chat shows another client's service.
func (h *harness) checkPrivacy(chats map[int64]string) {
	h.t.Helper()
	transcript, logs := h.api.Transcript(), h.logs.String()
	for key, c := range clients {
		for _, p := range c.personal() {
			if strings.Contains(transcript, p) {
				h.t.Errorf("client %s's personal data %q is in a bot message", key, p)
			}
			if strings.Contains(logs, p) {
				h.t.Errorf("client %s's personal data %q is in the log", key, p)
			}
		}
	}
	for chat, owner := range chats {
		var text strings.Builder
		for _, m := range h.api.Messages(chat) {
			text.WriteString(m.Text + "\n")
		}
		for key, c := range clients {
			if key == owner {
				continue
			}
			for _, r := range c.rows {
				for _, s := range []string{r.Settlement, r.Centre, r.EndDate.DMY()} {
					if s != "" && !ownerHas(clients[owner], s) && strings.Contains(text.String(), s) {
						h.t.Errorf("chat %d (client %s) shows %q of client %s's service", chat, owner, s, key)
					}
				}
			}
		}
	}
}

// ownerHas reports whether the owner's own services mention s (then it is not a
// leak when shown).
func ownerHas(c *client, s string) bool {
	if c == nil {
		return false
	}
	for _, r := range c.rows {
		if strings.Contains(r.Settlement, s) || strings.Contains(r.Centre, s) || r.EndDate.DMY() == s {
			return true
		}
	}
	return false
}
