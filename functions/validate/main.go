// Command validate is the validate Lambda function: S3 ObjectCreated under inbox/ → register the upload (validate, store the version, draft the letter).
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
	app, err := lambdafn.Open(context.Background(), "validate")
	if err != nil {
		fmt.Fprintln(os.Stderr, "validate:", err)
		os.Exit(1)
	}
	lambda.Start(lambdafn.Validate(app))
}
