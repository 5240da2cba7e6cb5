package httpapi_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/httpapi"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sample"
	"github.com/qoldau/qoldau/shared/workflow"
)

// BenchmarkConsolePages: the console's pages of one period rendered server-side
// (the handler alone, no network) when the period holds a version of 100,000 rows
// with about 5,000 findings (a sample register, 5% faulty rows, uploaded as the
// operator's would be): the period page, the findings table (first page, a later
// page filtered by severity, filtered by code and column), the operator's
// calendar, the agency's dashboard, and the leads page over the same rows. A
// version's first view reads its stored findings; later ones (paging, filters)
// the findings kept in memory.
func BenchmarkConsolePages(b *testing.B) {
	var cfg *httpapi.Config
	s := newServerWith(b, func(c *httpapi.Config) { cfg = c })
	ctx := context.Background()
	p := civil.MonthOf(2026, 9)
	path := filepath.Join(b.TempDir(), "register.xlsx")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := sample.Write(w, sample.Options{Period: p, Rows: 100_000, Seed: 3, ErrorRate: 0.05}); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if _, err := s.svc.Upload(ctx, workflow.UploadRequest{Period: p, Path: path, Actor: "bench"}); err != nil {
		b.Fatal(err)
	}
	res, err := s.svc.Result(ctx, p, 1)
	if err != nil {
		b.Fatal(err)
	}
	findings := 0
	res.Findings.Each(func(*qoldau.Finding) error { findings++; return nil })
	res.Close()
	b.Logf("2026-09 v1: %d rows, %d findings", res.Rows.Read, findings)
	op, ag := s.as(qoldau.RoleOperator, "ru"), s.as(qoldau.RoleAgency, "ru")
	base, _ := url.Parse(s.srv.URL)
	for _, bc := range []struct {
		name, path string
		who        *browser
		first      bool // a handler of its own each time: the version's first view
	}{
		{"period", "/months/2026-09", op, false},
		{"findings-first-view", "/months/2026-09/versions/1", op, true},
		{"findings-errors-page-30-first-view", "/months/2026-09/versions/1?severity=error&page=30", op, true},
		{"findings", "/months/2026-09/versions/1", op, false},
		{"findings-errors-page-30", "/months/2026-09/versions/1?severity=error&page=30", op, false},
		{"findings-code-column", "/months/2026-09/versions/1?code=bin-iin-checksum&field=bin_iin", op, false},
		{"months", "/months?year=2026", op, false},
		{"dashboard", "/dashboard?period=2026-Q3", ag, false},
		{"leads", "/leads?period=2026-09", ag, false},
	} {
		req := httptest.NewRequest("GET", bc.path, nil)
		req.Header.Set("Accept-Language", "ru")
		for _, c := range bc.who.c.Jar.Cookies(base) {
			req.AddCookie(c)
		}
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				h := s.handler
				if bc.first {
					h = httpapi.New(*cfg)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req.Clone(ctx))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s = %d\n%.2000s", bc.path, rec.Code, rec.Body)
				}
			}
		})
	}
}
