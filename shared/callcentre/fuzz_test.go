package callcentre

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/secret"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/storetest"
	"github.com/qoldau/qoldau/shared/workflow"
)

// fuzzStore is an embedded store with three survey services of September 2026.
func fuzzStore(f testing.TB) *sqlite.Store {
	f.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(f.TempDir(), "q.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	p := civil.MonthOf(2026, time.September)
	var entries []qoldau.SurveyEntry
	for row := 2; row <= 4; row++ {
		entries = append(entries, qoldau.SurveyEntry{Client: "c" + strconv.Itoa(row), Service: storetest.Service(p, 1, row, civil.D(2026, 9, row))})
	}
	if err := store.PutSurveyServices(ctx, p, 1, entries); err != nil {
		f.Fatal(err)
	}
	return store
}

// checkResult is what every import's result must satisfy, whatever the file.
func checkResult(t *testing.T, res *Result, now time.Time) {
	t.Helper()
	if res.Stored+res.Already+res.Skipped+res.Rejected > res.Read {
		t.Fatalf("read %d < stored %d + already %d + skipped %d + rejected %d", res.Read, res.Stored, res.Already, res.Skipped, res.Rejected)
	}
	for _, fd := range res.Findings {
		if fd.Message.KK == "" || fd.Message.RU == "" || fd.Message.EN == "" || strings.Contains(fd.Message.EN, "{") {
			t.Fatalf("finding %s %s has message %+v", fd.Code, fd.Cell, fd.Message)
		}
	}
	for _, a := range res.answers {
		for _, at := range []time.Time{a.Started, a.Completed} {
			if !at.IsZero() && (at.Before(qoldau.Epoch) || at.After(now.Add(24*time.Hour))) {
				t.Fatalf("answer %s stored with the time %v, outside 2019..now", a.ID, at)
			}
		}
	}
}

// FuzzImportCalls feeds arbitrary files to the call-list import (seed corpus in
// testdata/fuzz/FuzzImportCalls): it may refuse them, but must not panic or
// hang, must account for every row, and must store no time outside 2019..now.
func FuzzImportCalls(f *testing.F) {
	store := fuzzStore(f)
	f.Add([]byte("service_key,client_id,client_name,outcome,called_at,q1_received,q2_rating,q3_useful,q4_fin_interest\n" +
		"2026-09#1#2,c2,X,answered,05.10.2026,yes,5,partly,no\n2026-09#1#3,c3,X,answered,01.01.9999,Нет,,,\n" +
		"2026-09#1#4,c4,X,no_answer,31.12.2018,,,,\n\"2026-09#1#2\";c2;;answered;46000;yes;2,5;;"))
	now := time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ImportCalls(context.Background(), store, bytes.NewReader(data), int64(len(data)), "calls.csv", now)
		if err != nil {
			t.Fatalf("ImportCalls: %v", err)
		}
		checkResult(t, res, now)
	})
}

// FuzzImportQuestionnaires feeds arbitrary files to the questionnaire import (seed
// corpus in testdata/fuzz/FuzzImportQuestionnaires).
func FuzzImportQuestionnaires(f *testing.F) {
	store := fuzzStore(f)
	blobs, err := dirblob.New(filepath.Join(f.TempDir(), "files"))
	if err != nil {
		f.Fatal(err)
	}
	key, err := secret.New(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)
	wf := workflow.New(store, blobs)
	wf.Clock = func() time.Time { return now }
	f.Add([]byte("bin_iin;client_name;service;service_subtype;end_date;filled_at;a_usefulness;a_organisation;a_expectations;a_satisfaction;purpose;fin_support;nonfin_support\n" +
		"850515300017;Ахметов Ержан;tax;;07.09.2026;01.01.9999;5;4;3;2;a,b;;\n" +
		"'850515300017;X;Налоговая отчетность;;46000;;1;1;1;6;;x;\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		q := &Questionnaires{WF: wf, Keys: key}
		res, err := q.Import(context.Background(), store, bytes.NewReader(data), int64(len(data)), "q.csv")
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		checkResult(t, res, now)
	})
}

// TestImportDatesInRange: a call or a questionnaire dated in the future or before
// 2019 is refused with the cell named, not stored.
func TestImportDatesInRange(t *testing.T) {
	ctx := context.Background()
	store := fuzzStore(t)
	csv := "service_key,client_id,outcome,called_at,q1_received\n" +
		"2026-09#1#2,c2,no_answer,31.12.9999,\n2026-09#1#3,c3,no_answer,31.12.2018,\n2026-09#1#4,c4,no_answer,06.10.2026,\n"
	now := time.Date(2026, 10, 6, 10, 0, 0, 0, time.UTC)
	res, err := ImportCalls(ctx, store, strings.NewReader(csv), int64(len(csv)), "calls.csv", now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, fd := range res.Findings {
		got = append(got, fd.Code+" "+fd.Cell)
	}
	if strings.Join(got, ",") != "date-out-of-range D2,date-out-of-range D3" || res.Stored != 1 {
		t.Errorf("findings %q, stored %d", got, res.Stored)
	}
}
