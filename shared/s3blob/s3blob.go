// Package s3blob keeps qoldau blobs as objects in an S3 bucket (aws-sdk-go-v2), or
// in any S3-compatible service (moto_server locally and in CI). A key is a
// slash-separated relative path, checked as dirblob checks it, so a key valid in
// one store is valid in the other; it names the object Config.Prefix + key.
//
// Put sends one PutObject (S3 replaces an object whole, atomically); a body that
// cannot seek is first spooled, in memory up to 8 MiB and in a temporary file
// beyond, so the request has a length and a checksum. Objects are limited to 5 GB.
package s3blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/qoldau/qoldau/shared/awsconf"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/scratch"
)

var _ qoldau.Blobs = (*Blobs)(nil)

// API lists the S3 client methods the store calls; *s3.Client has them.
type API interface {
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	GetObject(context.Context, *s3.GetObjectInput, ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	CreateBucket(context.Context, *s3.CreateBucketInput, ...func(*s3.Options)) (*s3.CreateBucketOutput, error)
}

var _ API = (*s3.Client)(nil)

// Config names the bucket and where it is.
type Config struct {
	Bucket   string
	Prefix   string // prepended to every key, e.g. "blobs/"; may be empty
	Endpoint string // e.g. http://127.0.0.1:5055 for moto; empty: AWS's own endpoint
	Region   string // empty: the SDK's default chain, else us-east-1 for a local endpoint
}

// Blobs is a bucket of blobs. It is safe for concurrent use.
type Blobs struct {
	api    API
	bucket string
	prefix string
	region string
}

// New returns the blobs in cfg.Bucket through client.
func New(cfg Config, client API) *Blobs {
	return &Blobs{api: client, bucket: cfg.Bucket, prefix: cfg.Prefix, region: cfg.Region}
}

// Open builds an S3 client from cfg (see NewClient) and returns the blobs on it.
func Open(ctx context.Context, cfg Config) (*Blobs, error) {
	if cfg.Bucket == "" {
		return nil, qoldau.Errorf(qoldau.Invalid, "s3blob: no bucket name")
	}
	c, err := NewClient(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return New(cfg, c), nil
}

// NewClient builds an S3 client: the SDK's default configuration, with
// cfg.Endpoint as the base endpoint and path-style addressing when given (moto and
// most S3-compatible services want http://host/bucket/key), and static dummy
// credentials when that endpoint is on this machine.
func NewClient(ctx context.Context, cfg Config) (*s3.Client, error) {
	ac, err := awsconf.Load(ctx, cfg.Endpoint, cfg.Region)
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(ac, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
			o.UsePathStyle = true
		}
		// Objects put by other tools may have no checksum: not worth a log line.
		o.DisableLogOutputChecksumValidationSkipped = true
	}), nil
}

// CreateBucket creates the bucket; one that exists already and is ours is kept.
// For tests and local runs: on AWS the SAM template creates the bucket.
func (b *Blobs) CreateBucket(ctx context.Context) error {
	in := &s3.CreateBucketInput{Bucket: aws.String(b.bucket)}
	if b.region != "" && b.region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{
			LocationConstraint: types.BucketLocationConstraint(b.region),
		}
	}
	_, err := b.api.CreateBucket(ctx, in)
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return internal("create the bucket", err)
	}
	return nil
}

// CheckKey returns an Invalid error unless key is a clean relative slash path: not
// empty, not absolute, no empty, "." or ".." segment, no backslash or NUL (the
// rules of dirblob, whose ".tmp-" segments are refused here too).
func CheckKey(key string) error {
	bad := key == "" || strings.HasPrefix(key, "/") || strings.ContainsAny(key, "\\\x00")
	if !bad {
		for seg := range strings.SplitSeq(key, "/") {
			if seg == "" || seg == "." || seg == ".." || strings.HasPrefix(seg, ".tmp-") {
				bad = true
				break
			}
		}
	}
	if bad {
		return &qoldau.Error{
			Code:    qoldau.Invalid,
			Message: texts.Text("invalid-file-name"),
			Err:     fmt.Errorf("s3blob: invalid key %q", key),
		}
	}
	return nil
}

func (b *Blobs) object(key string) (*string, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	return aws.String(b.prefix + key), nil
}

// memLimit is how much of a body that cannot seek is kept in memory.
const memLimit = 8 << 20

// Put stores r's content under key, replacing any earlier object.
func (b *Blobs) Put(ctx context.Context, key string, r io.Reader) error {
	obj, err := b.object(key)
	if err != nil {
		return err
	}
	body, size, cleanup, err := seekable(r)
	if err != nil {
		return internal("read the content", err)
	}
	defer cleanup()
	_, err = b.api.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(b.bucket),
		Key:           obj,
		Body:          body,
		ContentLength: aws.Int64(size),
	})
	if err != nil {
		return internal("store an object", err)
	}
	return nil
}

// seekable returns r as a ReadSeeker from its start, with its length.
func seekable(r io.Reader) (io.ReadSeeker, int64, func(), error) {
	nothing := func() {}
	if rs, ok := r.(io.ReadSeeker); ok {
		cur, err := rs.Seek(0, io.SeekCurrent)
		if err == nil {
			end, err := rs.Seek(0, io.SeekEnd)
			if err == nil {
				if _, err := rs.Seek(cur, io.SeekStart); err == nil {
					// The SDK notes the start offset and seeks back to it to retry.
					return rs, end - cur, nothing, nil
				}
			}
		}
	}
	var buf bytes.Buffer
	n, err := io.CopyN(&buf, r, memLimit+1)
	if err != nil && err != io.EOF {
		return nil, 0, nothing, err
	}
	if n <= memLimit {
		return bytes.NewReader(buf.Bytes()), n, nothing, nil
	}
	f, err := scratch.CreateTemp("s3blob-*")
	if err != nil {
		return nil, 0, nothing, err
	}
	cleanup := func() { f.Close(); os.Remove(f.Name()) }
	total, err := io.Copy(f, io.MultiReader(&buf, r))
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		cleanup()
		return nil, 0, nothing, err
	}
	return f, total, cleanup, nil
}

// Get opens the object; NotFound when absent.
func (b *Blobs) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := b.object(key)
	if err != nil {
		return nil, err
	}
	out, err := b.api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.bucket), Key: obj})
	if err != nil {
		if isNotFound(err) {
			return nil, notFound(key)
		}
		return nil, internal("read an object", err)
	}
	return out.Body, nil
}

// Exists reports whether the object is there.
func (b *Blobs) Exists(ctx context.Context, key string) (bool, error) {
	obj, err := b.object(key)
	if err != nil {
		return false, err
	}
	_, err = b.api.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b.bucket), Key: obj})
	if err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, internal("look up an object", err)
	}
	return true, nil
}

// isNotFound: NoSuchKey (GetObject), NotFound (HeadObject, which has no body to
// say more), or a bare 404 from a compatible service. A missing bucket is not one:
// that is a configuration error.
func isNotFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var nb *types.NoSuchBucket
	if errors.As(err, &nb) {
		return false
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound && !strings.Contains(re.Error(), "NoSuchBucket")
}

func notFound(key string) error {
	return &qoldau.Error{
		Code:    qoldau.NotFound,
		Message: texts.Text("file-not-found"),
		Err:     fmt.Errorf("s3blob: no object %q", key),
	}
}

func internal(what string, err error) error {
	return &qoldau.Error{
		Code:    qoldau.Internal,
		Message: texts.Text("file-storage-error"),
		Err:     fmt.Errorf("s3blob: %s: %w", what, err),
	}
}
