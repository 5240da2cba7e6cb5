package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workday"
)

// UploadRequest is one register upload.
type UploadRequest struct {
	Period civil.Month
	Path   string // the uploaded file on local disk
	Name   string // the name the operator gave it (default: the path's base name)
	// Received is when the file arrived; zero means now. A given time is a backfill
	// (history from the operator's system) and the audit log says so.
	Received time.Time
	Actor    string
	// Sheet names the workbook's sheet to read; "" reads the first whose first 20
	// rows hold the header.
	Sheet string
	// Force stores a register whose end dates mostly fall in another month than
	// Period, which is otherwise refused.
	Force bool
}

// UploadResult is what an upload answers (the CLI's `upload --json`).
type UploadResult struct {
	Period            civil.Month      `json:"period"`
	Version           int              `json:"version"`
	SHA256            string           `json:"sha256"`
	Duplicate         bool             `json:"duplicate"`
	Received          time.Time        `json:"received"`
	Due               civil.Date       `json:"due"`
	EffectiveDeadline civil.Date       `json:"effective_deadline"`
	Late              bool             `json:"late"`
	Rows              qoldau.RowCounts `json:"rows"`
	Counts            map[string]int   `json:"counts"`
	Letter            *string          `json:"letter"`
	Warnings          []qoldau.Text    `json:"warnings,omitempty"`
	FileError         bool             `json:"file_error"`
	// Result is the validation report, kept as a blob too; its findings' files are
	// removed when Upload returns (Service.Result reads them back).
	Result *register.Result `json:"-"`
}

// Blob keys.
func uploadKey(sha string) string { return "uploads/" + sha }
func resultKey(p civil.Month, v int) string {
	return "results/" + p.String() + "/v" + strconv.Itoa(v) + ".json"
}

var (
	msgFutureMonth = texts.Text("future-month")
	msgOpenMonth   = texts.Text("open-month")
	msgEarlyMonth  = texts.Text("early-month")
)

// checkPeriod refuses a register's period outside the domain's range: before
// January 2019 or after the current month.
func (s *Service) checkPeriod(p civil.Month, now time.Time) error {
	switch {
	case p < workday.Today(qoldau.Epoch).Month():
		return qoldau.E(qoldau.Invalid, msgEarlyMonth, nil)
	case p > workday.Today(now).Month():
		return qoldau.E(qoldau.Invalid, msgFutureMonth, nil)
	}
	return nil
}

// Upload stores a register as a new version of its period (or recognises it as a
// duplicate of the latest version), validates it, and drafts a notification letter
// when it has errors. Every step is idempotent: a retry of the same upload yields the
// same version, never a second one.
func (s *Service) Upload(ctx context.Context, req UploadRequest) (*UploadResult, error) {
	now := s.now()
	if err := s.checkPeriod(req.Period, now); err != nil {
		return nil, err
	}
	backfill := !req.Received.IsZero()
	received := req.Received
	if !backfill {
		received = now
	} else if err := qoldau.CheckTime("received", received, now); err != nil {
		return nil, err
	}
	if req.Name == "" {
		req.Name = filepath.Base(req.Path)
	}
	req.Name = qoldau.PrintableText(req.Name, 255)
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	defer sp.close()
	res, err := register.ValidateFile(req.Path, register.Options{
		Period: req.Period, HasPeriod: true, Sheet: req.Sheet, Received: received, Ref: s.Ref, Limits: s.Limits,
	}, sp.add)
	if err != nil {
		return nil, err
	}
	defer res.Close() // the caller keeps the counts and the file-level findings
	// A register for another month than the one named (a slip of the period):
	// refused before anything is stored, since versions are never deleted.
	if msg, wrong := res.WrongPeriod(req.Period); wrong && !req.Force && !res.FileError {
		return nil, qoldau.E(qoldau.Invalid, msg, nil)
	}
	var rows qoldau.RowSeq // nothing of an unusable file is stored as data
	rowCount := 0
	if !res.FileError {
		if rows, err = sp.rows(); err != nil {
			return nil, err
		}
		rowCount = sp.n
	}
	out := &UploadResult{Period: req.Period, SHA256: res.SHA256, Received: received.UTC(),
		Rows: res.Rows, Counts: res.Counts, FileError: res.FileError, Result: res}
	if req.Period == workday.Today(now).Month() {
		out.Warnings = append(out.Warnings, msgOpenMonth)
	}
	// The original, unchanged, under its hash.
	f, err := os.Open(req.Path)
	if err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-read-upload"), err)
	}
	err = s.Blobs.Put(ctx, uploadKey(res.SHA256), f)
	f.Close()
	if err != nil {
		return nil, err
	}
	var v qoldau.Version
	for attempt := 0; ; attempt++ {
		vs, err := s.Store.Versions(ctx, req.Period)
		if err != nil {
			return nil, err
		}
		if n := len(vs); n > 0 && vs[n-1].SHA256 == res.SHA256 {
			// The same file as the latest version: a duplicate, not stored twice.
			v = vs[n-1]
			out.Duplicate = true
			break
		}
		v = qoldau.Version{Period: req.Period, Number: len(vs) + 1, SHA256: res.SHA256, FileName: req.Name,
			Size: fileSize(req.Path), Kind: res.Kind, Received: received.UTC(), Recorded: now.UTC(), Backfill: backfill,
			FileError: res.FileError, Rows: res.Rows, Counts: res.Counts, RowCount: rowCount, Actor: req.Actor}
		err = s.Store.PutVersion(ctx, &v, rows)
		if err == nil {
			break
		}
		if qoldau.CodeOf(err) != qoldau.Conflict || attempt >= 8 {
			return nil, err
		}
		// Another upload took the number: look again (it may be this very file).
	}
	out.Version, out.Received = v.Number, v.Received
	if err := s.complete(ctx, &v, req, res, received); err != nil {
		return nil, err
	}
	if v.Rows.Rejected > 0 || v.FileError {
		id := LetterID(v.Period, v.Number)
		out.Letter = &id
	}
	s.refreshRecords(ctx)
	st, err := s.State(ctx, req.Period)
	if err != nil {
		return nil, err
	}
	out.Due, out.EffectiveDeadline, out.Late = st.Due, st.Effective, st.Late
	return out, nil
}

