// Command bot is the bot Lambda function: the Telegram webhook (API Gateway route /telegram/webhook).
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
	cfg, err := config.FromEnv("bot")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bot:", err)
		os.Exit(1)
	}
	app, err := config.Open(context.Background(), cfg)
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
