package httpapi_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/qoldau/qoldau/shared/dynamo"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/s3blob"
	"github.com/qoldau/qoldau/shared/storetest"
)

// TestConsoleFlow: what the console's pages do for people, through the handler:
// the operator uploads a register with faults (the upload form's two requests)
// and sees the outcome, then the findings with their cells, filtered to errors;
// the agency sends the letter with its outgoing number and builds the quarterly
// report, whose page lists its files.
func TestConsoleFlow(t *testing.T) {
	s := newServer(t)
	op := s.as(qoldau.RoleOperator, "ru")
	op.get("/upload?period=2026-09")
	req, _ := http.NewRequest("POST", s.srv.URL+"/api/uploads", strings.NewReader(`{"kind":"register","period":"2026-09","name":"Реестр.xlsx"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", op.csrf)
	code, body := op.do(req)
	var up struct{ ID, URL string }
	if err := json.Unmarshal([]byte(body), &up); code != http.StatusCreated || err != nil || up.URL == "" {
		t.Fatalf("the upload form's POST /api/uploads = %d %v %.300s", code, err, body)
	}
	if got := put(t, up.URL, registerFile(t, "2026-09", 0.2)); got != http.StatusOK {
		t.Fatalf("PUT = %d", got)
	}
	code, page := op.get("/uploads/" + up.ID)
	if code != 200 || !strings.Contains(page, `href="/months/2026-09/versions/1#findings" id="see-findings"`) || !strings.Contains(page, "Реестр.xlsx") {
		t.Fatalf("the upload's outcome page = %d\n%.3000s", code, page)
	}
	code, page = op.get("/months/2026-09/versions/1?severity=error")
	cells := regexp.MustCompile(`<th scope="row" class="cell">([A-Z]{1,3}[0-9]+)</th>`).FindAllStringSubmatch(page, -1)
	if code != 200 || len(cells) == 0 || strings.Count(page, `<tr class="sev-error">`) != len(cells) {
		t.Fatalf("the findings filtered to errors = %d, %d cells, %d error rows\n%.3000s", code, len(cells), strings.Count(page, `<tr class="sev-error">`), page)
	}
	if !strings.Contains(page, "Ошибка") || strings.Contains(page, `class="sev-warning"`) {
		t.Errorf("the findings page is not in Russian or shows warnings when filtered to errors")
	}

	// A page that does not exist: a page in Russian with the operator's menu.
	if code, page := op.get("/no-such-page"); code != http.StatusNotFound || !strings.Contains(page, `<span class="who">user-operator`) || !strings.Contains(page, `href="/months"`) {
		t.Errorf("a page that does not exist, signed in = %d\n%.2000s", code, page)
	}
	// Shown again, from the findings kept in memory: the same page.
	if _, again := op.get("/months/2026-09/versions/1?severity=error"); again != page {
		t.Errorf("the findings page shown again differs from the first")
	}

	ag := s.as(qoldau.RoleAgency, "en")
	ag.get("/letters")
	code, page = ag.post("/letters/2026-09-v1/send", url.Values{"number": {"07-1/245"}, "back": {"/letters"}})
	if code != 200 || ag.last.Request.URL.Path != "/letters" || !strings.Contains(page, `<p class="notice" role="status">`) || !strings.Contains(page, "07-1/245") {
		t.Fatalf("send the letter = %d at %s\n%.3000s", code, ag.last.Request.URL, page)
	}
	if l, err := s.svc.Store.Letter(context.Background(), "2026-09-v1"); err != nil || !l.IsSent() || l.Number != "07-1/245" || l.SentBy != "user-agency" {
		t.Errorf("the stored letter after the send: %+v %v", l, err)
	}
	ag.get("/reports")
	code, page = ag.post("/reports", url.Values{"period": {"2026-Q3"}, "lang": {"en"}, "format": {"json"}})
	if code != 200 || !strings.HasPrefix(ag.last.Request.URL.Path, "/reports/jobs/") || !strings.Contains(page, `id="dl-json"`) {
		t.Fatalf("build the report = %d at %s\n%.3000s", code, ag.last.Request.URL, page)
	}

	// The audit log says it in the page's language: things named, times in Almaty.
	code, page = s.as(qoldau.RoleAdmin, "ru").get("/admin/audit")
	for _, want := range []string{"Письмо 2026-09-v1", `Исходящий номер:</span> 07-1/245`, "Реестр 2026-09 v1", "<td>qoldau (автоматически)</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	if iso := regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z`).FindString(page); code != 200 || iso != "" {
		t.Errorf("the audit log = %d, shows the time %q as stored", code, iso)
	}
}

// motoTests are the tests running on DynamoDB and S3 (moto_server), by name,
// with its endpoint: newServer gives them and their subtests a store there.
var motoTests sync.Map

// motoEndpoint is the moto endpoint of t's test, "" for the embedded store.
func motoEndpoint(t testing.TB) string {
	for name := t.Name(); ; {
		if ep, ok := motoTests.Load(name); ok {
			return ep.(string)
		}
		i := strings.LastIndexByte(name, '/')
		if i < 0 {
			return ""
		}
		name = name[:i]
	}
}

// openMoto makes a table and a bucket of their own on moto_server for one server.
func openMoto(t testing.TB, ep string) (qoldau.Store, qoldau.Blobs) {
	t.Helper()
	ctx := context.Background()
	var b [6]byte
	rand.Read(b[:])
	name := "qoldau-httpapi-" + hex.EncodeToString(b[:])
	store, err := dynamo.Open(ctx, dynamo.Config{Table: name, Endpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	blobs, err := s3blob.Open(ctx, s3blob.Config{Bucket: name, Endpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	if err := blobs.CreateBucket(ctx); err != nil {
		t.Fatal(err)
	}
	return store, blobs
}

// TestConsoleOnMoto runs the console's handler tests (sign-in, session expiry,
// sign-out, CSRF, upload → findings → letter → report, the leads page) and the
// API's flow on DynamoDB and S3 (moto_server at QOLDAU_TEST_DYNAMO_ENDPOINT,
// which make test starts), each on a table and a bucket of its own.
func TestConsoleOnMoto(t *testing.T) {
	ep := storetest.Endpoint(t)
	motoTests.Store(t.Name(), ep)
	defer motoTests.Delete(t.Name())
	for _, tt := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"SignIn", TestSignIn}, {"SessionExpiry", TestSessionExpiry}, {"SignOut", TestSignOut}, {"CSRF", TestCSRF},
		{"ConsoleFlow", TestConsoleFlow}, {"LeadsPage", TestLeadsPage}, {"LocalFlow", TestLocalFlow},
	} {
		t.Run(tt.name, tt.fn)
	}
}
