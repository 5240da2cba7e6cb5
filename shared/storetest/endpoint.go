package storetest

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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

// BenchDir is the folder in which a benchmark keeps its embedded store: with
// QOLDAU_BENCH_DATA set, a folder there named after the benchmark (DIR/ReportAnnual1M;
// kept, so the store can be opened with --data after, and reused by the next run),
// else a temporary one. One folder per benchmark: a benchmark never finds another's
// data in its store.
func BenchDir(b testing.TB) string {
	b.Helper()
	dir := os.Getenv("QOLDAU_BENCH_DATA")
	if dir == "" {
		return b.TempDir()
	}
	dir = filepath.Join(dir, strings.TrimPrefix(strings.ReplaceAll(b.Name(), "/", "-"), "Benchmark"))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	return dir
}
