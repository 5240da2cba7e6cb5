// Package ingest registers uploaded files: the validate job. A staff user asks the
// API for an upload; the API records a ticket (who, what kind, which period, the
// file's name) and hands out a URL that PUTs the file under inbox/<ticket>/<name>
// (a presigned S3 URL on AWS, the local server's own endpoint otherwise). When the
// object is created, Handle runs the workflow on it: a register becomes a version
// (validated, a letter drafted on errors), an acts file is imported, and other kinds
// go to the handlers registered for them. The outcome is stored beside the ticket for
// the API to show.
//
// The received time is the object's creation time (the S3 event's time), and the
// workflow runs at that time, so lateness and the letter's send-by day never depend
// on when the event was delivered. Handle is idempotent: a redelivered event finds
// the stored outcome and does nothing; one that races the first is recognised by the
// workflow as the same file (SHA-256).
package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/scratch"
	"github.com/qoldau/qoldau/shared/workflow"
)

// Upload kinds: the operator's register, the agency's acts, and the agency's
// survey files (a filled call list, the operator's questionnaires), whose
// handlers the assembly gives (Job.Kinds).
const (
	KindRegister       = "register"
	KindActs           = "acts"
	KindCalls          = "calls"
	KindQuestionnaires = "questionnaires"
)

// InboxPrefix is where uploads land; on AWS the validate function's S3 notification
// filters on it.
const InboxPrefix = "inbox/"

