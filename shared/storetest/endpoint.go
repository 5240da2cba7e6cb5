package storetest

import (
	"net"
	"net/url"
	"os"
	"testing"
	"time"
)

// Endpoint returns the moto_server endpoint of the tests (DynamoDB and S3 on one
// port): QOLDAU_TEST_DYNAMO_ENDPOINT, which `make test` sets. Unset, the test is
// skipped, unless QOLDAU_REQUIRE_DYNAMO=1 (CI), when it fails; set but not
// answering, the test fails.
func Endpoint(t testing.TB) string {
	t.Helper()
	ep := os.Getenv("QOLDAU_TEST_DYNAMO_ENDPOINT")
	if ep == "" {
		if os.Getenv("QOLDAU_REQUIRE_DYNAMO") == "1" {
			t.Fatal("QOLDAU_REQUIRE_DYNAMO=1 but QOLDAU_TEST_DYNAMO_ENDPOINT is not set (make test starts moto)")
		}
		t.Skip("QOLDAU_TEST_DYNAMO_ENDPOINT not set (e.g. http://127.0.0.1:5055, infra/moto/start.sh)")
	}
	u, err := url.Parse(ep)
	if err != nil || u.Host == "" {
		t.Fatalf("QOLDAU_TEST_DYNAMO_ENDPOINT=%q is not a URL", ep)
	}
	host := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(u.Hostname(), port)
	}
	c, err := net.DialTimeout("tcp", host, 3*time.Second)
	if err != nil {
		t.Fatalf("moto endpoint %s does not answer: %v", ep, err)
	}
	c.Close()
	return ep
}
