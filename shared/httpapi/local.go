package httpapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/dirblob"
	"github.com/qoldau/qoldau/shared/qoldau"
)

var _ qoldau.Links = (*LocalLinks)(nil)

// LocalLinks is qoldau.Links for `qoldau serve`: URLs of the server's own /files/
// endpoints, signed with HMAC-SHA256 and expiring like presigned S3 URLs. As an
// http.Handler (mounted at /files/ by New) it takes the PUT of an upload into
// Blobs, then calls OnUpload (the validate job) and answers its failure (so a PUT
// answers 200 only when the file is registered), and serves downloads.
type LocalLinks struct {
	Base     string // the server's URL as browsers reach it, e.g. http://127.0.0.1:8080
	Secret   []byte // HMAC key; random per process is fine
	Blobs    qoldau.Blobs
	OnUpload func(ctx context.Context, key string, created time.Time) error
	Now      func() time.Time
	MaxSize  int64 // largest upload (0: 256 MiB)
	// Grace is how long an upload or a download may take before it must keep up
	// MinRate (0: 30 s).
	Grace time.Duration
}

func (l *LocalLinks) pace(set func(time.Time) error) paced {
	g := l.Grace
	if g <= 0 {
		g = 30 * time.Second
	}
	return paced{set: set, start: time.Now(), grace: g}
}

func (l *LocalLinks) sign(op, key, exp, name string) string {
	m := hmac.New(sha256.New, l.Secret)
	io.WriteString(m, op+"\n"+key+"\n"+exp+"\n"+name)
	return hex.EncodeToString(m.Sum(nil))
}

func (l *LocalLinks) link(op, key, name string, ttl time.Duration) (string, error) {
	if err := dirblob.CheckKey(key); err != nil {
		return "", err
	}
	exp := strconv.FormatInt(l.Now().Add(ttl).Unix(), 10)
	q := url.Values{"op": {op}, "exp": {exp}, "sig": {l.sign(op, key, exp, name)}}
	if name != "" {
		q.Set("name", name)
	}
	u := strings.TrimSuffix(l.Base, "/") + "/files/" + (&url.URL{Path: key}).EscapedPath() + "?" + q.Encode()
	return u, nil
}

// UploadURL returns a signed PUT URL for key.
func (l *LocalLinks) UploadURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	return l.link("put", key, "", ttl)
}

// DownloadURL returns a signed GET URL for key, saved as filename.
func (l *LocalLinks) DownloadURL(ctx context.Context, key, filename string, ttl time.Duration) (string, error) {
	return l.link("get", key, filename, ttl)
}

var msgSlowUpload = texts.Text("slow-upload")

var msgBadLink = texts.Text("bad-link")

// ServeHTTP takes a signed PUT or GET of /files/<key>.
func (l *LocalLinks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/files/")
	q := r.URL.Query()
	op := map[string]string{http.MethodPut: "put", http.MethodGet: "get"}[r.Method]
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	good := op != "" && q.Get("op") == op && err == nil && l.Now().Unix() <= exp &&
		hmac.Equal([]byte(q.Get("sig")), []byte(l.sign(op, key, q.Get("exp"), q.Get("name")))) && dirblob.CheckKey(key) == nil
	if !good {
		writeError(w, qoldau.E(qoldau.Forbidden, msgBadLink, nil))
		return
	}
	ctx := r.Context()
	if op == "get" {
		rc, err := l.Blobs.Get(ctx, key)
		if err != nil {
			writeError(w, err)
			return
		}
		defer rc.Close()
		if name := q.Get("name"); name != "" {
			w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
		}
		// Files hold personal data: never cached, never sniffed into something a
		// browser would run.
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		io.Copy(&pacedWriter{paced: l.pace(http.NewResponseController(w).SetWriteDeadline), w: w}, rc)
		return
	}
	max := l.MaxSize
	if max <= 0 {
		max = 256 << 20
	}
	if r.ContentLength > max {
		writeError(w, errTooLarge(max))
		return
	}
	body := &pacedReader{paced: l.pace(http.NewResponseController(w).SetReadDeadline), r: http.MaxBytesReader(w, r.Body, max)}
	if err := l.Blobs.Put(ctx, key, body); err != nil {
		var big *http.MaxBytesError
		switch {
		case errors.As(err, &big):
			err = errTooLarge(max)
		case isTimeout(err):
			w.Header().Set("Connection", "close")
			writeJSON(w, http.StatusRequestTimeout, errorBodyOf("timeout", msgSlowUpload))
			return
		}
		writeError(w, err)
		return
	}
	if l.OnUpload != nil {
		// Validating the largest register takes minutes: the answer waits for it.
		http.NewResponseController(w).SetWriteDeadline(time.Now().Add(15 * time.Minute))
		if err := l.OnUpload(ctx, key, l.Now()); err != nil {
			writeError(w, err)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}
