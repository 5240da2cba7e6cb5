package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// clock returns the clock: fixed by QOLDAU_NOW (RFC3339), else the real one.
func clock() (func() time.Time, error) {
	s := os.Getenv("QOLDAU_NOW")
	if s == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, fmt.Errorf("QOLDAU_NOW %q: want RFC3339, e.g. 2026-10-02T09:00:00+05:00", s)
	}
	return func() time.Time { return t }, nil
}

// openService opens the workflow on the embedded store in the data folder:
// DATA/qoldau.db (SQLite) and DATA/files/ (original uploads and outputs).
func openService(ctx context.Context, data string) (*workflow.Service, func(), error) {
	if err := os.MkdirAll(filepath.Join(data, "files"), 0o700); err != nil {
		return nil, nil, err
	}
	now, err := clock()
	if err != nil {
		return nil, nil, err
	}
	ref, err := refSet(data)
	if err != nil {
		return nil, nil, err
	}
	store, err := sqlite.Open(ctx, filepath.Join(data, "qoldau.db"))
	if err != nil {
		return nil, nil, err
	}
	blobs, err := dirblob.New(filepath.Join(data, "files"))
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	svc := workflow.New(store, blobs)
	svc.Ref, svc.Clock = ref, now
	return svc, func() { store.Close() }, nil
}

// printJSON writes v as one JSON object.
func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// actor is who runs the command: $QOLDAU_ACTOR, else the OS user.
func actor() string {
	if a := os.Getenv("QOLDAU_ACTOR"); a != "" {
		return a
	}
	if u := os.Getenv("USER"); u != "" {
		return "local:" + u
	}
	return "local"
}

func almaty() *time.Location { return workday.Almaty() }

func uploadRequest(p civil.Month, path string, received time.Time) workflow.UploadRequest {
	return workflow.UploadRequest{Period: p, Path: path, Received: received, Actor: actor()}
}

// storeFlags adds the flags every command on the store takes: --data and --json.
func storeFlags(fs *flag.FlagSet) (data *string, asJSON *bool) {
	data = fs.String("data", "", "data folder (default $QOLDAU_DATA or ./qoldau-data)")
	asJSON = fs.Bool("json", false, "print the result as one JSON object")
	return data, asJSON
}

// withService opens the workflow on the data folder, runs fn with it and closes it.
func withService(e *env, data string, fn func(ctx context.Context, svc *workflow.Service) int) int {
	ctx := context.Background()
	svc, done, err := openService(ctx, data)
	if err != nil {
		return failErr(e, err)
	}
	defer done()
	return fn(ctx, svc)
}
