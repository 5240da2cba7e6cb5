package s3blob

import (
	"context"
	"mime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/qoldau/qoldau/shared/qoldau"
)

var _ qoldau.Links = (*Links)(nil)

// Links presigns S3 URLs for blobs of the bucket (under Config.Prefix, as Blobs
// names them): a browser PUTs an upload or GETs a download straight from S3, so no
// file passes through API Gateway (whose bodies stop at 10 MB) or Lambda.
type Links struct {
	presign *s3.PresignClient
	bucket  string
	prefix  string
}

// NewLinks returns the presigner of cfg.Bucket through client.
func NewLinks(cfg Config, client *s3.Client) *Links {
	return &Links{
		presign: s3.NewPresignClient(client, func(o *s3.PresignOptions) {
			// A presigned PUT must not demand checksum headers the browser does not send.
			o.ClientOptions = append(o.ClientOptions, func(o *s3.Options) {
				o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			})
		}),
		bucket: cfg.Bucket, prefix: cfg.Prefix,
	}
}

// UploadURL presigns a PutObject of key, valid for ttl.
func (l *Links) UploadURL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	req, err := l.presign.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(l.bucket), Key: aws.String(l.prefix + key),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", internal("presign an upload", err)
	}
	return req.URL, nil
}

// DownloadURL presigns a GetObject of key that the browser saves as filename.
func (l *Links) DownloadURL(ctx context.Context, key, filename string, ttl time.Duration) (string, error) {
	if err := CheckKey(key); err != nil {
		return "", err
	}
	in := &s3.GetObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.prefix + key)}
	if filename != "" {
		in.ResponseContentDisposition = aws.String(mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	}
	req, err := l.presign.PresignGetObject(ctx, in, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", internal("presign a download", err)
	}
	return req.URL, nil
}
