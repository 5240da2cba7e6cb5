package workflow

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/reconcile"
)

// ActsResult is what an acts import answers.
type ActsResult struct {
	SHA256   string           `json:"sha256"`
	Sheet    string           `json:"sheet,omitempty"` // the workbook's sheet read
	Read     int              `json:"read"`
	Rejected int              `json:"rejected"`
	Added    int              `json:"added"`
	Counts   map[string]int   `json:"counts"`
	Findings []qoldau.Finding `json:"findings"`
	// FileError: the file as a whole could not be used; nothing was stored.
	FileError bool `json:"file_error"`
}

// ImportActs reads a file of signed acts (clause 11): the workbook's sheet named
// sheet, or else the first whose first rows hold the header. It stores the file's
// valid lines (a line stored before adds nothing) and keeps the original file.
func (s *Service) ImportActs(ctx context.Context, path, sheet string, received time.Time, actor string) (*ActsResult, error) {
	if received.IsZero() {
		received = s.now()
	} else if err := qoldau.CheckTime("received", received, s.now()); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, qoldau.E(qoldau.Invalid, texts.Text("cannot-open-file"), err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	res, err := reconcile.ReadActs(f, st.Size(), filepath.Base(path), sheet, received, s.Ref, s.Limits)
	if err != nil {
		return nil, err
	}
	out := &ActsResult{SHA256: res.SHA256, Sheet: res.Sheet, Read: res.Read, Rejected: res.Rejected, Counts: res.Counts,
		Findings: res.Findings, FileError: res.FileError}
	if res.FileError {
		return out, nil
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil, err
	}
	if err := s.Blobs.Put(ctx, "acts/"+res.SHA256, f); err != nil {
		return nil, err
	}
	if out.Added, err = s.Store.PutActs(ctx, res.Acts); err != nil {
		return nil, err
	}
	s.refreshRecords(ctx)
	err = s.Audit(ctx, actor, "import", "acts "+filepath.Base(path), map[string]string{
		"sha256": res.SHA256, "received": received.UTC().Format(time.RFC3339), "added": itoa(out.Added)})
	return out, err
}
