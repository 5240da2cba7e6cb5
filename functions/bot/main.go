// Command bot is the bot Lambda function: the Telegram webhook (API Gateway route /telegram/webhook).
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
	app, err := lambdafn.Open(context.Background(), "bot")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bot:", err)
		os.Exit(1)
	}
	h, err := lambdafn.Bot(context.Background(), app)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bot:", err)
		os.Exit(1)
	}
	lambda.Start(h)
}
