package storetest

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// RunBlobs runs the Blobs contract; open returns a fresh, empty store of blobs for
// each subtest.
func RunBlobs(t *testing.T, open func(t *testing.T) qoldau.Blobs) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b qoldau.Blobs)
	}{
		{"PutGetExists", testBlobRoundTrip},
		{"NotFound", testBlobNotFound},
		{"Replace", testBlobReplace},
		{"Large", testBlobLarge},
		{"InvalidKeys", testBlobInvalidKeys},
		{"ReaderError", testBlobReaderError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// get reads a whole blob.
func get(t *testing.T, b qoldau.Blobs, key string) []byte {
	t.Helper()
	rc, err := b.Get(ctx(t), key)
	must(t, err)
	defer rc.Close()
	data, err := io.ReadAll(rc)
	must(t, err)
	return data
}

// exists reports whether key is stored, failing on an error.
func exists(t *testing.T, b qoldau.Blobs, key string) bool {
	t.Helper()
	ok, err := b.Exists(ctx(t), key)
	must(t, err)
	return ok
}

func testBlobRoundTrip(t *testing.T, b qoldau.Blobs) {
	tests := []struct {
		key  string
		data []byte
	}{
		{"registers/3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b", []byte("PK\x03\x04 workbook bytes")},
		{"reports/2026-Q3/report.json", []byte(`{"period":"2026-Q3"}`)},
		{"empty", nil},
		{"letters/2026-09-v1.kk.docx", []byte("Хат мәтіні")},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if exists(t, b, tt.key) {
				t.Fatal("Exists before Put")
			}
			must(t, b.Put(ctx(t), tt.key, bytes.NewReader(tt.data)))
			if !exists(t, b, tt.key) {
				t.Fatal("not Exists after Put")
			}
			if got := get(t, b, tt.key); !bytes.Equal(got, tt.data) {
				t.Errorf("Get = %q, want %q", got, tt.data)
			}
		})
	}
}

func testBlobNotFound(t *testing.T, b qoldau.Blobs) {
	must(t, b.Put(ctx(t), "dir/file", strings.NewReader("x")))
	for _, key := range []string{"missing", "dir/missing", "dir/file/below"} {
		_, err := b.Get(ctx(t), key)
		wantCode(t, err, qoldau.NotFound)
		if exists(t, b, key) {
			t.Errorf("Exists(%q) = true", key)
		}
	}
}

func testBlobReplace(t *testing.T, b qoldau.Blobs) {
	must(t, b.Put(ctx(t), "reports/latest.pdf", strings.NewReader("first, longer content")))
	must(t, b.Put(ctx(t), "reports/latest.pdf", strings.NewReader("second")))
	if got := string(get(t, b, "reports/latest.pdf")); got != "second" {
		t.Errorf("after replacing, Get = %q, want %q", got, "second")
	}
}

func testBlobLarge(t *testing.T, b qoldau.Blobs) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 3<<16) // 3 MiB
	// A plain io.Reader (not a Seeker), as an upload handler has.
	must(t, b.Put(ctx(t), "big", iotest.HalfReader(bytes.NewReader(data))))
	if got := get(t, b, "big"); !bytes.Equal(got, data) {
		t.Errorf("Get gave %d bytes, want %d", len(got), len(data))
	}
}

func testBlobInvalidKeys(t *testing.T, b qoldau.Blobs) {
	for _, key := range []string{"", "/etc/passwd", "../outside", "a/../../b", "a/./b", "a//b", "a/", `a\b`, "..", "."} {
		t.Run(key, func(t *testing.T) {
			wantCode(t, b.Put(ctx(t), key, strings.NewReader("x")), qoldau.Invalid)
			_, err := b.Get(ctx(t), key)
			wantCode(t, err, qoldau.Invalid)
			_, err = b.Exists(ctx(t), key)
			wantCode(t, err, qoldau.Invalid)
		})
	}
}

func testBlobReaderError(t *testing.T, b qoldau.Blobs) {
	r := io.MultiReader(strings.NewReader("partial"), iotest.ErrReader(io.ErrUnexpectedEOF))
	if err := b.Put(ctx(t), "broken", r); err == nil {
		t.Fatal("Put succeeded with a failing reader")
	}
	if exists(t, b, "broken") {
		t.Error("a failed Put left a blob")
	}
}
