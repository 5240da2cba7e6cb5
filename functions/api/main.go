// Command api is the api Lambda function: the staff HTTP API and console (API Gateway HTTP API → aws-lambda-go-api-proxy → httpapi).
// Build: make lambdas (GOOS=linux GOARCH=arm64 CGO_ENABLED=0 -tags lambda.norpc).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/qoldau/qoldau/infra/lambdafn"
)

func main() {
	app, err := lambdafn.Open(context.Background(), "api")
	if err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
	lambda.Start(lambdafn.API(app))
}
