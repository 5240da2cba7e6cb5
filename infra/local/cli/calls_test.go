package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
)

// TestCallsAlone: on a fresh data folder with one uploaded register, the call list
// goes out and comes back filled with nothing else run (no invitations), the
// operator's questionnaires are imported the same way, and the report's quality
// section shows the phone answers in the phone column and the imported ones in
// theirs.
func TestCallsAlone(t *testing.T) {
	dir, data, mustRun := surveyFolder(t)
	reg := filepath.Join(dir, "r.xlsx")
	mustRun(0, "sample", "--period", "2026-09", "--rows", "200", "--seed", "7", "--error-rate", "0", "--out", reg)
	mustRun(0, "upload", "--period", "2026-09", "--received", "2026-10-01T10:00:00+05:00", reg)
	acts := filepath.Join(dir, "acts.csv")
	writeActs(t, data, acts)
	mustRun(0, "acts", "import", "--received", "2026-10-02T10:00:00+05:00", acts)

	calls := filepath.Join(dir, "calls.xlsx")
	mustRun(0, "calls", "export", "--period", "2026-09", "--per-region", "2", "--seed", "1", "--out", calls)
	f, err := excelize.OpenFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Calls")
	if len(rows) < 5 {
		t.Fatalf("the call list has %d rows", len(rows))
	}
	// Two calls answered (one client denies the service), one not answered; the
	// answers as the list's drop-downs give them.
	for r, vals := range map[int]map[string]string{
		2: {"J": "answered", "L": "yes", "M": "4", "N": "partly", "O": "yes"},
		3: {"J": "answered", "L": "no"},
		4: {"J": "no_answer"},
	} {
		for col, v := range vals {
			f.SetCellValue("Calls", col+itoa(r), v)
		}
	}
	if err := f.SaveAs(calls); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var res struct{ Read, Stored, Rejected int }
	out := mustRun(0, "calls", "import", "--json", calls)
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Stored != 3 || res.Rejected != 0 {
		t.Fatalf("calls import: %+v (%v)\n%s", res, err, out)
	}

	// Questionnaires: three rows matching counted services, nothing else run.
	q := filepath.Join(dir, "q.csv")
	writeQuestionnaires(t, data, q)
	mustRun(1, "questionnaires", "import", q) // two rows are wrong on purpose

	outDir := filepath.Join(dir, "report")
	mustRun(0, "report", "build", "--period", "2026-Q3", "--lang", "en", "--format", "json", "--out", outDir)
	files, _ := filepath.Glob(filepath.Join(outDir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("report files %v", files)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Quality struct {
			Channels []struct {
				Channel                              string
				Invited, Reached, Started, Completed int
				Answers                              struct {
					Received *struct{ N, K int } `json:"q1_received"`
					Rating   *struct{ N int }    `json:"q2_rating"`
				}
			}
			ByRegion  []splitRow `json:"by_region"`
			ByService []splitRow `json:"by_service"`
		}
	}
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	by := map[string]int{}
	for i, c := range rep.Quality.Channels {
		by[c.Channel] = i
	}
	chs := rep.Quality.Channels
	if len(chs) != 4 {
		t.Fatalf("channels %+v, want telegram, phone, import and the total", chs)
	}
	ph, im, tg, all := chs[by["phone"]], chs[by["import"]], chs[by["telegram"]], chs[by["total"]]
	if ph.Invited != 3 || ph.Reached != 2 || ph.Completed != 2 || ph.Answers.Received == nil ||
		ph.Answers.Received.N != 2 || ph.Answers.Received.K != 1 || ph.Answers.Rating == nil || ph.Answers.Rating.N != 1 {
		t.Errorf("phone column %+v: want 3 called, 2 reached, 2 completed, one of two confirming the service", ph)
	}
	if im.Completed != 2 || im.Invited != 2 || tg.Invited != 0 || tg.Completed != 0 || all.Completed != 4 {
		t.Errorf("import %+v, telegram %+v, all %+v", im, tg, all)
	}
	// The tables by region and by service split their rows by channel too: the
	// calls' answers are in the phone rows, over the regions and services and in
	// the total.
	for name, rows := range map[string][]splitRow{"by region": rep.Quality.ByRegion, "by service": rep.Quality.ByService} {
		n, k := 0, 0
		var total *struct{ N, K int }
		for i, x := range rows {
			for _, c := range x.Channels {
				switch {
				case c.Channel != "phone" || c.Received == nil:
				case i == len(rows)-1:
					total = c.Received
				default:
					n, k = n+c.Received.N, k+c.Received.K
				}
			}
		}
		if n != 2 || k != 1 || total == nil || total.N != 2 || total.K != 1 {
			t.Errorf("%s: the phone rows hold %d of %d confirming (total %+v); want 1 of 2", name, k, n, total)
		}
	}
}

// splitRow is a row of the report's quality tables by region or service, as the
// JSON has it: the share confirming the service, per channel.
type splitRow struct {
	Key      string
	Channels []struct {
		Channel  string
		Received *struct{ N, K int } `json:"q1_received"`
	}
}

// writeActs writes an acts file that confirms every row of the September register.
func writeActs(t *testing.T, data, path string) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	st, err := a.Svc.State(ctx, civil.MonthOf(2026, 9))
	if err != nil || st.Shown == nil {
		t.Fatalf("state %+v, %v", st, err)
	}
	var rows []qoldau.Row
	a.Svc.Rows(ctx, st.Period, st.Shown.Number, func(r *qoldau.Row) error {
		rows = append(rows, *r)
		return nil
	})
	var buf bytes.Buffer
	if _, err := sample.WriteActs(&buf, rows, sample.ActsOptions{Seed: 1, Ref: a.Svc.Ref}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
