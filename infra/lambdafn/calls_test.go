package lambdafn

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/sample"
)

// download fetches a kept file through the API's download link, as the agency.
func (e *env) download(t *testing.T, key string) []byte {
	t.Helper()
	code, dl := e.apiCall(t, "api-status.json", "GET", "/api/downloads?key="+url.QueryEscape(key), e.keys[qoldau.RoleAgency], nil)
	if code != 200 {
		t.Fatalf("download of %s = %d %v", key, code, dl)
	}
	resp, err := http.Get(dl["url"].(string))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s = %d", key, resp.StatusCode)
	}
	return body
}

// ingest uploads content through the API as role and runs the validate function
// on its S3 event; it returns the upload's state.
func (e *env) ingest(t *testing.T, role qoldau.Role, req map[string]string, content []byte) map[string]any {
	t.Helper()
	id, key := e.uploadKind(t, role, req, content)
	if err := Validate(e.app)(context.Background(), e.s3Event(t, "s3-upload.json", key, e.clock.now())); err != nil {
		t.Fatal(err)
	}
	code, st := e.apiCall(t, "api-status.json", "GET", "/api/uploads/"+id, e.keys[role], nil)
	if code != 200 || st["status"] != ingest.StatusDone {
		t.Fatalf("upload %v = %d %v", req, code, st)
	}
	return st
}

