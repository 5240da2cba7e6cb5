package s3blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/storetest"
)

// endpoint is the moto_server endpoint of the tests (storetest.Endpoint).
func endpoint(t testing.TB) string { t.Helper(); return storetest.Endpoint(t) }

// newBlobs creates a fresh bucket (with a prefix, to test it too).
func newBlobs(t *testing.T) (*Blobs, *s3.Client) {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	cfg := Config{Bucket: "qoldau-test-" + hex.EncodeToString(b[:]), Prefix: "blobs/", Endpoint: endpoint(t)}
	c, err := NewClient(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	bl := New(cfg, c)
	if err := bl.CreateBucket(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := bl.CreateBucket(t.Context()); err != nil {
		t.Fatalf("CreateBucket again: %v", err)
	}
	return bl, c
}

func TestBlobs(t *testing.T) {
	endpoint(t)
	storetest.RunBlobs(t, func(t *testing.T) qoldau.Blobs {
		b, _ := newBlobs(t)
		return b
	})
}

func TestPrefix(t *testing.T) {
	b, c := newBlobs(t)
	if err := b.Put(t.Context(), "registers/abc", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String(b.bucket), Key: aws.String("blobs/registers/abc")}); err != nil {
		t.Errorf("object not under the prefix: %v", err)
	}
}

func TestMissingBucketIsNotNotFound(t *testing.T) {
	b, c := newBlobs(t)
	other := New(Config{Bucket: b.bucket + "-missing"}, c)
	_, err := other.Get(t.Context(), "x")
	if qoldau.CodeOf(err) != qoldau.Internal {
		t.Errorf("Get from a missing bucket = %v, want Internal", err)
	}
}

// TestSeekable: a body that cannot seek is spooled (in memory, or in a temporary
// file past memLimit); one that can is sent from where it stands.
func TestSeekable(t *testing.T) {
	big := bytes.Repeat([]byte("x"), memLimit+10)
	offset := strings.NewReader("skip-this|content")
	offset.Seek(int64(len("skip-this|")), io.SeekStart)
	tests := []struct {
		name string
		r    io.Reader
		want []byte
	}{
		{"seeker at an offset", offset, []byte("content")},
		{"small stream", iotest.OneByteReader(strings.NewReader("abc")), []byte("abc")},
		{"empty stream", iotest.OneByteReader(strings.NewReader("")), []byte{}},
		{"big stream", io.MultiReader(bytes.NewReader(big)), big},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, n, cleanup, err := seekable(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			defer cleanup()
			if n != int64(len(tt.want)) {
				t.Errorf("length = %d, want %d", n, len(tt.want))
			}
			got, err := io.ReadAll(rs)
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Errorf("content: %d bytes (%v), want %d", len(got), err, len(tt.want))
			}
		})
	}
}

func TestPutFromOffset(t *testing.T) {
	b, _ := newBlobs(t)
	r := strings.NewReader("header|body")
	r.Seek(int64(len("header|")), io.SeekStart)
	if err := b.Put(t.Context(), "k", r); err != nil {
		t.Fatal(err)
	}
	rc, err := b.Get(t.Context(), "k")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got, _ := io.ReadAll(rc); string(got) != "body" {
		t.Errorf("Get = %q, want %q", got, "body")
	}
}
