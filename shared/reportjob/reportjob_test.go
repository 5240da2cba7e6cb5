package reportjob

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/qoldau"
)

func TestRun(t *testing.T) {
	blobs, err := dirblob.New(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 5, 6, 0, 0, 0, time.UTC)
	builds := 0
	var fail error
	r := &Runner{Blobs: blobs, Now: func() time.Time { return now }, Build: func(ctx context.Context, req Request) (map[string]string, error) {
		builds++
		return map[string]string{"json": "reports/" + req.ID + ".json"}, fail
	}}
	ctx := context.Background()
	tests := []struct {
		name        string
		fail        error
		wantStatus  string
		wantOutcome Outcome
		wantErr     bool
	}{
		{"bad input fails for good", qoldau.Errorf(qoldau.Invalid, "bad period"), Failed, Refused, false},
		{"a transient failure is retried", errors.New("throttled"), Failed, "", true},
		{"success", nil, Done, Built, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fail = tt.fail
			j, err := r.Submit(ctx, Request{Period: "2026-Q3", Actor: "agency"})
			if err != nil || j.Status != Queued {
				t.Fatalf("Submit = %+v, %v", j, err)
			}
			_, outcome, err := r.Run(ctx, j.ID)
			if (err != nil) != tt.wantErr || outcome != tt.wantOutcome {
				t.Fatalf("Run = %q, %v; want %q, error %v", outcome, err, tt.wantOutcome, tt.wantErr)
			}
			got, err := r.Get(ctx, j.ID)
			if err != nil || got.Status != tt.wantStatus {
				t.Fatalf("job after Run = %+v, %v; want %s", got, err, tt.wantStatus)
			}
			if tt.wantStatus == Done {
				// Run again (a redelivered event): nothing is built again.
				n := builds
				if _, outcome, err := r.Run(ctx, j.ID); err != nil || builds != n || outcome != AlreadyBuilt {
					t.Errorf("a second Run built again (%d → %d builds), answered %q, err %v; want %q", n, builds, outcome, err, AlreadyBuilt)
				}
				if diff := cmp.Diff(map[string]string{"json": "reports/" + j.ID + ".json"}, got.Files); diff != "" {
					t.Errorf("files (-want +got):\n%s", diff)
				}
			}
		})
	}
	if j, outcome, err := r.Run(ctx, "no-such-job"); j != nil || outcome != NotFound || err != nil {
		t.Errorf("Run of an unknown request = %v, %q, %v; want nil, %q", j, outcome, err, NotFound)
	}
	if err := blobs.Put(ctx, RequestKey("other"), strings.NewReader(`{"id":"another"}`)); err != nil {
		t.Fatal(err)
	}
	if _, outcome, err := r.Run(ctx, "other"); outcome != Unreadable || err != nil {
		t.Errorf("Run of a request naming another ID = %q, %v; want %q", outcome, err, Unreadable)
	}
	if _, err := r.Get(ctx, "../x"); qoldau.CodeOf(err) != qoldau.NotFound {
		t.Errorf("Get of a bad id = %v, want NotFound", err)
	}
	if id, ok := IDOfKey(RequestKey("abc-1")); !ok || id != "abc-1" {
		t.Errorf("IDOfKey(RequestKey) = %q, %v", id, ok)
	}
	if _, ok := IDOfKey(JobKey("abc")); ok {
		t.Error("IDOfKey accepted a job record's key")
	}
}

// TestBuildOf: a done job names the build it made (found by its JSON file among
// the period's builds); a job not done, or whose build is not recorded, is not a
// build to submit; an unknown job is not found.
func TestBuildOf(t *testing.T) {
	blobs, err := dirblob.New(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 5, 6, 0, 0, 0, time.UTC)
	r := &Runner{Blobs: blobs, Now: func() time.Time { return now }, Build: func(ctx context.Context, req Request) (map[string]string, error) {
		return map[string]string{"json": "reports/" + req.Period + "/" + req.ID + ".json"}, nil
	}}
	ctx := context.Background()
	done, err := r.Submit(ctx, Request{Period: "2026-Q3"})
	if err == nil {
		_, _, err = r.Run(ctx, done.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	queued, err := r.Submit(ctx, Request{Period: "2026-Q3"})
	if err != nil {
		t.Fatal(err)
	}
	built := now.Add(-time.Minute)
	recorded := []qoldau.ReportBuild{{Period: "2026-Q3", Built: built.Add(-time.Hour), Files: map[string]string{"json": "reports/old.json"}},
		{Period: "2026-Q3", Built: built, Files: map[string]string{"json": "reports/2026-Q3/" + done.ID + ".json"}}}
	builds := func(_ context.Context, period string) ([]qoldau.ReportBuild, error) {
		if period != "2026-Q3" {
			t.Errorf("builds of %q asked", period)
		}
		return recorded, nil
	}
	if p, b, err := r.BuildOf(ctx, done.ID, builds); err != nil || p != "2026-Q3" || !b.Equal(built) {
		t.Errorf("BuildOf(done) = %q, %v, %v", p, b, err)
	}
	if _, _, err := r.BuildOf(ctx, queued.ID, builds); qoldau.CodeOf(err) != qoldau.Invalid ||
		!strings.Contains(qoldau.MessageOf(err).EN, "not built yet") {
		t.Errorf("BuildOf(queued) = %v, want invalid, not built", err)
	}
	recorded = recorded[:1]
	if _, _, err := r.BuildOf(ctx, done.ID, builds); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("BuildOf(a build not recorded) = %v, want invalid", err)
	}
	if _, _, err := r.BuildOf(ctx, "no-such-job", builds); qoldau.CodeOf(err) != qoldau.NotFound {
		t.Errorf("BuildOf(unknown) = %v, want not found", err)
	}
}
