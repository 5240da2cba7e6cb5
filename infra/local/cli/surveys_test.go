package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/workflow"
)

// TestSurveyCommands runs the agency's survey tasks on a sample register:
// invitations, the call list out and back, imported questionnaires, the summary.
func TestSurveyCommands(t *testing.T) {
	dir, data, mustRun := surveyFolder(t)
	reg := filepath.Join(dir, "r.xlsx")
	mustRun(0, "sample", "--period", "2026-09", "--rows", "300", "--seed", "5", "--error-rate", "0.05", "--out", reg)
	mustRun(1, "upload", "--period", "2026-09", "--received", "2026-10-01T10:00:00+05:00", reg)

	var created struct{ Created, Clients, Version int }
	json.Unmarshal([]byte(mustRun(0, "invitations", "create", "--period", "2026-09", "--sample", "40", "--seed", "9", "--json")), &created)
	if created.Created != 40 || created.Version != 1 || created.Clients < 100 {
		t.Fatalf("invitations create = %+v", created)
	}
	// Again: the others, once.
	json.Unmarshal([]byte(mustRun(0, "invitations", "create", "--period", "2026-09", "--json")), &created)
	if created.Created != created.Clients-40 {
		t.Errorf("the second create made %d, want %d", created.Created, created.Clients-40)
	}
	if _, err := os.Stat(filepath.Join(data, "secret.key")); err != nil {
		t.Errorf("no secret key in the data folder: %v", err)
	}
	inv := filepath.Join(dir, "inv.xlsx")
	mustRun(0, "invitations", "export", "--period", "2026-09", "--bot", "qoldau_bot", "--out", inv)
	rows := sheetRows(t, inv, "Invitations")
	if len(rows) != created.Clients+1 || rows[0][3] != "link" || !strings.HasPrefix(rows[1][3], "https://t.me/qoldau_bot?start=") {
		t.Fatalf("invitation list: %d rows, first %v", len(rows), rows[:2])
	}
	if tok := strings.TrimPrefix(rows[1][3], "https://t.me/qoldau_bot?start="); len(tok) < 22 {
		t.Errorf("token %q is shorter than 128 bits", tok)
	}

	// The call list: reproducible, stratified.
	calls, calls2 := filepath.Join(dir, "calls.xlsx"), filepath.Join(dir, "calls2.xlsx")
	mustRun(0, "calls", "export", "--period", "2026-09", "--per-region", "3", "--seed", "4", "--out", calls)
	mustRun(0, "calls", "export", "--period", "2026-09", "--per-region", "3", "--seed", "4", "--out", calls2)
	a, b := sheetRows(t, calls, "Calls"), sheetRows(t, calls2, "Calls")
	if len(a) < 10 || len(a) != len(b) || a[1][0] != b[1][0] || a[len(a)-1][0] != b[len(b)-1][0] {
		t.Fatalf("the same seed gave different call lists (%d, %d rows)", len(a), len(b))
	}
	perRegion := map[string]int{}
	for _, r := range a[1:] {
		perRegion[r[2]]++
	}
	for reg, n := range perRegion {
		if n > 3 {
			t.Errorf("region %s has %d rows, want at most 3", reg, n)
		}
	}
	f, err := excelize.OpenFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	dvs, _ := f.GetDataValidations("Calls")
	if len(dvs) != 5 {
		t.Errorf("%d drop-down lists, want 5 (outcome, q1-q4)", len(dvs))
	}
	// The call centre fills in three rows, one of them wrongly.
	set := func(row int, vals map[string]string) {
		for col, v := range vals {
			f.SetCellValue("Calls", col+itoa(row), v)
		}
	}
	set(2, map[string]string{"J": "answered", "L": "yes", "M": "5", "N": "partly", "O": "yes"})
	set(3, map[string]string{"J": "no_answer"})
	set(4, map[string]string{"J": "answered", "L": "maybe"})
	if err := f.SaveAs(calls); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out := mustRun(1, "calls", "import", calls)
	if !strings.Contains(out, "2 answers stored") || !strings.Contains(out, "L4     The value in cell L4 is not allowed") {
		t.Errorf("calls import:\n%s", out)
	}
	out = mustRun(1, "calls", "import", calls) // again: nothing new
	if !strings.Contains(out, "1 stored before") {
		t.Errorf("calls import again:\n%s", out)
	}

	// Questionnaires: two rows that match counted services, one that matches none,
	// one with a bad score.
	q := filepath.Join(dir, "q.csv")
	writeQuestionnaires(t, data, q)
	out = mustRun(1, "questionnaires", "import", q)
	if !strings.Contains(out, "2 answers stored") || !strings.Contains(out, "matches no counted service") || !strings.Contains(out, "H4     The value in cell H4 is not allowed") ||
		!strings.Contains(out, "J5     The value in cell J5 is not allowed") {
		t.Errorf("questionnaires import:\n%s", out)
	}

	var sum struct {
		Invited   int `json:"invited"`
		Completed int `json:"completed"`
		Channels  map[string]struct {
			Completed int `json:"completed"`
		} `json:"channels"`
		Outcomes map[string]int `json:"call_outcomes"`
	}
	if err := json.Unmarshal([]byte(mustRun(0, "surveys", "summary", "--period", "2026-09", "--json")), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Invited != created.Clients || sum.Completed != 3 || sum.Channels["phone"].Completed != 1 ||
		sum.Channels["import"].Completed != 2 || sum.Outcomes["no_answer"] != 1 {
		t.Errorf("summary = %+v", sum)
	}
	out = mustRun(0, "bot", "staff-code", "--role", "agency", "--bot", "qoldau_bot")
	if !strings.Contains(out, "/start staff_") || !strings.Contains(out, "https://t.me/qoldau_bot?start=staff_") {
		t.Errorf("staff-code:\n%s", out)
	}
	mustRun(2, "bot", "staff-code", "--role", "nobody")
	mustRun(2, "calls", "frobnicate")
}

// surveyFolder makes a fresh data folder, the clock at 6 October 2026, for the
// survey commands; it returns the test's folder, the data folder and a runner
// that fails the test on an exit status other than want.
func surveyFolder(t *testing.T) (dir, data string, mustRun func(want int, args ...string) string) {
	t.Helper()
	dir = t.TempDir()
	data = filepath.Join(dir, "data")
	t.Setenv("QOLDAU_DATA", data)
	t.Setenv("QOLDAU_NOW", "2026-10-06T10:00:00+05:00")
	t.Setenv("QOLDAU_SECRET", "")
	return dir, data, func(want int, args ...string) string {
		t.Helper()
		code, out, errs := run(t, args...)
		if code != want {
			t.Fatalf("qoldau %s: exit %d, want %d\n%s\n%s", strings.Join(args, " "), code, want, out, errs)
		}
		return out
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func sheetRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// writeQuestionnaires writes a questionnaire register as the operator's system
// would, from counted rows of the store.
func writeQuestionnaires(t *testing.T, data, path string) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	svc := a.Svc
	var picked []*workflow.SurveyRow
	svc.SurveyRows(ctx, civil.MonthOf(2026, 9), func(r *workflow.SurveyRow) error {
		if len(picked) < 3 {
			picked = append(picked, r)
		}
		return nil
	})
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(fh)
	w.Write([]string{"bin_iin", "client_name", "service", "service_subtype", "end_date", "filled_at",
		"a_usefulness", "a_organisation", "a_expectations", "a_satisfaction", "purpose", "fin_support", "nonfin_support"})
	for i, r := range picked {
		score := "4"
		if i == 2 {
			score = "7" // row 4 of the file … see below
		}
		w.Write([]string{r.BinIIN, r.ClientName, r.Ref.Service, r.Ref.Subtype, r.Ref.End.DMY(), "03.10.2026",
			"5", score, "4", "5", "new_markets, Improvement of the quality of goods and services", "grant", ""})
	}
	// Row 5: an unknown service of a real client; row 6: no such service.
	r := picked[0]
	w.Write([]string{r.BinIIN, r.ClientName, r.Ref.Service, r.Ref.Subtype, r.Ref.End.DMY(), "03.10.2026", "1", "1", "1", "8", "", "", ""})
	w.Write([]string{r.BinIIN, r.ClientName, r.Ref.Service, r.Ref.Subtype, "01.09.2026", "03.10.2026", "1", "1", "1", "1", "", "", ""})
	w.Flush()
	fh.Close()
}

// TestBotWebhookNeedsSecret: setting a webhook without the secret Telegram must send
// back is refused before any call to Telegram, naming the setting that is missing.
func TestBotWebhookNeedsSecret(t *testing.T) {
	t.Setenv("QOLDAU_DATA", t.TempDir())
	t.Setenv("QOLDAU_TELEGRAM_TOKEN", "123456:test-token")
	t.Setenv("QOLDAU_TELEGRAM_API", "http://127.0.0.1:1/bot%s/%s")
	t.Setenv("QOLDAU_WEBHOOK_SECRET", "")
	t.Setenv("QOLDAU_WEBHOOK_SECRET_PARAM", "")
	for _, lang := range []string{"kk", "ru", "en"} {
		code, _, errs := run(t, "bot", "webhook", "--url", "https://example.kz/telegram", "--lang", lang)
		if code != 2 || !strings.Contains(errs, "QOLDAU_WEBHOOK_SECRET") {
			t.Errorf("%s: bot webhook without a secret: exit %d, stderr %q; want 2 naming QOLDAU_WEBHOOK_SECRET", lang, code, errs)
		}
		want, _ := texts.Lookup("bot.no_webhook_secret")
		if !strings.HasSuffix(errs, "qoldau: "+want.In(lang)+"\n") {
			t.Errorf("%s: bot webhook without a secret: stderr %q, want it to end with the reason in %s", lang, errs, lang)
		}
	}
}
