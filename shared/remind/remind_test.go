package remind_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/remind"
	"github.com/qoldau/qoldau/shared/reportjob"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

type fake struct{ sent []qoldau.Notice }

func (f *fake) Notify(ctx context.Context, n qoldau.Notice) error {
	f.sent = append(f.sent, n)
	return nil
}

type harness struct {
	t    *testing.T
	svc  *workflow.Service
	now  time.Time
	note *fake
	job  *remind.Job
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.Open(context.Background(), filepath.Join(dir, "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	blobs, err := dirblob.New(filepath.Join(dir, "files"))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, svc: workflow.New(store, blobs), note: &fake{}}
	h.svc.Clock = func() time.Time { return h.now }
	h.job = &remind.Job{Svc: h.svc, Channels: []remind.Channel{{Name: "test", Notifier: h.note}}}
	return h
}

func (h *harness) at(s string) time.Time {
	h.t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, workday.Almaty())
	if err != nil {
		h.t.Fatal(err)
	}
	h.now = v
	return v
}

// upload stores a sample register of period (rate: share of rows with an error).
func (h *harness) upload(period string, rate float64) {
	h.t.Helper()
	p, _ := civil.ParseMonth(period)
	path := filepath.Join(h.t.TempDir(), "r.xlsx")
	f, err := os.Create(path)
	if err != nil {
		h.t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if _, err := sample.Write(w, sample.Options{Period: p, Rows: 20, Seed: uint64(len(period)) + uint64(rate*100), ErrorRate: rate}); err != nil {
		h.t.Fatal(err)
	}
	w.Flush()
	f.Close()
	if _, err := h.svc.Upload(context.Background(), workflow.UploadRequest{Period: p, Path: path, Actor: "op"}); err != nil {
		h.t.Fatal(err)
	}
}

// run runs the job at an Almaty time and returns the keys sent that start with
// prefix.
func (h *harness) run(s, prefix string) []string {
	h.t.Helper()
	res, err := h.job.Run(context.Background(), h.at(s))
	if err != nil {
		h.t.Fatal(err)
	}
	out := []string{}
	for _, k := range res.Sent {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TestDueDates walks September 2026's register (due Thursday 1 October) through its
// reminders while nothing is uploaded: 3 and 1 working days before, the due day, the
// morning after; each once, and nothing outside working hours or on a day off.
func TestDueDates(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		at   string
		want []string
	}{
		{"2026-09-25 10:00", []string{}},                   // Friday: 4 working days before
		{"2026-09-28 08:00", []string{}},                   // Monday before working hours
		{"2026-09-28 09:00", []string{"due/2026-09/d-3"}},  // 3 working days before
		{"2026-09-28 15:00", []string{}},                   // the same day again
		{"2026-09-29 09:00", []string{}},                   // the d-3 window, claimed
		{"2026-09-30 09:00", []string{"due/2026-09/d-1"}},  // 1 working day before
		{"2026-10-01 09:00", []string{"due/2026-09/d0"}},   // the due day
		{"2026-10-01 19:30", []string{}},                   // after hours
		{"2026-10-02 09:00", []string{"due/2026-09/late"}}, // the morning after
		{"2026-10-03 10:00", []string{}},                   // Saturday
		{"2026-10-05 09:00", []string{}},                   // late notice sent already
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, h.run(tt.at, "due/")); diff != "" {
			t.Errorf("at %s (-want +got):\n%s", tt.at, diff)
		}
	}
}

// TestNoReminderOnceUploaded: a version for the period stops the due reminders.
func TestNoReminderOnceUploaded(t *testing.T) {
	h := newHarness(t)
	h.at("2026-09-29 12:00")
	h.upload("2026-09", 0)
	for _, at := range []string{"2026-09-30 09:00", "2026-10-01 09:00", "2026-10-02 09:00"} {
		if got := h.run(at, "due/"); len(got) != 0 {
			t.Errorf("at %s sent %v after the register arrived", at, got)
		}
	}
}

// TestLetterAndCorrection: an unsent letter reminds the agency at 09:00 of its
// send-by day; a sent one reminds the operator a working day before the correction
// deadline, unless a correction arrived.
func TestLetterAndCorrection(t *testing.T) {
	h := newHarness(t)
	h.at("2026-10-01 16:00") // Thursday: errors found; send by Friday 2 October
	h.upload("2026-09", 0.2)
	ctx := context.Background()
	tests := []struct {
		at   string
		want []string
	}{
		{"2026-10-01 17:00", []string{}},
		{"2026-10-02 08:30", []string{}},
		{"2026-10-02 09:00", []string{"letter/2026-09-v1"}},
		{"2026-10-02 12:00", []string{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, h.run(tt.at, "letter/")); diff != "" {
			t.Errorf("at %s (-want +got):\n%s", tt.at, diff)
		}
	}
	// Sent on Friday 2 October: correction due Wednesday 7 October.
	if _, err := h.svc.Send(ctx, "2026-09-v1", workflow.SendRequest{Number: "07-1/1", At: h.at("2026-10-02 12:30"), Actor: "agency"}); err != nil {
		t.Fatal(err)
	}
	if got := h.run("2026-10-05 10:00", "correction/"); len(got) != 0 {
		t.Errorf("Monday: %v, want nothing", got)
	}
	if diff := cmp.Diff([]string{"correction/2026-09-v1"}, h.run("2026-10-06 10:00", "correction/")); diff != "" {
		t.Errorf("Tuesday, a working day before the correction deadline (-want +got):\n%s", diff)
	}
}

// TestCorrectionArrived: no correction reminder once a later version exists.
func TestCorrectionArrived(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.at("2026-10-01 16:00")
	h.upload("2026-09", 0.2)
	if _, err := h.svc.Send(ctx, "2026-09-v1", workflow.SendRequest{Number: "07-1/1", At: h.at("2026-10-02 08:00"), Actor: "agency"}); err != nil {
		t.Fatal(err)
	}
	h.at("2026-10-05 11:00")
	h.upload("2026-09", 0)
	if got := h.run("2026-10-06 10:00", "correction/"); len(got) != 0 {
		t.Errorf("sent %v though the correction arrived", got)
	}
}

// TestReports: Q3 2026 is due Monday 12 October: reminders 5 and 2 working days
// before, while not submitted.
func TestReports(t *testing.T) {
	tests := []struct {
		name      string
		submitted bool
		want      map[string][]string
	}{
		{"not submitted", false, map[string][]string{
			"2026-10-02 10:00": {},
			"2026-10-05 10:00": {"report/2026-Q3/r-5"},
			"2026-10-06 10:00": {},
			"2026-10-08 10:00": {"report/2026-Q3/r-2"},
			"2026-10-12 10:00": {},
		}},
		{"submitted", true, map[string][]string{
			"2026-10-05 10:00": {},
			"2026-10-08 10:00": {},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.submitted {
				at := time.Date(2026, 10, 1, 15, 0, 0, 0, workday.Almaty())
				if err := h.svc.RecordSubmission(context.Background(), &qoldau.Submission{Period: "2026-Q3", Submitted: at,
					LetterNo: "01-12/1", RegNo: "ЖТ-1", Media: qoldau.MediaUSB, Actor: "agency", Recorded: at}); err != nil {
					t.Fatal(err)
				}
			}
			ats := make([]string, 0, len(tt.want))
			for at := range tt.want {
				ats = append(ats, at)
			}
			sort.Strings(ats)
			for _, at := range ats {
				if diff := cmp.Diff(tt.want[at], h.run(at, "report/")); diff != "" {
					t.Errorf("at %s (-want +got):\n%s", at, diff)
				}
			}
		})
	}
}

func TestReportsDueDates(t *testing.T) {
	cal := workday.Default()
	var got []string
	for _, r := range remind.Reports(cal, 2026) {
		got = append(got, r.Name+" "+r.Due.String())
	}
	// 12 April 2026 is a Sunday, 12 July a Sunday; 12 October a Monday; 10 December a Thursday.
	want := []string{"2026-Q1 2026-04-13", "2026-Q2 2026-07-13", "2026-Q3 2026-10-12", "2026-Q4 2026-12-10", "2026 2026-12-10"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("due dates (-want +got):\n%s", diff)
	}
}

// TestDrafts: the draft of a coming report is requested once.
func TestDrafts(t *testing.T) {
	h := newHarness(t)
	var dispatched []string
	runner := &reportjob.Runner{Blobs: h.svc.Blobs, Now: func() time.Time { return h.now }, Dispatch: func(id string) { dispatched = append(dispatched, id) },
		Build: func(ctx context.Context, req reportjob.Request) (map[string]string, error) { return nil, nil }}
	steps := []struct {
		at   string
		want map[string]string
	}{
		{"2026-10-02 08:00", map[string]string{}}, // before the window
		{"2026-10-05 08:00", map[string]string{"auto-2026-q3": remind.DraftRequested}},
		{"2026-10-05 08:00", map[string]string{"auto-2026-q3": remind.DraftAlreadyRequested}}, // the event again
		{"2026-10-06 08:00", map[string]string{"auto-2026-q3": remind.DraftAlreadyRequested}},
		{"2026-10-12 08:00", map[string]string{"auto-2026-q3": remind.DraftAlreadyRequested}},
	}
	for _, st := range steps {
		got, err := remind.Drafts(context.Background(), h.svc, runner, h.at(st.at))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Errorf("Drafts at %s (-want +got):\n%s", st.at, diff)
		}
	}
	if diff := cmp.Diff([]string{"auto-2026-q3"}, dispatched); diff != "" {
		t.Errorf("drafts requested (-want +got):\n%s", diff)
	}
}
