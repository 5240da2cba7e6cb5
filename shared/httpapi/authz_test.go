package httpapi

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/sqlite"
	"github.com/qoldau/qoldau/shared/workflow"
)

// TestAuthorizationMatrix runs every route of the route table that needs a sign-in
// with every role (by API key), with an unknown key and with none: without a known
// key the answer is 401 (a console page sends the browser to sign in), with a role
// the route does not allow 403, and in neither case does the handler run;
// with an allowed role the handler runs, as that user. The table is the one New
// mounts, so a route added to it is covered here by construction.
func TestAuthorizationMatrix(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "q.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	roles := []qoldau.Role{qoldau.RoleOperator, qoldau.RoleAgency, qoldau.RoleAdmin}
	keys := map[qoldau.Role]string{}
	svc := workflow.New(store, nil)
	for _, r := range roles {
		_, key, err := svc.AddUser(ctx, "user-"+string(r), r, "", "test")
		if err != nil {
			t.Fatal(err)
		}
		keys[r] = key
	}
	a := &api{Config: Config{Svc: svc, Log: slog.New(slog.DiscardHandler), Now: time.Now, SessionTTL: DefaultSessionTTL}}
	var ran *qoldau.User
	mux := http.NewServeMux()
	table := a.table()
	for _, rt := range table {
		rt.h = func(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
			ran = u
			w.WriteHeader(http.StatusTeapot)
		}
		mux.Handle(rt.Pattern, a.guard(rt))
	}
	wildcard := regexp.MustCompile(`\{[^}]*\}`)
	for _, rt := range table {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok {
			t.Errorf("route %q: a method is needed", rt.Pattern)
			continue
		}
		if rt.Public() {
			continue // before sign-in: nothing to check
		}
		path = wildcard.ReplaceAllString(strings.TrimSuffix(path, "{$}"), "x")
		for _, who := range append([]qoldau.Role{"", "unknown"}, roles...) {
			ran = nil
			req := httptest.NewRequest(method, path, strings.NewReader("{}"))
			switch who {
			case "":
			case "unknown":
				req.Header.Set("Authorization", "Bearer qk_not-a-key")
			default:
				req.Header.Set("Authorization", "Bearer "+keys[who])
			}
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, req)
			want := []int{http.StatusTeapot}
			switch {
			case (who == "" || who == "unknown") && rt.Page:
				want = []int{http.StatusSeeOther} // to the sign-in page
			case who == "" || who == "unknown":
				want = []int{http.StatusUnauthorized}
			case !slices.Contains(rt.Roles, who):
				want = []int{http.StatusForbidden}
			}
			if !slices.Contains(want, w.Code) {
				t.Errorf("%s as %q = %d, want %d", rt.Pattern, who, w.Code, want)
			}
			if (ran != nil) != (want[0] == http.StatusTeapot) || ran != nil && ran.Role != who {
				t.Errorf("%s as %q: the handler ran as %+v", rt.Pattern, who, ran)
			}
		}
	}
}

// TestNoRouteOutsideTheTable: the package registers no route but the route table's
// and the public ones (the signed /files/ links, the /api/ fallback and the
// console's page-not-found), so no staff route can bypass the role check.
func TestNoRouteOutsideTheTable(t *testing.T) {
	public := []string{"/files/", "/api/", "/"}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range pkgs {
		for name, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") || len(call.Args) == 0 {
					return true
				}
				lit, ok := call.Args[0].(*ast.BasicLit)
				if !ok {
					return true // the table's loop
				}
				if p, _ := strconv.Unquote(lit.Value); !slices.Contains(public, p) {
					t.Errorf("%s: route %s is registered outside the route table (Routes)", name, lit.Value)
				}
				return true
			})
		}
	}
}
