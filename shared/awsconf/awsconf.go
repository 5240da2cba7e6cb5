// Package awsconf loads the AWS SDK configuration the adapters share: the SDK's
// defaults, a region, and for an endpoint on this machine (moto_server, a local
// DynamoDB-compatible service) a default region and static dummy credentials.
package awsconf

import (
	"context"
	"net"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// Load returns the SDK configuration for a service at endpoint ("" = AWS's own) in
// region ("" = the SDK's default; us-east-1 for a local endpoint).
func Load(ctx context.Context, endpoint, region string) (aws.Config, error) {
	var opts []func(*awsconfig.LoadOptions) error
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
		return ac, qoldau.E(qoldau.Internal, qoldau.Text{
			KK: "AWS баптауларын жүктеу мүмкін емес.", RU: "Не удалось загрузить настройки AWS.",
			EN: "Cannot load the AWS configuration."}, err)
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
