package main
import (
 _ "github.com/xuri/excelize/v2"
 _ "github.com/aws/aws-lambda-go/lambda"
 _ "github.com/aws/aws-sdk-go-v2/service/dynamodb"
 _ "github.com/aws/aws-sdk-go-v2/service/s3"
 _ "github.com/aws/aws-sdk-go-v2/config"
 _ "github.com/go-telegram-bot-api/telegram-bot-api/v5"
 _ "modernc.org/sqlite"
 _ "github.com/google/go-cmp/cmp"
 _ "golang.org/x/text/unicode/norm"
)
func main(){}
