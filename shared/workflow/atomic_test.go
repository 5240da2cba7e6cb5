package workflow_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/scratch"
	"github.com/qoldau/qoldau/shared/workflow"
)

// failingBlobs fails every Put whose key fail accepts, as a crash or a lost
// connection at that point would.
type failingBlobs struct {
	qoldau.Blobs
	fail func(key string) bool
}

func (b *failingBlobs) Put(ctx context.Context, key string, r io.Reader) error {
	if b.fail != nil && b.fail(key) {
		return errors.New("injected: the process died here")
	}
	return b.Blobs.Put(ctx, key, r)
}

// scratchLeft lists what uploads left in the process's scratch folder.
func scratchLeft(t *testing.T) []string {
	t.Helper()
	d, err := scratch.Dir()
	if err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(d)
	var left []string
	for _, e := range ents {
		if e.Name() != ".lock" {
			left = append(left, e.Name())
		}
	}
	return left
}

// TestUploadCompletesOnRetry: a version committed before its validation report
// and letter were written (a crash between) gets them on the retry, which used to
// find "identical to the latest version" and write nothing; a retry later in time
// writes the report the first attempt would have.
func TestUploadCompletesOnRetry(t *testing.T) {
	for _, failing := range []string{"results/", "letters/"} {
		t.Run(failing, func(t *testing.T) {
			h := newHarness(t)
			fb := &failingBlobs{Blobs: h.svc.Blobs, fail: func(k string) bool { return strings.HasPrefix(k, failing) }}
			h.svc.Blobs = fb
			ctx := context.Background()
			h.at("2026-10-01 10:00")
			path := h.register("2026-09", 60, 4, 0.3)
			if _, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-09"), Path: path, Actor: "operator"}); err == nil {
				t.Fatal("the injected failure did not fail the upload")
			}
			vs, _ := h.svc.Store.Versions(ctx, month("2026-09"))
			if len(vs) != 1 {
				t.Fatalf("%d versions committed, want 1 (the commit precedes the failure)", len(vs))
			}
			if left := scratchLeft(t); len(left) > 0 {
				t.Errorf("a failed upload left %v in the scratch folder", left)
			}
			fb.fail = nil
			h.at("2026-10-01 11:30") // the operator retries later
			r := h.upload("2026-09", path)
			if !r.Duplicate || r.Version != 1 || r.Letter == nil {
				t.Fatalf("retry: %+v", r)
			}
			res, err := h.svc.Result(ctx, month("2026-09"), 1)
			if err != nil {
				t.Fatalf("the retry wrote no validation report: %v", err)
			}
			res.Close()
			if res.Rows != r.Result.Rows {
				t.Errorf("report rows %+v, want %+v", res.Rows, r.Result.Rows)
			}
			ls, err := h.svc.Letters(ctx, month("2026-09"))
			if err != nil || len(ls) != 1 || ls[0].Files["docx"] == "" || ls[0].Files["xlsx"] == "" {
				t.Fatalf("the retry drafted no letter: %v %+v", err, ls)
			}
			if ok, _ := h.svc.Blobs.Exists(ctx, ls[0].Files["docx"]); !ok {
				t.Error("the letter's document is missing")
			}
			audit, _ := h.svc.Store.Audit(ctx, h.now.AddDate(0, 0, -1), 0)
			uploads := 0
			for _, e := range audit {
				if e.Action == "upload" {
					uploads++
				}
			}
			if uploads < 1 {
				t.Errorf("no upload in the audit log: %+v", audit)
			}
			if left := scratchLeft(t); len(left) > 0 {
				t.Errorf("uploads left %v in the scratch folder", left)
			}
		})
	}
}

// TestUploadWindows1251CSV: a CSV that is not UTF-8 is a whole-file problem: a
// version with no rows, its findings and a letter saying why (it used to stop
// before the letter with an internal error, so the version had none and the job
// retried for good), and nothing left in the scratch folder.
func TestUploadWindows1251CSV(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var utf bytes.Buffer
	if _, err := sample.WriteCSV(&utf, sample.Options{Period: month("2026-09"), Rows: 20, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	cp, err := encoding.ReplaceUnsupported(charmap.Windows1251.NewEncoder()).Bytes(bytes.TrimPrefix(utf.Bytes(), []byte("\ufeff")))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "register.csv")
	os.WriteFile(path, cp, 0o600)
	h.at("2026-10-01 10:00")
	r, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-09"), Path: path, Actor: "operator"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.FileError || r.Version != 1 || r.Letter == nil || !strings.Contains(r.Result.Reason(), "UTF-8") {
		t.Fatalf("upload: %+v reason %q", r, r.Result.Reason())
	}
	l, err := h.svc.Store.Letter(ctx, *r.Letter)
	if err != nil || l.Files["docx"] == "" || l.Files["xlsx"] != "" {
		t.Fatalf("letter: %v %+v", err, l)
	}
	if res, err := h.svc.Result(ctx, month("2026-09"), 1); err != nil {
		t.Errorf("no validation report: %v", err)
	} else {
		res.Close()
	}
	if left := scratchLeft(t); len(left) > 0 {
		t.Errorf("the upload left %v in the scratch folder", left)
	}
	if r2 := h.upload("2026-09", path); !r2.Duplicate {
		t.Errorf("the same file again: %+v", r2)
	}
}

// TestUploadFailedValidationStoresNothing: when validation itself fails (the file
// cannot be read), nothing is stored: no version, no file, no letter.
func TestUploadFailedValidationStoresNothing(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.at("2026-10-01 10:00")
	dir := t.TempDir() // a folder, not a file: opening works, reading fails
	if _, err := h.svc.Upload(ctx, workflow.UploadRequest{Period: month("2026-09"), Path: dir, Actor: "operator"}); err == nil {
		t.Fatal("an unreadable path was uploaded")
	}
	if vs, _ := h.svc.Store.Versions(ctx, month("2026-09")); len(vs) != 0 {
		t.Errorf("versions: %+v", vs)
	}
	if ls, _ := h.svc.Store.Letters(ctx, 0); len(ls) != 0 {
		t.Errorf("letters: %+v", ls)
	}
	if ents, _ := os.ReadDir(filepath.Join(h.dir, "files")); len(ents) != 0 {
		t.Errorf("files stored: %v", ents)
	}
	if left := scratchLeft(t); len(left) > 0 {
		t.Errorf("the upload left %v in the scratch folder", left)
	}
}
