package workflow

import (
	"bufio"
	"encoding/gob"
	"io"
	"os"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/scratch"
)

// spool keeps a register's rows on disk between validation and storing, so an
// upload of a million rows holds one row in memory at a time, and a retry after a
// conflict reads them again instead of validating again.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	enc *gob.Encoder
	n   int
	err error
}

func newSpool() (*spool, error) {
	f, err := scratch.CreateTemp("rows-*")
	if err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-create-temporary-file"), err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	return &spool{f: f, w: w, enc: gob.NewEncoder(w)}, nil
}

// add writes a row; the first failure is kept and later rows are dropped.
func (sp *spool) add(r *qoldau.Row) {
	if sp.err != nil {
		return
	}
	if sp.err = sp.enc.Encode(r); sp.err == nil {
		sp.n++
	}
}

// rows yields the spooled rows in order; each call reads the file from its start.
func (sp *spool) rows() (qoldau.RowSeq, error) {
	if sp.err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-keep-rows-register"), sp.err)
	}
	if err := sp.w.Flush(); err != nil {
		return nil, qoldau.E(qoldau.Internal, texts.Text("cannot-keep-rows-register"), err)
	}
	return func(yield func(*qoldau.Row) error) error {
		if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
			return qoldau.E(qoldau.Internal, texts.Text("cannot-read-rows-register-back"), err)
		}
		dec := gob.NewDecoder(bufio.NewReaderSize(sp.f, 1<<20))
		for i := 0; i < sp.n; i++ {
			var r qoldau.Row // a fresh row: gob leaves zero fields untouched
			if err := dec.Decode(&r); err != nil {
				return qoldau.E(qoldau.Internal, texts.Text("cannot-read-rows-register-back"), err)
			}
			if err := yield(&r); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// close removes the spool file.
func (sp *spool) close() {
	sp.f.Close()
	os.Remove(sp.f.Name())
}
