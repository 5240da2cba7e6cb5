package httpapi

import (
	"errors"
	"io"
	"net/http"
	"os"
	"time"
)

// Timeouts bound the local HTTP server (`qoldau serve`); a zero field takes its
// default. A client that sends or reads too slowly, or not at all, loses its
// connection instead of holding it for good.
type Timeouts struct {
	ReadHeader time.Duration // a request's headers (10 s)
	// Read is a whole request, body included (30 s); the file endpoint extends it
	// while an upload keeps coming at MinRate at least.
	Read time.Duration
	// Write is the answer (2 min); the file endpoint extends it while a download
	// keeps going at MinRate at least.
	Write time.Duration
	Idle  time.Duration // a kept-alive connection between requests (2 min)
}

// MinRate is the slowest upload or download of the file endpoint that is kept
// going once its first 30 seconds (the grace) are over: 16 KiB a second.
const MinRate = 16 << 10

// NewServer returns the HTTP server of h with the timeouts t.
func NewServer(h http.Handler, t Timeouts) *http.Server {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.ReadHeader, 10*time.Second)
	def(&t.Read, 30*time.Second)
	def(&t.Write, 2*time.Minute)
	def(&t.Idle, 2*time.Minute)
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, MaxHeaderBytes: 64 << 10}
}

// paced moves a connection's read or write deadline along with the bytes that
// pass: they may take grace plus one second per MinRate bytes, so a large file at
// a fair speed goes through while a trickle is cut.
type paced struct {
	set   func(time.Time) error // the ResponseController's deadline setter
	start time.Time
	grace time.Duration
	n     int64
}

func (p *paced) next(more int) {
	// Not every server supports deadlines (the Lambda adapter): then none is set.
	p.set(p.start.Add(p.grace + time.Duration((p.n+int64(more))*int64(time.Second)/MinRate)))
}

type pacedReader struct {
	paced
	r io.Reader
}

func (p *pacedReader) Read(b []byte) (int, error) {
	p.next(len(b))
	n, err := p.r.Read(b)
	p.n += int64(n)
	return n, err
}

type pacedWriter struct {
	paced
	w io.Writer
}

func (p *pacedWriter) Write(b []byte) (int, error) {
	p.next(len(b))
	n, err := p.w.Write(b)
	p.n += int64(n)
	return n, err
}

// isTimeout reports a deadline that passed while reading a body.
func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}