// complete writes what a committed version must have: its audit entry, its letter
// (when it has errors) and its validation report, the report last. Each step is
// idempotent, and a retry of the same upload (which finds the version committed)
// runs complete again, so a crash after the commit never leaves a version without
// its report or its letter. A retry whose received time differs from the
// version's validates again at the version's time, so the report is the one the
// first attempt would have written.
func (s *Service) complete(ctx context.Context, v *qoldau.Version, req UploadRequest, res *register.Result, received time.Time) error {
	key := resultKey(v.Period, v.Number)
	done, err := s.Blobs.Exists(ctx, key)
	if err != nil {
		return err
	}
	needLetter := v.Rows.Rejected > 0 || v.FileError
	if done && needLetter {
		if _, err := s.Store.Letter(ctx, LetterID(v.Period, v.Number)); err == nil {
			needLetter = false
		} else if !isNotFound(err) {
			return err
		}
	}
	if done && !needLetter {
		return nil
	}
	if !v.Received.Equal(received) {
		again, err := register.ValidateFile(req.Path, register.Options{
			Period: v.Period, HasPeriod: true, Sheet: req.Sheet, Received: v.Received, Ref: s.Ref, Limits: s.Limits,
		}, nil)
		if err != nil {
			return err
		}
		defer again.Close()
		res = again
	}
	if !done {
		detail := map[string]string{"sha256": v.SHA256, "file": v.FileName, "received": v.Received.Format(time.RFC3339)}
		if v.Backfill {
			detail["backfill"] = "received time given explicitly"
		}
		if err := s.Audit(ctx, req.Actor, "upload", "register "+v.Period.String()+" v"+strconv.Itoa(v.Number), detail); err != nil {
			return err
		}
	}
	if needLetter {
		if _, err := s.draftLetter(ctx, v, req.Path, res); err != nil {
			return err
		}
	}
	if done {
		return nil
	}
	// The report streams from the findings on disk to the blob.
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(res.WriteJSON(pw)) }()
	err = s.Blobs.Put(ctx, key, pr)
	pr.CloseWithError(err) // unblocks the writer if Put stopped reading
	return err
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// Result returns the stored validation report of a version, its findings on disk:
// Close it when done.
func (s *Service) Result(ctx context.Context, p civil.Month, version int) (*register.Result, error) {
	rc, err := s.Blobs.Get(ctx, resultKey(p, version))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	res, err := register.ReadResult(rc)
	if err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("stored-validation-report-read"), err)
	}
	return res, nil
}

// EachFinding calls fn with each finding of a version's stored validation report,
// in report order, reading them as they come (Result copies them to disk first,
// to be walked again).
func (s *Service) EachFinding(ctx context.Context, p civil.Month, version int, fn func(*qoldau.Finding) error) error {
	rc, err := s.Blobs.Get(ctx, resultKey(p, version))
	if err != nil {
		return err
	}
	defer rc.Close()
	var cbErr error
	err = register.EachStored(rc, func(f *qoldau.Finding) error {
		if cbErr = fn(f); cbErr != nil {
			return cbErr
		}
		return nil
	})
	if err != nil && err != cbErr {
		return qoldau.E(qoldau.Internal, texts.Text("stored-validation-report-read"), err)
	}
	return err
}

// Columns returns the column letter of each field of a version's register as it
// was uploaded ("mobile_phone": "U"), from its stored validation report: empty
// when the report predates column letters. It reads the report only as far as the
// letters, never its findings.
func (s *Service) Columns(ctx context.Context, p civil.Month, version int) (map[string]string, error) {
	rc, err := s.Blobs.Get(ctx, resultKey(p, version))
	if err != nil {
		if isNotFound(err) {
			return map[string]string{}, nil
		}
		return nil, err
	}
	defer rc.Close()
	dec := json.NewDecoder(rc)
	bad := func(err error) error {
		return qoldau.E(qoldau.Internal, texts.Text("stored-validation-report-read"), err)
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, bad(err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, bad(err)
		}
		switch t {
		case "columns":
			cols := map[string]string{}
			if err := dec.Decode(&cols); err != nil {
				return nil, bad(err)
			}
			return cols, nil
		case "findings":
			return map[string]string{}, nil // the letters come before the findings, or not at all
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, bad(err)
		}
	}
	return map[string]string{}, nil
}

// isNotFound reports a NotFound error.
func isNotFound(err error) bool {
	var e *qoldau.Error
	return errors.As(err, &e) && e.Code == qoldau.NotFound
}
