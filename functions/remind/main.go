// Command remind is the remind Lambda function: an EventBridge schedule in Asia/Almaty working hours → due-date, correction, letter and report reminders, each sent once.
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
	app, err := lambdafn.Open(context.Background(), "remind")
	if err != nil {
		fmt.Fprintln(os.Stderr, "remind:", err)
		os.Exit(1)
	}
	if err := app.AddSurveyTick(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "remind:", err)
		os.Exit(1)
	}
	lambda.Start(lambdafn.Remind(app))
}
