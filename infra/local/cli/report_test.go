package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qoldau/qoldau/shared/app"
	"github.com/qoldau/qoldau/shared/report"
	"github.com/qoldau/qoldau/shared/reportjob"
)

// TestDemoAndReport runs the demo on small registers, then builds and submits
// reports on its data folder as the agency would.
func TestDemoAndReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	code, out, errs := run(t, "demo", "--data", dir, "--rows", "200", "--lang", "kk")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	// --lang kk: the Kazakh report, and the demo says what it does in Kazakh.
	for _, want := range []string{"шілде 2026 тізілімі, 2-нұсқа жүктелді", "КЕШІГІП жіберілді", "КЕШІГІП: есептерге кірмейді",
		"актілер импортталды", "2026-Q3 есебі құрылды", "файлдар:"} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo does not say %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"xlsx", "pdf", "json"} {
		p := filepath.Join(dir, "reports", "2026-Q3", "report-2026-Q3-kk."+f)
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	// The demo's clients answered in every channel: the quality section has
	// numbers in each column and in the questionnaire's tables.
	js, err := os.ReadFile(filepath.Join(dir, "reports", "2026-Q3", "report-2026-Q3-kk.json"))
	if err != nil {
		t.Fatal(err)
	}
	var demo struct {
		Quality struct {
			Answers, Respondents int
			Channels             []struct {
				Channel            string
				Invited, Completed int
			}
			ByRegion []struct {
				Key        string
				Rating     *struct{ N int } `json:"q2_rating"`
				Usefulness *struct{ N int } `json:"a_usefulness"`
			} `json:"by_region"`
		}
	}
	if err := json.Unmarshal(js, &demo); err != nil {
		t.Fatal(err)
	}
	q := demo.Quality
	for _, c := range q.Channels {
		if c.Invited == 0 || c.Completed == 0 {
			t.Errorf("the demo report's %s column is empty: %+v", c.Channel, c)
		}
	}
	total := q.ByRegion[len(q.ByRegion)-1]
	if len(q.Channels) != 4 || q.Respondents == 0 || total.Rating == nil || total.Usefulness == nil {
		t.Errorf("the demo report's quality section: %d answers, %d respondents, channels %+v, total %+v", q.Answers, q.Respondents, q.Channels, total)
	}
	if !strings.Contains(out, "Telegram") {
		t.Errorf("the demo does not say it ran the bot:\n%s", out)
	}

	// The demo runs again over its own files; a folder holding other files is
	// refused, unless --force.
	if code, _, errs := run(t, "demo", "--data", dir, "--rows", "50"); code != 0 {
		t.Errorf("demo again into its own folder: exit %d, %s", code, errs)
	}
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("mine"), 0o644)
	if code, _, errs := run(t, "demo", "--data", other, "--rows", "50"); code != 2 || !strings.Contains(errs, "not the demo's") {
		t.Errorf("demo into a used folder: exit %d, %s", code, errs)
	}

	t.Setenv("QOLDAU_NOW", "2026-10-09T12:00:00+05:00")
	concl := filepath.Join(t.TempDir(), "conclusion.txt")
	os.WriteFile(concl, []byte("Қорытынды мәтіні.\n"), 0o644)
	outDir := filepath.Join(t.TempDir(), "out")
	code, out, errs = run(t, "report", "build", "--data", dir, "--period", "2026-07..2026-09", "--lang", "ru",
		"--format", "json,xlsx", "--out", outDir, "--conclusion", concl, "--json")
	if code != 0 {
		t.Fatalf("report build: exit %d\n%s\n%s", code, out, errs)
	}
	var res struct {
		Period         string
		From, To       string
		Files          map[string]string
		Reconciliation map[string]any
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Period != "2026-07..2026-09" || res.From != "2026-07" || len(res.Files) != 2 || res.Reconciliation["counted"] == nil {
		t.Errorf("build result = %+v", res)
	}
	js, err = os.ReadFile(res.Files["json"])
	if err != nil || !strings.Contains(string(js), `"replaced":true`) || !strings.Contains(string(js), "Қорытынды мәтіні.") {
		t.Errorf("the JSON does not carry the agency's conclusion: %v", err)
	}

	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"report", "build", "--data", dir}, 2, "", "usage"},
		{[]string{"report", "build", "--data", dir, "--period", "2026-Q5"}, 2, "", "period is not understood"},
		{[]string{"report", "build", "--data", dir, "--period", "2026-Q3", "--format", "docx"}, 2, "", "Unknown format"},
		{[]string{"report", "build", "--data", dir, "--period", "2026-Q3", "--lang", "de"}, 2, "", "want kk, ru or en"},
		{[]string{"report", "submit", "--data", dir, "--period", "2026-Q3", "--at", "2026-10-09T11:00:00+05:00",
			"--letter-no", "01-12/345", "--reg-no", "ЖТ-987", "--media", "usb"}, 0, "due 2026-10-12: on time", ""},
		{[]string{"report", "submit", "--data", dir, "--period", "2026-Q3", "--at", "2026-10-09T11:30:00+05:00",
			"--letter-no", "01-12/346", "--reg-no", "ЖТ-988", "--media", "cd"}, 2, "", "submitted already"},
		{[]string{"report", "submit", "--data", dir, "--period", "2026-Q2", "--letter-no", "x", "--reg-no", "y", "--media", "tape"}, 2, "", "usb, cd or dvd"},
		{[]string{"report", "submit", "--data", dir, "--period", "2026-Q2"}, 2, "", "usage"},
		{[]string{"report", "frob"}, 2, "", "unknown subcommand"},
	} {
		code, out, errs := run(t, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errs, tt.stderr) {
			t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, out, errs)
		}
	}

	// --build names the build that was signed: by its build time as report build
	// prints it, or the stamp of its files; a build the period never had, or a
	// name that is no build time, is refused.
	code, out, errs = run(t, "report", "build", "--data", dir, "--period", "2026-07..2026-08", "--lang", "ru", "--format", "json",
		"--out", t.TempDir())
	if code != 0 {
		t.Fatalf("report build: exit %d\n%s\n%s", code, out, errs)
	}
	_, id, ok := strings.Cut(out, "(для --build при сдаче): ")
	id, _, _ = strings.Cut(id, "\n")
	built, err := report.ParseBuild(id)
	if !ok || err != nil || built.IsZero() {
		t.Fatalf("report build does not print its build time: %v\n%s", err, out)
	}
	submit := func(build string) []string {
		return []string{"report", "submit", "--data", dir, "--period", "2026-07..2026-08", "--at", "2026-10-09T11:50:00+05:00",
			"--letter-no", "01-12/347", "--reg-no", "ЖТ-989", "--media", "usb", "--build", build}
	}
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{submit("2026-10-01T10:00:00+05:00"), 2, "", "Period 2026-07..2026-08 has no report build 2026-10-01T05:00:00Z"},
		{submit("вчера"), 2, "", "is neither a report build time nor a report job"},
		{append(submit(built.Format(report.BuildStamp)), "--lang", "kk"), 0, "тапсырылған есеп: " + report.BuildID(built), ""},
	} {
		code, out, errs := run(t, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errs, tt.stderr) {
			t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, out, errs)
		}
	}

	// The ID of the report job that built it (the console's, the API's) names a
	// build too, as the API's submission does.
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{Data: dir})
	if err != nil {
		t.Fatal(err)
	}
	j, err := a.Reports.Submit(ctx, reportjob.Request{Period: "2026-07..2026-09", Lang: "en", Formats: []string{"json"}})
	if err == nil {
		_, _, err = a.Reports.Run(ctx, j.ID)
	}
	_, jobBuilt, berr := a.Reports.BuildOf(ctx, j.ID, a.Svc.Builds)
	a.Close()
	if err != nil || berr != nil {
		t.Fatalf("report job: %v, %v", err, berr)
	}
	code, out, errs = run(t, "report", "submit", "--data", dir, "--period", "2026-07..2026-09", "--at", "2026-10-09T11:55:00+05:00",
		"--letter-no", "01-12/348", "--reg-no", "ЖТ-990", "--media", "dvd", "--build", j.ID)
	if code != 0 || !strings.Contains(out, "the build submitted: "+report.BuildID(jobBuilt)) {
		t.Errorf("submit --build JOB: exit %d\n%s\n%s", code, out, errs)
	}
	code, _, errs = run(t, "report", "submit", "--data", dir, "--period", "2026-Q2", "--letter-no", "1", "--reg-no", "2",
		"--media", "cd", "--build", "no-such-job")
	if code != 2 || !strings.Contains(errs, `"no-such-job" is neither a report build time nor a report job`) {
		t.Errorf("submit --build of an unknown job: exit %d, %s", code, errs)
	}
}
