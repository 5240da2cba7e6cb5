// Package reportjob runs report builds asynchronously: a request is recorded as a
// blob (jobs/reports/<id>.request.json) and a job record beside it
// (jobs/reports/<id>.json) says queued, running, done (with the output files) or
// failed. On AWS the request blob's S3 ObjectCreated event invokes the report
// function; locally a worker goroutine runs it. A run is idempotent: a job that is
// done is not built again, and builds are reproducible, so two runs of one request
// (a redelivered event) write the same files.
package reportjob

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Job states.
const (
	Queued  = "queued"
	Running = "running"
	Done    = "done"
	Failed  = "failed"
)

// Request asks for one report.
type Request struct {
	ID        string    `json:"id"`
	Period    string    `json:"period"` // 2026-Q3, 2026, 2026-07..2026-09
	Lang      string    `json:"lang"`   // kk | ru | en
	Formats   []string  `json:"formats"`
	Actor     string    `json:"actor"`
	Requested time.Time `json:"requested"`
	Auto      bool      `json:"auto,omitempty"` // requested by the schedule
}

// Job is a request and what became of it.
type Job struct {
	Request
	Status  string            `json:"status"`
	Files   map[string]string `json:"files,omitempty"` // format → blob key
	Error   *qoldau.Text      `json:"error,omitempty"`
	Updated time.Time         `json:"updated"`
}

// BuildFunc builds the report of req into blobs and returns the blob key of each
// format written. An Invalid error fails the job for good (bad input); any other
// error is worth a retry.
type BuildFunc func(ctx context.Context, req Request) (map[string]string, error)

// Prefix is where requests and job records live; the template's S3 notification of
// the report function filters on it and on RequestSuffix.
const (
	Prefix        = "jobs/reports/"
	RequestSuffix = ".request.json"
)

// RequestKey and JobKey name a request's blobs.
func RequestKey(id string) string { return Prefix + id + RequestSuffix }

// JobKey names the job record of a request.
func JobKey(id string) string { return Prefix + id + ".json" }

// IDOfKey returns the request ID of a request blob key, and false for any other key.
func IDOfKey(key string) (string, bool) {
	if !strings.HasPrefix(key, Prefix) || !strings.HasSuffix(key, RequestSuffix) {
		return "", false
	}
	id := strings.TrimSuffix(strings.TrimPrefix(key, Prefix), RequestSuffix)
	return id, ValidID(id)
}

// ValidID reports whether id can name a job: 1 to 64 of [a-z0-9-].
func ValidID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Runner submits and runs jobs.
type Runner struct {
	Blobs qoldau.Blobs
	Build BuildFunc
	Now   func() time.Time
	Log   *slog.Logger
	// Dispatch, when set, is called after a request is stored (locally: hand the ID
	// to a worker). On AWS it is nil: the stored request's S3 event is the dispatch.
	Dispatch func(id string)
}

// NewID returns a random job ID.
func NewID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Submit records a request (its ID given, or a new one) as a queued job and
// dispatches it. Submitting an ID that exists returns the stored job unchanged.
func (r *Runner) Submit(ctx context.Context, req Request) (*Job, error) {
	if req.ID == "" {
		req.ID = NewID()
	}
	if !ValidID(req.ID) {
		return nil, qoldau.Errorf(qoldau.Invalid, "invalid report job id")
	}
	if j, err := r.Get(ctx, req.ID); err == nil {
		return j, nil
	} else if qoldau.CodeOf(err) != qoldau.NotFound {
		return nil, err
	}
	if req.Requested.IsZero() {
		req.Requested = r.Now().UTC()
	}
	j := &Job{Request: req, Status: Queued, Updated: req.Requested}
	if err := r.put(ctx, JobKey(req.ID), j); err != nil {
		return nil, err
	}
	if err := r.put(ctx, RequestKey(req.ID), req); err != nil {
		return nil, err
	}
	if r.Dispatch != nil {
		r.Dispatch(req.ID)
	}
	return j, nil
}

