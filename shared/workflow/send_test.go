package workflow_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/qoldau/qoldau/shared/dynamo"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/storetest"
	"github.com/qoldau/qoldau/shared/workflow"
)

// TestSendChecksTimes is clause 9 and issue 13's store-breaking send: a send time in
// the future or before the draft, a receipt before the sending or in the future,
// and a missing or unprintable number are refused, nothing is written, and every
// view still reads. On both stores: on DynamoDB the send of the year 9999 answered
// 500 while its write landed.
func TestSendChecksTimes(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { sendChecksTimes(t, newHarness(t)) })
	t.Run("dynamo", func(t *testing.T) { sendChecksTimes(t, dynamoHarness(t)) })
}

// dynamoHarness is a harness on a fresh table of moto_server
// (QOLDAU_TEST_DYNAMO_ENDPOINT; skipped without it unless QOLDAU_REQUIRE_DYNAMO).
func dynamoHarness(t *testing.T) *harness {
	t.Helper()
	ep := storetest.Endpoint(t)
	ctx := context.Background()
	c, err := dynamo.NewClient(ctx, dynamo.Config{Endpoint: ep})
	if err != nil {
		t.Fatal(err)
	}
	var r [6]byte
	rand.Read(r[:])
	table := "qoldau-test-" + hex.EncodeToString(r[:])
	store := dynamo.New(ctx, dynamo.Config{Table: table}, c)
	if err := store.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)}) })
	return harnessOn(t, t.TempDir(), store)
}

func sendChecksTimes(t *testing.T, h *harness) {
	ctx := context.Background()
	h.at("2026-10-01 10:00")
	r := h.upload("2026-09", h.register("2026-09", 40, 3, 0.3))
	if r.Letter == nil {
		t.Fatal("no letter drafted")
	}
	id := *r.Letter
	h.at("2026-10-02 12:00")
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	refused := []struct {
		name string
		req  workflow.SendRequest
		want string // a part of the English message
	}{
		{"the year 9999", workflow.SendRequest{Number: "1", At: utc("9999-12-31T00:00:00Z")}, "in the future"},
		{"next year", workflow.SendRequest{Number: "1", At: utc("2027-06-01T00:00:00Z")}, "in the future"},
		{"before 2019", workflow.SendRequest{Number: "1", At: utc("2000-01-01T00:00:00Z")}, "before 1 January 2019"},
		{"before the draft", workflow.SendRequest{Number: "1", At: utc("2026-10-01T04:59:00Z")}, "before the letter's draft"},
		{"received before sending", workflow.SendRequest{Number: "1", At: utc("2026-10-02T04:00:00Z"), Received: utc("2026-10-02T03:00:00Z")}, "before the letter's sending"},
		{"received in the future", workflow.SendRequest{Number: "1", Received: utc("2026-10-09T00:00:00Z")}, "in the future"},
		{"no number", workflow.SendRequest{Number: "  "}, "outgoing number"},
		{"a NUL in the number", workflow.SendRequest{Number: "07\x00-1"}, "control character"},
		{"invalid UTF-8 in the number", workflow.SendRequest{Number: "07\xff"}, "invalid UTF-8"},
	}
	for _, tt := range refused {
		_, err := h.svc.Send(ctx, id, tt.req)
		if qoldau.CodeOf(err) != qoldau.Invalid || !strings.Contains(qoldau.MessageOf(err).EN, tt.want) {
			t.Errorf("%s: %v, want invalid %q", tt.name, err, tt.want)
		}
	}
	// Nothing was written, and every view reads.
	ls, err := h.svc.Letters(ctx, 0)
	if err != nil || len(ls) != 1 || ls[0].IsSent() {
		t.Fatalf("letters after refused sends: %v %+v", err, ls)
	}
	if _, err := h.svc.Status(ctx, month("2026-09")); err != nil {
		t.Fatal(err)
	}

	// Sent Friday 2 October, received Monday 5 October: the clock runs from receipt.
	h.at("2026-10-05 15:00")
	lv, err := h.svc.Send(ctx, id, workflow.SendRequest{Number: " 07-1/245 ", At: utc("2026-10-02T06:00:00Z"),
		Received: utc("2026-10-05T04:00:00Z"), Actor: "agency"})
	if err != nil {
		t.Fatal(err)
	}
	if lv.Number != "07-1/245" || !lv.ReceivedAt().Equal(utc("2026-10-05T04:00:00Z")) || lv.CorrectionDue != day("2026-10-08") || lv.SentLate {
		t.Errorf("sent: number %q received %v correction due %v late %v", lv.Number, lv.ReceivedAt(), lv.CorrectionDue, lv.SentLate)
	}
	st := h.status("2026-09")
	if st.EffectiveDeadline != day("2026-10-08") {
		t.Errorf("effective deadline %v, want the correction due 2026-10-08", st.EffectiveDeadline)
	}
}
