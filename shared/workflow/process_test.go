package workflow_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/workflow"
)

// TestMain lets the test binary act as a second process: with QOLDAU_TEST_UPLOAD
// set to "DIR|FILE" it uploads FILE into the store in DIR and prints the result.
func TestMain(m *testing.M) {
	if spec := os.Getenv("QOLDAU_TEST_UPLOAD"); spec != "" {
		os.Exit(childUpload(spec))
	}
	os.Exit(m.Run())
}

func childUpload(spec string) int {
	var dir, file string
	for i := len(spec) - 1; i >= 0; i-- {
		if spec[i] == '|' {
			dir, file = spec[:i], spec[i+1:]
			break
		}
	}
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "qoldau.db"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer store.Close()
	blobs, err := dirblob.New(filepath.Join(dir, "files"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	svc := workflow.New(store, blobs)
	now := time.Date(2026, 10, 1, 5, 0, 0, 0, time.UTC)
	svc.Clock = func() time.Time { return now }
	res, err := svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-09"), Path: file})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	json.NewEncoder(os.Stdout).Encode(res)
	return 0
}

// TestTwoProcessesSameUpload: the same file uploaded at once by two separate OS
// processes on one data folder yields one version and one letter.
func TestTwoProcessesSameUpload(t *testing.T) {
	dir := t.TempDir()
	h := openHarness(t, dir)
	path := h.register("2026-09", 2000, 12, 0.05)
	var wg sync.WaitGroup
	out := make([]workflow.UploadResult, 2)
	errs := make([]error, 2)
	for i := range out {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run", "^$")
			cmd.Env = append(os.Environ(), "QOLDAU_TEST_UPLOAD="+dir+"|"+path)
			b, err := cmd.Output()
			if err != nil {
				var stderr []byte
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = ee.Stderr
				}
				errs[i] = fmt.Errorf("%v: %s %s", err, b, stderr)
				return
			}
			errs[i] = json.Unmarshal(b, &out[i])
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	vs, err := h.svc.Store.Versions(context.Background(), month("2026-09"))
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || out[0].Version != 1 || out[1].Version != 1 || out[0].Duplicate == out[1].Duplicate {
		t.Fatalf("%d versions; results v%d dup %v, v%d dup %v", len(vs), out[0].Version, out[0].Duplicate, out[1].Version, out[1].Duplicate)
	}
	ls, _ := h.svc.Letters(context.Background(), 0)
	if len(ls) != 1 {
		t.Errorf("%d letters", len(ls))
	}
}
