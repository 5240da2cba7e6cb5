package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/storetest"
)

// endpoint is the moto_server endpoint of the tests (storetest.Endpoint).
func endpoint(t testing.TB) string { t.Helper(); return storetest.Endpoint(t) }

// client returns a real client on the test endpoint.
func client(t testing.TB) *dynamodb.Client {
	t.Helper()
	c, err := NewClient(context.Background(), Config{Endpoint: endpoint(t)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// newStore creates a fresh table through api (the real client when nil) and
// deletes it when the test ends.
func newStore(t testing.TB, api API) (*Store, *dynamodb.Client) {
	t.Helper()
	c := client(t)
	if api == nil {
		api = c
	}
	var b [6]byte
	rand.Read(b[:])
	table := "qoldau-test-" + hex.EncodeToString(b[:])
	s := New(context.Background(), Config{Table: table}, api)
	s.backoffBase, s.backoffCap = time.Millisecond, 20*time.Millisecond
	// Create through the real client: faults are for the store's own calls.
	if err := New(context.Background(), Config{Table: table}, c).CreateTable(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)}); err != nil {
			t.Errorf("delete table: %v", err)
		}
	})
	return s, c
}

func TestStore(t *testing.T) {
	endpoint(t)
	storetest.Run(t, func(t *testing.T) qoldau.Store {
		s, _ := newStore(t, nil)
		return s
	})
	storetest.RunAccess(t, func(t *testing.T) qoldau.AccessStore { s, _ := newStore(t, nil); return s })
	storetest.RunSurvey(t, func(t *testing.T) qoldau.Store { s, _ := newStore(t, nil); return s })
}

func TestReportStore(t *testing.T) {
	endpoint(t)
	storetest.RunReports(t, func(t *testing.T) qoldau.Store {
		s, _ := newStore(t, nil)
		return s
	})
}

func TestCreateTableTwice(t *testing.T) {
	s, c := newStore(t, nil)
	if err := s.CreateTable(t.Context()); err != nil {
		t.Fatalf("CreateTable on an existing table: %v", err)
	}
	out, err := c.DescribeTimeToLive(t.Context(), &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(s.table)})
	if err != nil {
		t.Fatal(err)
	}
	d := out.TimeToLiveDescription
	if d == nil || aws.ToString(d.AttributeName) != "ttl" || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Errorf("TTL = %+v, want enabled on ttl", d)
	}
}

// items returns the table's items whose PK starts with prefix.
func items(t *testing.T, c *dynamodb.Client, table, prefix string) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page.Items {
			if pk, ok := it["PK"].(*types.AttributeValueMemberS); ok && strings.HasPrefix(pk.Value, prefix) {
				out = append(out, it)
			}
		}
	}
	return out
}

func TestClaimExpiredIsFree(t *testing.T) {
	s, c := newStore(t, nil)
	s.claimTTL = time.Hour
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		at   time.Time
		want bool
	}{
		{at, true},
		{at.Add(59 * time.Minute), false},
		{at.Add(61 * time.Minute), true}, // moto never deletes: the expired item counts as absent
		{at.Add(90 * time.Minute), false},
	}
	for i, st := range steps {
		got, err := s.Claim(t.Context(), "k", st.at)
		if err != nil {
			t.Fatal(err)
		}
		if got != st.want {
			t.Errorf("step %d: Claim = %v, want %v", i, got, st.want)
		}
	}
	its := items(t, c, s.table, "CLAIM#")
	if len(its) != 1 {
		t.Fatalf("%d claim items, want 1", len(its))
	}
	ttl, ok := its[0]["ttl"].(*types.AttributeValueMemberN)
	if want := at.Add(61*time.Minute + time.Hour).Unix(); !ok || ttl.Value != strconv.FormatInt(want, 10) {
		t.Errorf("ttl = %v, want %d", its[0]["ttl"], want)
	}
}

func TestBackoff(t *testing.T) {
	s := New(context.Background(), Config{Table: "x"}, nil)
	for n := range 30 {
		limit := min(s.backoffBase<<min(n, 20), s.backoffCap)
		for range 100 {
			if d := s.backoff(n); d <= 0 || d > limit {
				t.Fatalf("backoff(%d) = %v, want in (0, %v]", n, d, limit)
			}
		}
	}
}

func month() civil.Month { return civil.MonthOf(2026, time.September) }