// Ticket is an upload the API allowed.
type Ticket struct {
	ID     string      `json:"id"`
	Kind   string      `json:"kind"`
	Period civil.Month `json:"period,omitzero"`
	Name   string      `json:"name"`
	Key    string      `json:"key"` // the inbox key the file is PUT to
	Actor  string      `json:"actor"`
	// Sheet names the workbook's sheet to read ("" picks the one holding the
	// header); Force stores a register whose end dates mostly fall in another
	// month than Period.
	Sheet   string    `json:"sheet,omitempty"`
	Force   bool      `json:"force,omitempty"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Outcome is what became of an upload.
type Outcome struct {
	ID       string                 `json:"id"`
	Kind     string                 `json:"kind"`
	Status   string                 `json:"status"` // done | refused | failed
	Received time.Time              `json:"received"`
	Register *workflow.UploadResult `json:"register,omitempty"`
	Acts     *workflow.ActsResult   `json:"acts,omitempty"`
	Other    json.RawMessage        `json:"result,omitempty"`
	Error    *qoldau.Text           `json:"error,omitempty"`
}

// Outcome statuses. A failed upload (a store or network failure, not the file's
// fault) is run again when its event is delivered again or the file is PUT again.
const (
	StatusDone    = "done"
	StatusRefused = "refused"
	StatusFailed  = "failed"
)

// TicketKey and OutcomeKey name a ticket's blobs.
func TicketKey(id string) string { return "tickets/" + id + ".json" }

// OutcomeKey names the stored outcome of a ticket's upload.
func OutcomeKey(id string) string { return "tickets/" + id + ".outcome.json" }

// InboxKey is the key a ticket's file is PUT to: inbox/<id>/<safe name>.
func InboxKey(id, name string) string { return InboxPrefix + id + "/" + SafeName(name) }

// TicketOf returns the ticket ID of an inbox key, false for any other key.
func TicketOf(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, InboxPrefix)
	if !ok {
		return "", false
	}
	id, name, ok := strings.Cut(rest, "/")
	return id, ok && validID(id) && name != "" && !strings.Contains(name, "/")
}

func validID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// SafeName keeps a file name's letters, digits, '.', '-' and '_' (others become
// '_'), at most 80 bytes with the extension kept; "upload" when nothing is left.
func SafeName(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	var b strings.Builder
	for _, r := range name {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := strings.TrimLeft(b.String(), ".")
	if len(s) > 80 {
		ext := path.Ext(s)
		if len(ext) > 10 {
			ext = ""
		}
		s = s[:80-len(ext)] + ext
	}
	if s == "" || s == "_" {
		s = "upload"
	}
	return s
}

// Handler registers a file of a kind other than registers and acts (filled call
// lists and imported questionnaires). It returns a JSON-able result;
// an Invalid error refuses the file.
type Handler func(ctx context.Context, path string, t *Ticket, received time.Time) (any, error)

// Job is the validate job.
type Job struct {
	Svc *workflow.Service
	// Blobs holds the tickets, the inbox and the outcomes.
	Blobs qoldau.Blobs
	// TempDir holds downloads while they are validated ("": the process's scratch
	// folder, shared/scratch, under /tmp on Lambda).
	TempDir string
	// MaxSize is the largest file taken (0: the workflow's xlsx limit).
	MaxSize int64
	// Kinds handles other upload kinds.
	Kinds map[string]Handler
	Log   *slog.Logger
}

// Kind reports whether the job takes uploads of kind.
func (j *Job) Kind(kind string) bool {
	_, ok := j.Kinds[kind]
	return ok || kind == KindRegister || kind == KindActs
}

// Handle registers the object at key, created at created. It returns (nil, nil)
// for a key that is no upload of a known ticket (nothing to retry), the outcome
// otherwise, and an error only when a retry may succeed.
func (j *Job) Handle(ctx context.Context, key string, created time.Time) (*Outcome, error) {
	id, ok := TicketOf(key)
	if !ok {
		j.log().WarnContext(ctx, "upload ignored: not an inbox key")
		return nil, nil
	}
	blobs := j.Blobs
	if o, err := ReadOutcome(ctx, blobs, id); err == nil && o.Status != StatusFailed {
		j.log().InfoContext(ctx, "upload already registered", "ticket", id)
		return o, nil
	} else if err != nil && qoldau.CodeOf(err) != qoldau.NotFound {
		return nil, err
	}
	t, err := ReadTicket(ctx, blobs, id)
	if err != nil {
		if qoldau.CodeOf(err) == qoldau.NotFound {
			j.log().WarnContext(ctx, "upload ignored: no ticket", "ticket", id)
			return nil, nil
		}
		return nil, err
	}
	if t.Key != key {
		j.log().WarnContext(ctx, "upload ignored: key does not match its ticket", "ticket", id)
		return nil, nil
	}
	out := &Outcome{ID: id, Kind: t.Kind, Received: created.UTC()}
	res, err := j.run(ctx, t, created, out)
	if err != nil {
		if qoldau.CodeOf(err) != qoldau.Invalid {
			// Worth a retry: the outcome says it failed (not "waiting" for good),
			// and a redelivery or a new PUT runs it again.
			msg := qoldau.MessageOf(err)
			failed := &Outcome{ID: id, Kind: t.Kind, Received: created.UTC(), Status: StatusFailed, Error: &msg}
			if data, merr := json.Marshal(failed); merr == nil {
				blobs.Put(context.WithoutCancel(ctx), OutcomeKey(id), bytes.NewReader(data))
			}
			j.log().ErrorContext(ctx, "upload failed", "ticket", id, "kind", t.Kind, "err", err)
			return nil, err
		}
		msg := qoldau.MessageOf(err)
		out.Status, out.Error = StatusRefused, &msg
		j.log().InfoContext(ctx, "upload refused", "ticket", id, "kind", t.Kind, "err", err)
	} else {
		out.Status = StatusDone
		if res != nil {
			if out.Other, err = json.Marshal(res); err != nil {
				return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-record-upload"), err)
			}
		}
		j.log().InfoContext(ctx, "upload registered", "ticket", id, "kind", t.Kind)
	}
	data, _ := json.Marshal(out)
	if err := blobs.Put(ctx, OutcomeKey(id), bytes.NewReader(data)); err != nil {
		return nil, err
	}
	return out, nil
}

// run downloads the file and hands it to the workflow at the time it was created.
func (j *Job) run(ctx context.Context, t *Ticket, created time.Time, out *Outcome) (any, error) {
	path, cleanup, err := j.download(ctx, t)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	svc := *j.Svc
	svc.Clock = func() time.Time { return created }
	switch t.Kind {
	case KindRegister:
		out.Register, err = svc.Upload(ctx, workflow.UploadRequest{Period: t.Period, Path: path, Name: t.Name, Actor: t.Actor,
			Sheet: t.Sheet, Force: t.Force})
		if out.Register != nil {
			out.Register.Result = nil
		}
		return nil, err
	case KindActs:
		out.Acts, err = svc.ImportActs(ctx, path, t.Sheet, created, t.Actor)
		return nil, err
	}
	if h, ok := j.Kinds[t.Kind]; ok {
		return h(ctx, path, t, created)
	}
	return nil, qoldau.E(qoldau.Invalid, texts.Text("unknown-kind-upload"), nil)
}

var msgTooLarge = texts.Text("too-large")

// download copies the object to a temporary file named with the upload's extension.
func (j *Job) download(ctx context.Context, t *Ticket) (string, func(), error) {
	rc, err := j.Blobs.Get(ctx, t.Key)
	if err != nil {
		return "", nil, err
	}
	defer rc.Close()
	pattern := "upload-*" + strings.ToLower(filepath.Ext(SafeName(t.Name)))
	var f *os.File
	if j.TempDir != "" {
		f, err = os.CreateTemp(j.TempDir, pattern)
	} else {
		f, err = scratch.CreateTemp(pattern)
	}
	if err != nil {
		return "", nil, qoldau.E(qoldau.Internal, texts.Text("cannot-keep-upload"), err)
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	limit := j.MaxSize
	if limit <= 0 {
		limit = j.Svc.Limits.MaxFileSize
	}
	if limit <= 0 {
		limit = 256 << 20
	}
	n, err := io.Copy(f, io.LimitReader(rc, limit+1))
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		cleanup()
		return "", nil, qoldau.E(qoldau.Internal, texts.Text("cannot-keep-upload"), err)
	}
	if n > limit {
		cleanup()
		return "", nil, qoldau.E(qoldau.Invalid, msgTooLarge, nil)
	}
	return f.Name(), cleanup, nil
}

// PutTicket stores a ticket: the upload it names is expected in the inbox.
func (j *Job) PutTicket(ctx context.Context, t *Ticket) error { return PutTicket(ctx, j.Blobs, t) }

// Ticket returns a stored ticket; NotFound when none.
func (j *Job) Ticket(ctx context.Context, id string) (*Ticket, error) {
	return ReadTicket(ctx, j.Blobs, id)
}

// Outcome returns the stored outcome of a ticket's upload; NotFound while none.
func (j *Job) Outcome(ctx context.Context, id string) (*Outcome, error) {
	return ReadOutcome(ctx, j.Blobs, id)
}

// ReadTicket returns a stored ticket; NotFound when none.
func ReadTicket(ctx context.Context, b qoldau.Blobs, id string) (*Ticket, error) {
	var t Ticket
	return &t, readJSON(ctx, b, TicketKey(id), &t)
}

// ReadOutcome returns the stored outcome of a ticket's upload; NotFound while none.
func ReadOutcome(ctx context.Context, b qoldau.Blobs, id string) (*Outcome, error) {
	var o Outcome
	return &o, readJSON(ctx, b, OutcomeKey(id), &o)
}

// PutTicket stores a ticket.
func PutTicket(ctx context.Context, b qoldau.Blobs, t *Ticket) error {
	data, err := json.Marshal(t)
	if err != nil {
		return qoldau.E(qoldau.Internal, texts.Text("cannot-record-upload"), err)
	}
	return b.Put(ctx, TicketKey(t.ID), bytes.NewReader(data))
}

func readJSON(ctx context.Context, b qoldau.Blobs, key string, v any) error {
	data, err := qoldau.ReadAll(ctx, b, key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return qoldau.E(qoldau.Internal, texts.Text("stored-upload-record-read"), err)
	}
	return nil
}

func (j *Job) log() *slog.Logger {
	if j.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return j.Log
}