// Get returns a job; NotFound when unknown.
func (r *Runner) Get(ctx context.Context, id string) (*Job, error) {
	if !ValidID(id) {
		return nil, qoldau.E(qoldau.NotFound, msgNoJob, nil)
	}
	data, err := qoldau.ReadAll(ctx, r.Blobs, JobKey(id))
	if err != nil {
		if qoldau.CodeOf(err) == qoldau.NotFound {
			return nil, qoldau.E(qoldau.NotFound, msgNoJob, err)
		}
		return nil, err
	}
	var j Job
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, qoldau.E(qoldau.Internal, msgNoJob, err)
	}
	return &j, nil
}

var msgNoJob = texts.Text("no-job")

// BuildOf is the report build a done job made: its period and build time, found
// among the period's recorded builds (builds) by the job's JSON file. NotFound for
// an unknown job; Invalid when the job is not done or its build is not recorded.
func (r *Runner) BuildOf(ctx context.Context, id string,
	builds func(ctx context.Context, period string) ([]qoldau.ReportBuild, error)) (period string, built time.Time, err error) {
	j, err := r.Get(ctx, id)
	if err != nil {
		return "", time.Time{}, err
	}
	notBuilt := qoldau.E(qoldau.Invalid, texts.Text("report-not-built"), nil)
	if j.Status != Done || j.Files["json"] == "" {
		return "", time.Time{}, notBuilt
	}
	bs, err := builds(ctx, j.Period)
	if err != nil {
		return "", time.Time{}, err
	}
	for _, b := range bs {
		if b.Files["json"] == j.Files["json"] {
			return j.Period, b.Built, nil
		}
	}
	return "", time.Time{}, notBuilt
}

// Outcome says what a Run did with a request.
type Outcome string

// The outcomes of Run.
const (
	Built        Outcome = "built"         // built now
	AlreadyBuilt Outcome = "already-built" // done before: nothing built again
	Refused      Outcome = "refused"       // bad input: the job failed for good
	NotFound     Outcome = "not-found"     // no request blob of that ID
	Unreadable   Outcome = "unreadable"    // a request blob that is not a request of that ID
)

// Run builds the job of request id unless it is done, and says what it did. It
// returns an error only when a retry may succeed (the job is then recorded as
// failed); a job that fails on bad input is recorded as failed and Refused.
func (r *Runner) Run(ctx context.Context, id string) (*Job, Outcome, error) {
	data, err := qoldau.ReadAll(ctx, r.Blobs, RequestKey(id))
	if err != nil {
		if qoldau.CodeOf(err) == qoldau.NotFound {
			r.log().WarnContext(ctx, "report request not found", "job", id)
			return nil, NotFound, nil
		}
		return nil, "", err
	}
	var req Request
	if err := json.Unmarshal(data, &req); err != nil || req.ID != id {
		r.log().WarnContext(ctx, "report request unreadable", "job", id)
		return nil, Unreadable, nil
	}
	j, err := r.Get(ctx, id)
	if err != nil && qoldau.CodeOf(err) != qoldau.NotFound {
		return nil, "", err
	}
	if j != nil && j.Status == Done {
		return j, AlreadyBuilt, nil
	}
	j = &Job{Request: req, Status: Running, Updated: r.Now().UTC()}
	if err := r.put(ctx, JobKey(id), j); err != nil {
		return nil, "", err
	}
	files, err := r.Build(ctx, req)
	j.Updated = r.Now().UTC()
	if err != nil {
		msg := qoldau.MessageOf(err)
		j.Status, j.Error = Failed, &msg
		if perr := r.put(ctx, JobKey(id), j); perr != nil {
			return nil, "", perr
		}
		if qoldau.CodeOf(err) == qoldau.Invalid {
			r.log().InfoContext(ctx, "report refused", "job", id, "period", req.Period, "err", err)
			return j, Refused, nil
		}
		return nil, "", err
	}
	j.Status, j.Files, j.Error = Done, files, nil
	if err := r.put(ctx, JobKey(id), j); err != nil {
		return nil, "", err
	}
	r.log().InfoContext(ctx, "report built", "job", id, "period", req.Period)
	return j, Built, nil
}

func (r *Runner) put(ctx context.Context, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return qoldau.E(qoldau.Internal, msgNoJob, err)
	}
	return r.Blobs.Put(ctx, key, bytes.NewReader(data))
}

func (r *Runner) log() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}
