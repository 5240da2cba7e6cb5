package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/qoldau/qoldau/shared/awsconf"
	"github.com/qoldau/qoldau/shared/storetest"
)

// TestSecretsFromLocalSSM: with QOLDAU_SSM_ENDPOINT the *_PARAM secrets are read
// from that endpoint (moto_server here), as a local or on-premises stack needs.
func TestSecretsFromLocalSSM(t *testing.T) {
	ep := storetest.Endpoint(t)
	ctx := context.Background()
	ac, err := awsconf.Load(ctx, ep, "")
	if err != nil {
		t.Fatal(err)
	}
	c := ssm.NewFromConfig(ac, func(o *ssm.Options) { o.BaseEndpoint = aws.String(ep) })
	var b [5]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	params := map[string]string{
		"/qoldau/" + id + "/telegram-token": "123456:from-ssm",
		"/qoldau/" + id + "/webhook":        "webhook-from-ssm",
		"/qoldau/" + id + "/secret":         "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
	}
	for name, v := range params {
		if _, err := c.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(v),
			Type: ssmtypes.ParameterTypeSecureString}); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := LoadFrom(func(name string) string {
		return map[string]string{
			"QOLDAU_DATA":                 t.TempDir(),
			"QOLDAU_SSM_ENDPOINT":         ep,
			"QOLDAU_TELEGRAM_TOKEN_PARAM": "/qoldau/" + id + "/telegram-token",
			"QOLDAU_WEBHOOK_SECRET_PARAM": "/qoldau/" + id + "/webhook",
			"QOLDAU_SECRET_PARAM":         "/qoldau/" + id + "/secret",
			"QOLDAU_LOG_LEVEL":            "error",
		}[name]
	})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open with secrets in the local SSM: %v", err)
	}
	defer a.Close()
	got := [3]string{a.Cfg.TelegramToken, a.Cfg.WebhookSecret, a.Cfg.Secret}
	want := [3]string{params["/qoldau/"+id+"/telegram-token"], params["/qoldau/"+id+"/webhook"], params["/qoldau/"+id+"/secret"]}
	if got != want {
		t.Errorf("secrets = %q, want %q", got, want)
	}
}
