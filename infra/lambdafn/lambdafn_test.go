package lambdafn

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/bot/telegram/fakeapi"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/remind"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/storetest"
	"github.com/qoldau/qoldau/shared/workday"
)

// endpoint is the moto_server endpoint of the tests (storetest.Endpoint).
func endpoint(t testing.TB) string { t.Helper(); return storetest.Endpoint(t) }

// clock is a clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// at sets the clock to an Almaty wall time "2006-01-02 15:04".
func (c *clock) at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
	if err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	c.t = v
	c.mu.Unlock()
	return v
}

// fakeNotifier records notices.
type fakeNotifier struct {
	mu   sync.Mutex
	sent []qoldau.Notice
}

func (f *fakeNotifier) Notify(ctx context.Context, n qoldau.Notice) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, n)
	return nil
}

func (f *fakeNotifier) keys() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []string{}
	for _, n := range f.sent {
		out = append(out, n.Key)
	}
	sort.Strings(out)
	return out
}

// env is an App on moto (a fresh table and bucket) with a test clock, a fake
// notifier and one user of each role.
type env struct {
	app   *app.App
	clock *clock
	note  *fakeNotifier
	keys  map[qoldau.Role]string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ep := endpoint(t)
	var b [5]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	a, err := app.Open(context.Background(), app.Config{
		Table: "qoldau-fn-" + id, DynamoEndpoint: ep, Bucket: "qoldau-fn-" + id, S3Endpoint: ep,
		Data: t.TempDir(), LogLevel: "error", TelegramBot: "qoldau_test_bot",
		Secret: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	e := &env{app: a, clock: &clock{}, note: &fakeNotifier{}, keys: map[qoldau.Role]string{}}
	e.clock.at(t, "2026-10-01 09:00")
	a.SetClock(e.clock.now)
	a.Remind.Channels = []remind.Channel{{Name: "test", Notifier: e.note}}
	for _, r := range []qoldau.Role{qoldau.RoleOperator, qoldau.RoleAgency, qoldau.RoleAdmin} {
		_, key, err := a.Svc.AddUser(context.Background(), "user-"+string(r), r, "", "test")
		if err != nil {
			t.Fatal(err)
		}
		e.keys[r] = key
	}
	return e
}

// event reads testdata/events/<name> into v.
func event(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// apiCall sends an API Gateway event made from testdata/events/<base> with the
// method, path, key and body given, through the api function's handler.
func (e *env) apiCall(t *testing.T, base, method, path, key string, body any) (int, map[string]any) {
	t.Helper()
	var req events.APIGatewayV2HTTPRequest
	event(t, base, &req)
	p, q, _ := strings.Cut(path, "?")
	req.RawPath, req.RawQueryString = p, q
	req.RequestContext.HTTP.Method, req.RequestContext.HTTP.Path = method, p
	req.PathParameters = map[string]string{"proxy": strings.TrimPrefix(p, "/")}
	if key == "" {
		delete(req.Headers, "authorization")
	} else {
		req.Headers["authorization"] = "Bearer " + key
	}
	req.Body = ""
	if body != nil {
		b, _ := json.Marshal(body)
		req.Body = string(b)
	}
	resp, err := API(e.app)(context.Background(), req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &out); err != nil {
		t.Fatalf("%s %s: answer %d is not JSON: %s", method, path, resp.StatusCode, resp.Body)
	}
	return resp.StatusCode, out
}

// register writes a sample register of period with rows rows and returns its bytes.
func register(t *testing.T, period string, rows int, seed uint64, rate float64) []byte {
	t.Helper()
	p, err := civil.ParseMonth(period)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if _, err := sample.Write(w, sample.Options{Period: p, Rows: rows, Seed: seed, ErrorRate: rate}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return b.Bytes()
}

// upload asks the API for an upload of a register and PUTs content to the presigned
// S3 URL; it returns the ticket ID and the object key.
func (e *env) upload(t *testing.T, period string, content []byte) (string, string) {
	t.Helper()
	return e.uploadKind(t, qoldau.RoleOperator, map[string]string{"kind": "register", "period": period,
		"name": "register-" + period + ".xlsx"}, content)
}

// uploadKind asks the API, as role, for the upload req describes (kind, name,
// period) and PUTs content to the presigned S3 URL; it returns the ticket ID and
// the object key.
func (e *env) uploadKind(t *testing.T, role qoldau.Role, req map[string]string, content []byte) (string, string) {
	t.Helper()
	code, ans := e.apiCall(t, "api-upload.json", "POST", "/api/uploads", e.keys[role], req)
	if code != http.StatusCreated {
		t.Fatalf("POST /api/uploads = %d %v", code, ans)
	}
	u := ans["url"].(string)
	if !strings.Contains(u, "X-Amz-Signature=") {
		t.Fatalf("upload URL %s is not presigned", u)
	}
	put, _ := http.NewRequest(http.MethodPut, u, bytes.NewReader(content))
	resp, err := http.DefaultClient.Do(put)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT to the presigned URL = %d", resp.StatusCode)
	}
	id := ans["id"].(string)
	return id, "inbox/" + id + "/" + req["name"]
}

// s3Event is testdata/events/<base> for key in the env's bucket, created at created.
func (e *env) s3Event(t *testing.T, base, key string, created time.Time) events.S3Event {
	t.Helper()
	var ev events.S3Event
	event(t, base, &ev)
	r := &ev.Records[0]
	r.S3.Bucket.Name, r.S3.Bucket.Arn = e.app.Cfg.Bucket, "arn:aws:s3:::"+e.app.Cfg.Bucket
	r.S3.Object.Key, r.S3.Object.URLDecodedKey = key, key
	r.EventTime = created.UTC()
	return ev
}

func (e *env) versions(t *testing.T, period string) []qoldau.Version {
	t.Helper()
	p, _ := civil.ParseMonth(period)
	vs, err := e.app.Store.Versions(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestValidateOnce: an S3 upload event validates and stores the register once, even
// when delivered twice (or again after a later upload); the received time is the
// event's.
func TestValidateOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	validate := Validate(e.app)

	_, key1 := e.upload(t, "2026-09", register(t, "2026-09", 40, 1, 0.1))
	created := e.clock.at(t, "2026-10-01 10:12").Add(-30 * time.Second)
	ev1 := e.s3Event(t, "s3-upload.json", key1, created)
	for i := range 2 {
		if err := validate(ctx, ev1); err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
	}
	vs := e.versions(t, "2026-09")
	if len(vs) != 1 || !vs[0].Received.Equal(created) || vs[0].Backfill {
		t.Fatalf("after two deliveries, versions = %+v; want one, received %v, not a backfill", vs, created)
	}

	// A correction, then the first event once more: still two versions.
	e.clock.at(t, "2026-10-01 15:00")
	_, key2 := e.upload(t, "2026-09", register(t, "2026-09", 40, 2, 0))
	if err := validate(ctx, e.s3Event(t, "s3-upload.json", key2, e.clock.now())); err != nil {
		t.Fatal(err)
	}
	if err := validate(ctx, ev1); err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, v := range e.versions(t, "2026-09") {
		got = append(got, v.Number)
	}
	if diff := cmp.Diff([]int{1, 2}, got); diff != "" {
		t.Errorf("versions after a redelivery of the first event (-want +got):\n%s", diff)
	}
	if uploads := auditCount(t, e.app.Store, "upload"); uploads != 2 {
		t.Errorf("audit log has %d uploads, want 2", uploads)
	}

	// An event for a key with no ticket, or outside the inbox, is dropped, not retried.
	for _, k := range []string{"inbox/0123456789abcdef01234567/x.xlsx", "uploads/abc"} {
		if err := validate(ctx, e.s3Event(t, "s3-upload.json", k, created)); err != nil {
			t.Errorf("key %s: %v, want nil (nothing to retry)", k, err)
		}
	}
}

// TestRemindOnce: the schedule event sends each due reminder once, however often
// it is delivered.
func TestRemindOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// August's register arrives on Friday 25 September with errors: a letter is
	// drafted, to be sent by Monday 28 September.
	e.clock.at(t, "2026-09-25 11:00")
	_, key := e.upload(t, "2026-08", register(t, "2026-08", 30, 3, 0.2))
	if err := Validate(e.app)(ctx, e.s3Event(t, "s3-upload.json", key, e.clock.now())); err != nil {
		t.Fatal(err)
	}
	// The schedule fires at 09:00 on Monday 28 September (04:00 UTC): September's
	// register is due on Thursday 1 October, in 3 working days.
	var ev events.EventBridgeEvent
	event(t, "schedule-remind.json", &ev)
	remind := Remind(e.app)
	for i := range 3 {
		res, err := remind(ctx, ev)
		if err != nil {
			t.Fatalf("delivery %d: %v", i+1, err)
		}
		if i > 0 && len(res.Sent) != 0 {
			t.Errorf("delivery %d sent %v again", i+1, res.Sent)
		}
	}
	if diff := cmp.Diff([]string{"due/2026-09/d-3", "letter/2026-08-v1"}, e.note.keys()); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
}

// TestAPIEndToEnd: an upload through a presigned URL, the status, a report request
// built by the report function from its S3 event, and a presigned download.
func TestAPIEndToEnd(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	op, ag := e.keys[qoldau.RoleOperator], e.keys[qoldau.RoleAgency]

	e.clock.at(t, "2026-10-01 10:00")
	id, key := e.upload(t, "2026-09", register(t, "2026-09", 25, 4, 0))
	if code, ans := e.apiCall(t, "api-status.json", "GET", "/api/uploads/"+id, op, nil); code != 200 || ans["status"] != "waiting" {
		t.Fatalf("upload before its event = %d %v, want waiting", code, ans)
	}
	if err := Validate(e.app)(ctx, e.s3Event(t, "s3-upload.json", key, e.clock.now())); err != nil {
		t.Fatal(err)
	}
	if code, ans := e.apiCall(t, "api-status.json", "GET", "/api/uploads/"+id, op, nil); code != 200 || ans["status"] != "done" {
		t.Fatalf("upload after its event = %d %v, want done", code, ans)
	}
	code, st := e.apiCall(t, "api-status.json", "GET", "/api/periods/2026-09", op, nil)
	if code != 200 || st["counted_version"] != float64(1) || st["late"] != false {
		t.Fatalf("status = %d %v", code, st)
	}

	// Survey invitations and the call list, as files behind download links.
	for _, c := range []struct {
		path string
		body map[string]any
	}{
		{"/api/invitations", map[string]any{"period": "2026-09"}},
		{"/api/calls", map[string]any{"period": "2026-09", "per_region": 5, "seed": 1}},
	} {
		code, ans := e.apiCall(t, "api-status.json", "POST", c.path, ag, c.body)
		if code != http.StatusCreated || ans["key"] == nil {
			t.Fatalf("POST %s = %d %v", c.path, code, ans)
		}
		code, dl := e.apiCall(t, "api-status.json", "GET", "/api/downloads?key="+url.QueryEscape(ans["key"].(string)), ag, nil)
		if code != 200 {
			t.Fatalf("download of %s = %d %v", c.path, code, dl)
		}
		resp, err := http.Get(dl["url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("PK")) {
			t.Fatalf("GET %s file = %d, %d bytes", c.path, resp.StatusCode, len(body))
		}
	}

	e.clock.at(t, "2026-10-05 11:00")
	code, job := e.apiCall(t, "api-report.json", "POST", "/api/reports", ag, map[string]any{"period": "2026-Q3", "formats": []string{"json"}})
	if code != http.StatusAccepted || job["status"] != reportjob.Queued {
		t.Fatalf("POST /api/reports = %d %v", code, job)
	}
	jid := job["id"].(string)
	res, err := Report(e.app)(ctx, mustJSON(t, e.s3Event(t, "s3-report-request.json", reportjob.RequestKey(jid), e.clock.now())))
	if err != nil || res.Jobs[jid] != reportjob.Built {
		t.Fatalf("report function = %+v, %v", res, err)
	}
	code, job = e.apiCall(t, "api-status.json", "GET", "/api/reports/"+jid, ag, nil)
	if code != 200 || job["status"] != reportjob.Done {
		t.Fatalf("GET /api/reports/%s = %d %v", jid, code, job)
	}
	files := job["files"].(map[string]any)
	code, dl := e.apiCall(t, "api-status.json", "GET", "/api/downloads?key="+url.QueryEscape(files["json"].(string)), ag, nil)
	if code != 200 || !strings.Contains(dl["url"].(string), "X-Amz-Signature=") {
		t.Fatalf("download = %d %v", code, dl)
	}
	resp, err := http.Get(dl["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"2026-Q3"`)) {
		t.Fatalf("GET presigned = %d %.200s", resp.StatusCode, body)
	}
	// The operator may not download the agency's report.
	if code, _ := e.apiCall(t, "api-status.json", "GET", "/api/downloads?key="+url.QueryEscape(files["json"].(string)), op, nil); code != http.StatusForbidden {
		t.Errorf("operator download of a report = %d, want 403", code)
	}
}

// TestReportAnswers: the report function's answer says what happened: a draft
// requested, or requested already by an earlier delivery; a job built, built
// already, or a request that does not exist.
func TestReportAnswers(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	schedule, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", "schedule-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	report := Report(e.app)
	steps := []struct {
		name  string
		event json.RawMessage
		want  ReportResult
	}{
		{"schedule", schedule, ReportResult{Drafts: map[string]string{"auto-2026-q3": "requested"}}},
		{"schedule again", schedule, ReportResult{Drafts: map[string]string{"auto-2026-q3": "already-requested"}}},
		{"request", mustJSON(t, e.s3Event(t, "s3-report-request.json", reportjob.RequestKey("auto-2026-q3"), e.clock.now())),
			ReportResult{Jobs: map[string]reportjob.Outcome{"auto-2026-q3": "built"}}},
		{"request again", mustJSON(t, e.s3Event(t, "s3-report-request.json", reportjob.RequestKey("auto-2026-q3"), e.clock.now())),
			ReportResult{Jobs: map[string]reportjob.Outcome{"auto-2026-q3": "already-built"}}},
		{"no such request", mustJSON(t, e.s3Event(t, "s3-report-request.json", reportjob.RequestKey("9b1e44c07a2f3d5e8c6b0a12"), e.clock.now())),
			ReportResult{Jobs: map[string]reportjob.Outcome{"9b1e44c07a2f3d5e8c6b0a12": "not-found"}}},
	}
	for _, st := range steps {
		got, err := report(ctx, st.event)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if diff := cmp.Diff(&st.want, got); diff != "" {
			t.Errorf("%s: answer (-want +got):\n%s", st.name, diff)
		}
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRefused: calls without a known key get 401, calls of a role the route does not
// allow get 403, and neither changes anything.
func TestRefused(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	op, ag, adm := e.keys[qoldau.RoleOperator], e.keys[qoldau.RoleAgency], e.keys[qoldau.RoleAdmin]
	snapshot := func() string {
		t.Helper()
		audit, err := e.app.Store.Audit(ctx, time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		users, err := e.app.Store.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := e.app.Store.Letters(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return string(mustJSON(t, map[string]any{"audit": audit, "users": users, "letters": ls, "versions": e.versions(t, "2026-09")}))
	}
	before := snapshot()
	tests := []struct {
		name, method, path, key string
		body                    any
		want                    int
	}{
		{"no key", "GET", "/api/periods/2026-09", "", nil, 401},
		{"unknown key", "GET", "/api/periods/2026-09", "qk_unknown", nil, 401},
		{"no key upload", "POST", "/api/uploads", "", map[string]string{"kind": "register", "period": "2026-09", "name": "r.xlsx"}, 401},
		{"agency uploads a register", "POST", "/api/uploads", ag, map[string]string{"kind": "register", "period": "2026-09", "name": "r.xlsx"}, 403},
		{"operator imports acts", "POST", "/api/uploads", op, map[string]string{"kind": "acts", "name": "acts.xlsx"}, 403},
		{"admin uploads", "POST", "/api/uploads", adm, map[string]string{"kind": "register", "period": "2026-09", "name": "r.xlsx"}, 403},
		{"operator sends a letter", "POST", "/api/letters/2026-09-v1/send", op, map[string]any{}, 403},
		{"operator requests a report", "POST", "/api/reports", op, map[string]any{"period": "2026-Q3"}, 403},
		{"agency adds a user", "POST", "/api/users", ag, map[string]any{"name": "x", "role": "admin"}, 403},
		{"no key adds a user", "POST", "/api/users", "", map[string]any{"name": "x", "role": "admin"}, 401},
		{"operator lists users", "GET", "/api/users", op, nil, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, ans := e.apiCall(t, "api-upload.json", tt.method, tt.path, tt.key, tt.body)
			errObj, _ := ans["error"].(map[string]any)
			msg, _ := errObj["message"].(map[string]any)
			if code != tt.want || msg["kk"] == "" || msg["ru"] == "" || msg["en"] == "" {
				t.Errorf("%s %s = %d %v, want %d with a message in kk, ru and en", tt.method, tt.path, code, ans, tt.want)
			}
		})
	}
	if after := snapshot(); after != before {
		t.Errorf("refused calls changed the store:\nbefore %s\nafter  %s", before, after)
	}
}

// TestBotWebhook: the webhook event reaches the survey bot, which answers Telegram
// only with the right secret token and replies to /start.
func TestBotWebhook(t *testing.T) {
	e := newEnv(t)
	api := fakeapi.New()
	defer api.Close()
	e.app.Cfg.TelegramToken, e.app.Cfg.TelegramAPI = fakeapi.Token, api.Endpoint()
	e.app.Cfg.WebhookSecret, e.app.Cfg.Secret = "s3cr3t-token", strings.Repeat("ab", 32)
	h, err := Bot(context.Background(), e.app)
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayV2HTTPRequest
	event(t, "bot-webhook.json", &req)
	for _, tt := range []struct {
		secret string
		want   int
	}{{"wrong", 401}, {"s3cr3t-token", 200}, {"s3cr3t-token", 200}} {
		req.Headers["x-telegram-bot-api-secret-token"] = tt.secret
		resp, err := h(context.Background(), req)
		if err != nil || resp.StatusCode != tt.want {
			t.Errorf("webhook with secret %q = %d, %v; want %d", tt.secret, resp.StatusCode, err, tt.want)
		}
	}
}

// TestBotCallCentre: the bot function's conversation gives QOLDAU_CALL_CENTRE as
// the number for questions (it used to get no number and say a generic phrase).
func TestBotCallCentre(t *testing.T) {
	e := newEnv(t)
	api := fakeapi.New()
	defer api.Close()
	e.app.Cfg.TelegramToken, e.app.Cfg.TelegramAPI = fakeapi.Token, api.Endpoint()
	e.app.Cfg.WebhookSecret, e.app.Cfg.CallCentre = "s3cr3t-token", "+7 727 244 55 66"
	h, err := Bot(context.Background(), e.app)
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayV2HTTPRequest
	event(t, "bot-webhook.json", &req)
	req.Headers["x-telegram-bot-api-secret-token"] = "s3cr3t-token"
	req.Body = strings.ReplaceAll(req.Body, `"text":"/start"`, `"text":"/help"`)
	req.Body = strings.ReplaceAll(req.Body, `"language_code":"kk"`, `"language_code":"en"`)
	if resp, err := h(context.Background(), req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("webhook: %v %v", resp.StatusCode, err)
	}
	var texts []string
	for _, m := range api.Messages(7000000001) {
		texts = append(texts, m.Text)
	}
	if all := strings.Join(texts, "\n"); !strings.Contains(all, "+7 727 244 55 66") {
		t.Errorf("the bot does not give the call centre's number:\n%s", all)
	}
}

// TestRemindSurveyTick: with a bot token, the remind function also runs the
// surveys' tick: the survey directory follows the counted register (and the bot's
// reminders go out from the same schedule).
func TestRemindSurveyTick(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	api := fakeapi.New()
	defer api.Close()
	e.app.Cfg.TelegramToken, e.app.Cfg.TelegramAPI = fakeapi.Token, api.Endpoint()
	e.clock.at(t, "2026-10-01 10:00")
	_, key := e.upload(t, "2026-09", register(t, "2026-09", 30, 3, 0))
	if err := Validate(e.app)(ctx, e.s3Event(t, "s3-upload.json", key, e.clock.now())); err != nil {
		t.Fatal(err)
	}
	p := civil.MonthOf(2026, 9)
	if v, err := e.app.Store.SurveyVersion(ctx, p); err != nil || v != 0 {
		t.Fatalf("survey directory before the tick: version %d, %v", v, err)
	}
	if err := e.app.AddSurveyTick(ctx); err != nil {
		t.Fatal(err)
	}
	var ev events.EventBridgeEvent
	event(t, "schedule-remind.json", &ev)
	ev.Time = e.clock.at(t, "2026-10-08 10:00")
	if _, err := Remind(e.app)(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if v, err := e.app.Store.SurveyVersion(ctx, p); err != nil || v != 1 {
		t.Errorf("survey directory after the tick: version %d, %v; want 1", v, err)
	}
}

// auditCount counts the audit log's entries of action.
func auditCount(t *testing.T, s qoldau.Store, action string) int {
	t.Helper()
	entries, err := s.Audit(t.Context(), time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}
