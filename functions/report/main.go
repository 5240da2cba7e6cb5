// Command report is the report Lambda function: builds a requested report into S3 (S3 event of the request), and requests drafts of scheduled reports (EventBridge schedule).
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
	app, err := lambdafn.Open(context.Background(), "report")
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	lambda.Start(lambdafn.Report(app))
}
