package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/workflow"
)

func openAt(t *testing.T, data string) *App {
	t.Helper()
	cfg, err := LoadFrom(func(k string) string {
		return map[string]string{"QOLDAU_DATA": data, "QOLDAU_NOW": "2026-10-05T10:00:00+05:00", "QOLDAU_LOG_LEVEL": "error"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	return a
}

func writeRegister(t *testing.T, p civil.Month, seed uint64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("r-%s-%d.xlsx", p, seed))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if _, err := sample.Write(w, sample.Options{Period: p, Rows: 40, Seed: seed, ErrorRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	f.Close()
	return path
}

// TestBackupWhileWriting: a backup taken while uploads go on restores to a store
// that reads back whole: the database passes its integrity check, and every
// version it names has its original file and its validation report.
func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	a := openAt(t, filepath.Join(dir, "data"))
	ctx := context.Background()
	var files []string
	for i := range 12 {
		files = append(files, writeRegister(t, civil.MonthOf(2026, time.Month(1+i%9)), uint64(i)))
	}
	upload := func(i int) {
		p := civil.MonthOf(2026, time.Month(1+i%9))
		if _, err := a.Svc.Upload(ctx, workflow.UploadRequest{Period: p, Path: files[i%len(files)], Actor: "operator"}); err != nil {
			t.Error(err)
		}
	}
	upload(0)
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; !stop.Load() && i < 200; i++ {
			upload(i)
		}
	}()
	time.Sleep(200 * time.Millisecond)
	var backup bytes.Buffer
	info, err := a.Backup(ctx, &backup)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if info.Database == 0 || info.Files == 0 {
		t.Fatalf("backup: %+v", info)
	}

	restored := filepath.Join(dir, "restored")
	now := time.Date(2026, 10, 5, 11, 0, 0, 0, time.UTC)
	cfg := Config{Data: restored}
	if _, err := Restore(ctx, cfg, bytes.NewReader(backup.Bytes()), false, now); err != nil {
		t.Fatal(err)
	}
	r := openAt(t, restored)
	ps, err := r.Store.Periods(ctx)
	if err != nil || len(ps) == 0 {
		t.Fatalf("restored periods: %v %v", ps, err)
	}
	versions := 0
	for _, p := range ps {
		vs, err := r.Store.Versions(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			versions++
			if ok, _ := r.Blobs.Exists(ctx, "uploads/"+v.SHA256); !ok {
				t.Errorf("%s v%d: the original file is missing", p, v.Number)
			}
			res, err := r.Svc.Result(ctx, p, v.Number)
			if err != nil {
				t.Errorf("%s v%d: no validation report: %v", p, v.Number, err)
				continue
			}
			res.Close()
			rows := 0
			r.Store.Rows(ctx, p, v.Number, func(*qoldau.Row) error { rows++; return nil })
			if rows != v.RowCount {
				t.Errorf("%s v%d: %d rows, want %d", p, v.Number, rows, v.RowCount)
			}
		}
	}
	t.Logf("restored %d versions of %d periods", versions, len(ps))
	if st, err := os.Stat(filepath.Join(restored, "qoldau.db")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("restored database: %v %v", st, err)
	}

	// A folder with data is replaced only with --force, and then kept aside.
	if _, err := Restore(ctx, cfg, bytes.NewReader(backup.Bytes()), false, now); qoldau.CodeOf(err) != qoldau.Conflict {
		t.Errorf("restore over data without force: %v, want a conflict", err)
	}
	ri, err := Restore(ctx, cfg, bytes.NewReader(backup.Bytes()), true, now)
	if err != nil || ri.Moved == "" {
		t.Fatalf("restore with force: %+v %v", ri, err)
	}
	if _, err := os.Stat(filepath.Join(ri.Moved, "qoldau.db")); err != nil {
		t.Errorf("the replaced data was not kept: %v", err)
	}
	// A damaged archive replaces nothing.
	bad := append([]byte(nil), backup.Bytes()[:backup.Len()/2]...)
	if _, err := Restore(ctx, cfg, bytes.NewReader(bad), true, now.Add(time.Second)); qoldau.CodeOf(err) != qoldau.Invalid {
		t.Errorf("a cut archive: %v, want invalid", err)
	}
	if _, err := os.Stat(filepath.Join(restored, "qoldau.db")); err != nil {
		t.Errorf("a failed restore touched the data: %v", err)
	}
}
