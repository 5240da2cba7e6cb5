package qoldau

import (
	"context"
	"errors"
	"io"
	"time"
)

// Notice is one reminder or message to staff of a role. Key names it for logs and
// for the once-only claim (e.g. "due/2026-09/d-3"); Subject and Body hold no
// client's personal data.
type Notice struct {
	Key     string `json:"key"`
	To      Role   `json:"to"`
	Subject Text   `json:"subject"`
	Body    Text   `json:"body"`
}

// Notifier delivers notices to the staff of a role through one channel: Telegram
// to linked staff chats, e-mail through SES, or a log line locally.
// Implementations: shared/notify (and fakes in tests). Notify returns Internal
// when the channel did not take the notice, wrapping ErrNotSent when it surely
// reached no one (the service refused it or could not be reached), so that sending
// it again cannot double it.
type Notifier interface {
	Notify(ctx context.Context, n Notice) error
}

// ErrNotSent is wrapped by a Notifier's error when the notice reached no one.
var ErrNotSent = errors.New("the notice reached no one")

// Links issues short-lived URLs through which a browser puts or gets a blob
// directly: presigned S3 URLs on AWS (API Gateway bodies stop at 10 MB), and signed
// URLs of the local server's own file endpoints otherwise. Keys are Blobs keys.
type Links interface {
	// UploadURL returns a URL that accepts one HTTP PUT of the content of key,
	// valid for ttl. Invalid for a bad key.
	UploadURL(ctx context.Context, key string, ttl time.Duration) (string, error)
	// DownloadURL returns a URL that GETs the blob key as an attachment named
	// filename, valid for ttl. Invalid for a bad key.
	DownloadURL(ctx context.Context, key, filename string, ttl time.Duration) (string, error)
}

// ReadAll reads a whole blob (small ones: tickets, job records).
func ReadAll(ctx context.Context, b Blobs, key string) ([]byte, error) {
	rc, err := b.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, E(Internal, texts.Text("cannot-read-stored-file"), err)
	}
	return data, nil
}
