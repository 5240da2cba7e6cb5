package callcentre

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/storetest"
)

// TestImportCalls checks each kind of row of a filled call list (CSV here) and the
// cell of each finding.
func TestImportCalls(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	p := civil.MonthOf(2026, time.September)
	var entries []qoldau.SurveyEntry
	for row := 2; row <= 9; row++ {
		entries = append(entries, qoldau.SurveyEntry{Client: "c" + strconv.Itoa(row), Service: storetest.Service(p, 1, row, civil.D(2026, 9, row))})
	}
	if err := store.PutSurveyServices(ctx, p, 1, entries); err != nil {
		t.Fatal(err)
	}
	csv := strings.Join([]string{
		"service_key,client_id,client_name,outcome,called_at,q1_received,q2_rating,q3_useful,q4_fin_interest",
		"2026-09#1#2,c2,X,answered,05.10.2026,yes,5,partly,no",   // 2: stored
		"2026-09#1#3,c3,X,answered,,Нет,,,",                      // 3: stored (a Russian label), denied
		"2026-09#1#4,c4,X,,,,,,",                                 // 4: not called yet
		"2026-09#1#5,c5,X,no_answer,,,,,",                        // 5: stored, an outcome only
		"2026-09#1#6,c6,X,answered,,yes,6,,",                     // 6: bad rating, missing q3 q4
		"2026-09#1#7,c7,X,refused,,yes,,,",                       // 7: answers without a call
		"2026-09#1#8,c2,X,answered,,no,,,",                       // 8: not the client's service
		"2026-09#1#9,c9,X,answered,31.02.2026,dont_remember,3,,", // 9: bad date, answer after the end
		"2026-09#1#2,c2,X,answered,,yes,4,yes,yes",               // 10: the same service again
	}, "\n")
	now := time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)
	res, err := ImportCalls(ctx, store, strings.NewReader(csv), int64(len(csv)), "calls.csv", now)
	if err != nil {
		t.Fatal(err)
	}
	type f struct{ Code, Cell string }
	var got []f
	for _, x := range res.Findings {
		got = append(got, f{x.Code, x.Cell})
	}
	want := []f{
		{"unknown-value", "G6"}, {"required-missing", "H6"}, {"required-missing", "I6"},
		{"answers-without-call", "D7"},
		{"unknown-service", "A8"},
		{"type-error", "E9"}, {"answer-after-end", "G9"},
		{"duplicate-row", "A10"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if res.Read != 9 || res.Stored != 3 || res.Skipped != 1 || res.Rejected != 5 || res.ExitCode() != 1 {
		t.Errorf("result = read %d, stored %d, skipped %d, rejected %d", res.Read, res.Stored, res.Skipped, res.Rejected)
	}
	a, err := store.Answer(ctx, "phone:2026-09#1#3")
	if err != nil || !a.Denied() || !a.IsCompleted() {
		t.Errorf("row 3's answer = %+v (%v)", a, err)
	}
	a, err = store.Answer(ctx, "phone:2026-09#1#5")
	if err != nil || a.Outcome != "no_answer" || a.IsCompleted() {
		t.Errorf("row 5's answer = %+v (%v)", a, err)
	}
	for _, x := range res.Findings {
		if x.Message.KK == "" || x.Message.RU == "" || x.Message.EN == "" || strings.Contains(x.Message.EN, "{") {
			t.Errorf("finding %s %s has message %+v", x.Code, x.Cell, x.Message)
		}
	}
	// The same file again stores nothing new.
	res, err = ImportCalls(ctx, store, strings.NewReader(csv), int64(len(csv)), "calls.csv", now)
	if err != nil || res.Stored != 1 || res.Already != 2 {
		t.Errorf("again: stored %d, already %d (%v); want 1 (the outcome-only row may be replaced) and 2", res.Stored, res.Already, err)
	}
}

func TestImportCallsFileErrors(t *testing.T) {
	ctx := context.Background()
	store, _ := sqlite.Open(ctx, filepath.Join(t.TempDir(), "q.db"))
	defer store.Close()
	tests := []struct {
		name, body, code string
	}{
		{"empty", "", "file-unreadable"},
		{"no header", "a,b,c\n1,2,3", "header-not-found"},
		{"missing column", "service_key,client_id,outcome,q2_rating\n1,2,3,4", "missing-column"},
		{"no data", "service_key,client_id,outcome,q1_received", "no-data"},
	}
	for _, tt := range tests {
		res, err := ImportCalls(ctx, store, strings.NewReader(tt.body), int64(len(tt.body)), "x.csv", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !res.FileError || res.Counts[tt.code] == 0 || res.ExitCode() != 2 {
			t.Errorf("%s: file error %v, counts %v", tt.name, res.FileError, res.Counts)
		}
	}
}
