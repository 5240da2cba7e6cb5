package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"math"
	"runtime"
	"sync"
)

// parallelEntry writes one zip entry compressed on every core, as pigz does:
// the data is cut into chunks compressed independently, each but the last ended
// with a sync flush (an empty stored block, which leaves the stream on a byte
// boundary), so that the compressed chunks joined are one DEFLATE stream. The
// entry is written raw, with a data descriptor: its CRC and sizes are known only
// at the end. Memory: a few chunks in flight.
type parallelEntry struct {
	fh    *zip.FileHeader
	w     interface{ Write([]byte) (int, error) }
	level int

	chunk   []byte
	pending []*deflateJob // in file order
	crc     uint32
	size    int64
	csize   int64
	err     error
	closed  bool
}

type deflateJob struct {
	in   []byte
	out  *bytes.Buffer
	last bool
	done chan struct{}
}

const deflateChunk = 1 << 20

var (
	deflaters = sync.Pool{}
	chunkPool = sync.Pool{New: func() any { return make([]byte, 0, deflateChunk) }}
	outPool   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	maxJobs   = 2 * runtime.GOMAXPROCS(0)
)

func newParallelEntry(zw *zip.Writer, fh *zip.FileHeader, level int) (*parallelEntry, error) {
	fh.Method = zip.Deflate
	fh.Flags |= 0x8 // sizes and CRC in a data descriptor
	w, err := zw.CreateRaw(fh)
	if err != nil {
		return nil, err
	}
	return &parallelEntry{fh: fh, w: w, level: level, chunk: chunkPool.Get().([]byte)[:0]}, nil
}

// Write buffers p, handing every full chunk to a compressor.
func (e *parallelEntry) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && e.err == nil {
		k := min(len(p), deflateChunk-len(e.chunk))
		e.chunk = append(e.chunk, p[:k]...)
		p = p[k:]
		if len(e.chunk) == deflateChunk {
			e.start(false)
		}
	}
	if e.err != nil {
		return 0, e.err
	}
	return n, nil
}

func (e *parallelEntry) start(last bool) {
	e.crc = crc32.Update(e.crc, crc32.IEEETable, e.chunk)
	e.size += int64(len(e.chunk))
	j := &deflateJob{in: e.chunk, last: last, done: make(chan struct{}), out: outPool.Get().(*bytes.Buffer)}
	j.out.Reset()
	e.chunk = chunkPool.Get().([]byte)[:0]
	go j.run(e.level)
	e.pending = append(e.pending, j)
	for len(e.pending) >= maxJobs {
		e.writeOldest()
	}
}

func (j *deflateJob) run(level int) {
	defer close(j.done)
	fw, _ := deflaters.Get().(*flate.Writer)
	if fw == nil || level != flagLevel {
		fw, _ = flate.NewWriter(j.out, level)
	} else {
		fw.Reset(j.out)
	}
	fw.Write(j.in) // writes to a bytes.Buffer cannot fail
	if j.last {
		fw.Close()
	} else {
		fw.Flush()
	}
	if level == flagLevel {
		deflaters.Put(fw)
	}
	chunkPool.Put(j.in[:0])
	j.in = nil
}

// writeOldest waits for the oldest job and writes its output.
func (e *parallelEntry) writeOldest() {
	j := e.pending[0]
	e.pending = e.pending[1:]
	<-j.done
	if e.err == nil {
		n, err := e.w.Write(j.out.Bytes())
		e.csize += int64(n)
		e.err = err
	}
	outPool.Put(j.out)
	j.out = nil
}

// Close compresses the rest and sets the entry's CRC and sizes, which the zip
// writer puts in the data descriptor when the next entry starts.
func (e *parallelEntry) Close() error {
	if e.closed {
		return e.err
	}
	e.closed = true
	if e.err == nil {
		e.start(true)
	}
	for len(e.pending) > 0 {
		e.writeOldest()
	}
	fh := e.fh
	fh.CRC32 = e.crc
	fh.CompressedSize64, fh.UncompressedSize64 = uint64(e.csize), uint64(e.size)
	fh.CompressedSize = uint32(min(fh.CompressedSize64, math.MaxUint32))
	fh.UncompressedSize = uint32(min(fh.UncompressedSize64, math.MaxUint32))
	return e.err
}
