// Command api is the api Lambda function: the staff HTTP API and console (API Gateway HTTP API → aws-lambda-go-api-proxy → httpapi).
// Build: make lambdas (GOOS=linux GOARCH=arm64 CGO_ENABLED=0 -tags lambda.norpc).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/qoldau/qoldau/infra/lambdafn"
	"github.com/qoldau/qoldau/shared/config"
)

func main() {
	cfg, err := config.FromEnv("api")
	if err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
	app, err := config.Open(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
	lambda.Start(lambdafn.API(app))
}
