// Package awsconf loads the AWS SDK configuration the adapters share: the SDK's
// defaults, a region, deadlines on every call, and for an endpoint on this machine
// (moto_server, a local DynamoDB-compatible service) a default region and static
// dummy credentials.
package awsconf

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Deadlines on every call to AWS (DynamoDB, S3, SSM, SES): connecting and the TLS
// handshake ConnectTimeout each, and an answer that stops coming for ReadTimeout
// fails the attempt, so a hung service answers an error within seconds instead of
// the SDK's minutes, while a large S3 body that keeps coming is never cut. The SDK
// tries a call at most MaxAttempts times in all. DynamoDB adds a deadline on each
// whole attempt (dynamo.Config.CallTimeout).
const (
	ConnectTimeout = 5 * time.Second
	ReadTimeout    = 15 * time.Second
	MaxAttempts    = 3
)

// HTTPClient returns the SDK's HTTP client with the deadlines above, read as the
// idle-read deadline and, when total > 0, total as the deadline of each attempt.
func HTTPClient(read, total time.Duration) *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = ConnectTimeout }).
		WithTransportOptions(func(t *http.Transport) { t.TLSHandshakeTimeout = ConnectTimeout }).
		WithReadTimeout(read).
		WithTimeout(total)
}

// Load returns the SDK configuration for a service at endpoint ("" = AWS's own) in
// region ("" = the SDK's default; us-east-1 for a local endpoint).
func Load(ctx context.Context, endpoint, region string) (aws.Config, error) {
	opts := []func(*awsconfig.LoadOptions) error{
		awsconfig.WithHTTPClient(HTTPClient(ReadTimeout, 0)),
		awsconfig.WithRetryMaxAttempts(MaxAttempts),
	}
	local := IsLocal(endpoint)
	if region == "" && local {
		region = "us-east-1"
	}
	if region != "" {
		opts = append(opts, awsconfig.WithRegion(region))
	}
	if local {
		opts = append(opts, awsconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("test", "test", "")))
	}
	ac, err := awsconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return ac, qoldau.E(qoldau.Internal, texts.Text("cannot-load-aws-configuration"), err)
	}
	return ac, nil
}

// IsLocal reports whether endpoint is on this machine (localhost or a loopback
// address).
func IsLocal(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if endpoint == "" || err != nil {
		return false
	}
	h := u.Hostname()
	ip := net.ParseIP(h)
	return h == "localhost" || ip != nil && ip.IsLoopback()
}