// TestAPICallsAlone: on DynamoDB and S3 (moto), through the Lambdas: a register
// and its acts in, the call list out (POST /api/calls), filled and uploaded back
// (kind calls) with nothing else run, and the report's quality section shows the
// phone answers in the phone column.
func TestAPICallsAlone(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ag := e.keys[qoldau.RoleAgency]
	e.clock.at(t, "2026-10-01 10:00")
	e.ingest(t, qoldau.RoleOperator, map[string]string{"kind": "register", "period": "2026-09", "name": "r.xlsx"},
		register(t, "2026-09", 60, 4, 0))

	// Acts that confirm every row (clause 11), so the report counts them.
	st, err := e.app.Svc.State(ctx, civil.MonthOf(2026, 9))
	if err != nil || st.Shown == nil {
		t.Fatalf("state %+v, %v", st, err)
	}
	var rows []qoldau.Row
	e.app.Svc.Rows(ctx, st.Period, st.Shown.Number, func(r *qoldau.Row) error { rows = append(rows, *r); return nil })
	var acts bytes.Buffer
	if _, err := sample.WriteActs(&acts, rows, sample.ActsOptions{Seed: 1, Ref: e.app.Svc.Ref}); err != nil {
		t.Fatal(err)
	}
	e.clock.at(t, "2026-10-02 10:00")
	e.ingest(t, qoldau.RoleAgency, map[string]string{"kind": "acts", "name": "acts.csv"}, acts.Bytes())

	code, ans := e.apiCall(t, "api-status.json", "POST", "/api/calls", ag, map[string]any{"period": "2026-09", "per_region": 3, "seed": 2})
	if code != http.StatusCreated {
		t.Fatalf("POST /api/calls = %d %v", code, ans)
	}
	f, err := excelize.OpenReader(bytes.NewReader(e.download(t, ans["key"].(string))))
	if err != nil {
		t.Fatal(err)
	}
	for r, vals := range map[string]map[string]string{
		"2": {"J": "answered", "L": "yes", "M": "5", "N": "yes", "O": "no"},
		"3": {"J": "answered", "L": "yes", "M": "3", "N": "partly", "O": "yes"},
		"4": {"J": "refused"},
	} {
		for col, v := range vals {
			f.SetCellValue(f.GetSheetName(0), col+r, v)
		}
	}
	var filled bytes.Buffer
	if err := f.Write(&filled); err != nil {
		t.Fatal(err)
	}
	e.clock.at(t, "2026-10-03 12:00")
	up := e.ingest(t, qoldau.RoleAgency, map[string]string{"kind": "calls", "name": "calls.xlsx"}, filled.Bytes())
	res := up["outcome"].(map[string]any)["result"].(map[string]any)
	if res["stored"] != float64(3) || res["rejected"] != float64(0) {
		t.Fatalf("calls upload result %v", res)
	}
	// The operator may not upload the agency's survey files.
	if code, _ := e.apiCall(t, "api-upload.json", "POST", "/api/uploads", e.keys[qoldau.RoleOperator],
		map[string]string{"kind": "calls", "name": "calls.xlsx"}); code != http.StatusForbidden {
		t.Errorf("operator upload of a call list = %d, want 403", code)
	}

	e.clock.at(t, "2026-10-05 11:00")
	code, job := e.apiCall(t, "api-report.json", "POST", "/api/reports", ag, map[string]any{"period": "2026-Q3", "formats": []string{"json"}})
	if code != http.StatusAccepted {
		t.Fatalf("POST /api/reports = %d %v", code, job)
	}
	jid := job["id"].(string)
	if res, err := Report(e.app)(ctx, mustJSON(t, e.s3Event(t, "s3-report-request.json", reportjob.RequestKey(jid), e.clock.now()))); err != nil || res.Jobs[jid] != reportjob.Built {
		t.Fatalf("report function = %+v, %v", res, err)
	}
	_, job = e.apiCall(t, "api-status.json", "GET", "/api/reports/"+jid, ag, nil)
	var rep struct {
		Quality struct {
			Channels []struct {
				Channel                              string
				Invited, Reached, Started, Completed int
				Answers                              struct {
					Rating *struct {
						N     int     `json:"n"`
						Value float64 `json:"mean"`
					} `json:"q2_rating"`
				}
			}
			ByRegion []struct {
				Key      string
				Channels []struct {
					Channel string
					Rating  *struct {
						N     int     `json:"n"`
						Value float64 `json:"mean"`
					} `json:"q2_rating"`
				}
			} `json:"by_region"`
		}
	}
	if err := json.Unmarshal(e.download(t, job["files"].(map[string]any)["json"].(string)), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for i, c := range rep.Quality.Channels {
		got[c.Channel] = i
	}
	ph, tg := rep.Quality.Channels[got["phone"]], rep.Quality.Channels[got["telegram"]]
	if ph.Channel != "phone" || ph.Invited != 3 || ph.Reached != 2 || ph.Completed != 2 || ph.Answers.Rating == nil ||
		ph.Answers.Rating.N != 2 || ph.Answers.Rating.Value != 4 || tg.Completed != 0 {
		t.Errorf("phone column %+v, rating %+v (telegram %+v): want 3 called, 2 reached and completed, a mean rating of 4", ph, ph.Answers.Rating, tg)
	}
	// The table by region splits its rows by channel: the calls' ratings are in
	// the phone rows.
	ratings := 0
	for _, x := range rep.Quality.ByRegion {
		for _, c := range x.Channels {
			if c.Rating != nil && x.Key != "total" {
				if c.Channel != "phone" {
					t.Errorf("%s: a %s rating %+v; only calls were made", x.Key, c.Channel, c.Rating)
				}
				ratings += c.Rating.N
			}
			if x.Key == "total" && c.Channel == "phone" && (c.Rating == nil || c.Rating.N != 2 || c.Rating.Value != 4) {
				t.Errorf("the total's phone row: rating %+v, want 2 with a mean of 4", c.Rating)
			}
		}
	}
	if ratings != 2 {
		t.Errorf("the regions' phone rows hold %d ratings, want 2", ratings)
	}

	// The signed report goes to the authorized body (clause 13): the submission
	// names the build of that report job; the first submission stands.
	e.clock.at(t, "2026-10-09 15:00")
	sub := map[string]any{"report": jid, "letter_no": "01-12/7", "reg_no": "ЖТ-2026-1", "media": "usb"}
	code, res = e.apiCall(t, "api-status.json", "POST", "/api/reports/submissions", ag, sub)
	builds, err := e.app.Svc.Builds(ctx, "2026-Q3")
	if code != http.StatusCreated || err != nil || len(builds) != 1 || res["period"] != "2026-Q3" ||
		res["build"] != builds[0].Built.UTC().Format(time.RFC3339Nano) || res["late"] != false {
		t.Fatalf("POST /api/reports/submissions = %d %v (builds %v, %v)", code, res, builds, err)
	}
	if code, res = e.apiCall(t, "api-status.json", "POST", "/api/reports/submissions", ag, sub); code != http.StatusConflict {
		t.Errorf("a second submission = %d %v, want 409", code, res)
	}
	if code, _ := e.apiCall(t, "api-status.json", "POST", "/api/reports/submissions", e.keys[qoldau.RoleAdmin], sub); code != http.StatusForbidden {
		t.Errorf("the admin's submission = %d, want 403", code)
	}
}
