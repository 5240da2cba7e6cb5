package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// RunAccess runs the AccessStore contract; open returns a fresh, empty store for
// each subtest.
func RunAccess(t *testing.T, open func(t *testing.T) qoldau.AccessStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s qoldau.AccessStore)
	}{
		{"UserRoundTrip", testUserRoundTrip},
		{"UserConflicts", testUserConflicts},
		{"UserInvalid", testUserInvalid},
		{"UserRace", testUserRace},
		{"SetUser", testSetUser},
		{"Sessions", testSessions},
		{"SessionInvalid", testSessionInvalid},
		{"LoginFailures", testLoginFailures},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// User returns a user named name with role and the hash of key.
func User(name string, role qoldau.Role, key string) *qoldau.User {
	return &qoldau.User{Name: name, Role: role, KeyHash: qoldau.HashKey(key), Email: name + "@example.kz",
		Created: time.Date(2026, 10, 1, 9, 0, 0, 0, almaty)}
}

func testUserRoundTrip(t *testing.T, s qoldau.AccessStore) {
	ops := User("Operator One", qoldau.RoleOperator, "key-1")
	ag := User("Agency", qoldau.RoleAgency, "key-2")
	ag.Email = ""
	must(t, s.PutUser(ctx(t), ops))
	must(t, s.PutUser(ctx(t), ag))

	got, err := s.UserByKeyHash(ctx(t), qoldau.HashKey("key-1"))
	must(t, err)
	if diff := cmp.Diff(ops, got); diff != "" {
		t.Errorf("UserByKeyHash (-want +got):\n%s", diff)
	}
	all, err := s.Users(ctx(t))
	must(t, err)
	if diff := cmp.Diff([]qoldau.User{*ag, *ops}, all); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
	for _, h := range []string{qoldau.HashKey("key-3"), "", "not-a-hash"} {
		_, err := s.UserByKeyHash(ctx(t), h)
		wantCode(t, err, qoldau.NotFound)
	}
}

func testUserConflicts(t *testing.T, s qoldau.AccessStore) {
	must(t, s.PutUser(ctx(t), User("A", qoldau.RoleAdmin, "key-a")))
	must(t, s.PutUser(ctx(t), User("A", qoldau.RoleAdmin, "key-a"))) // the same write again: idempotent
	tests := []struct {
		name string
		u    *qoldau.User
	}{
		{"same name", User("A", qoldau.RoleAgency, "key-b")},
		{"same key", User("B", qoldau.RoleAgency, "key-a")},
		{"same name and key, another role", User("A", qoldau.RoleAgency, "key-a")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, s.PutUser(ctx(t), tt.u), qoldau.Conflict)
		})
	}
	// Nothing of the refused users is visible; the first user stands.
	all, err := s.Users(ctx(t))
	must(t, err)
	if len(all) != 1 || all[0].Role != qoldau.RoleAdmin {
		t.Fatalf("Users after conflicts = %+v, want only the admin A", all)
	}
	if _, err := s.UserByKeyHash(ctx(t), qoldau.HashKey("key-b")); qoldau.CodeOf(err) != qoldau.NotFound {
		t.Errorf("the key of a refused user finds %v, want NotFound", err)
	}
}

func testUserInvalid(t *testing.T, s qoldau.AccessStore) {
	tests := []struct {
		name string
		u    *qoldau.User
	}{
		{"no name", User("", qoldau.RoleAgency, "k")},
		{"bad role", User("X", qoldau.Role("root"), "k")},
		{"bad hash", &qoldau.User{Name: "Y", Role: qoldau.RoleAgency, KeyHash: "abc"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, s.PutUser(ctx(t), tt.u), qoldau.Invalid)
		})
	}
}

// testUserRace: two admins adding the same name at once; exactly one wins.
func testUserRace(t *testing.T, s qoldau.AccessStore) {
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.PutUser(ctx(t), User("Same", qoldau.RoleOperator, "race-"+string(rune('a'+i))))
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch qoldau.CodeOf(err) {
		case "":
			won++
		case qoldau.Conflict:
		default:
			t.Errorf("PutUser race: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent PutUser of one name succeeded, want 1", won, len(errs))
	}
}

func testSetUser(t *testing.T, s qoldau.AccessStore) {
	u := User("Аружан Сәрсенова", qoldau.RoleOperator, "key-1")
	must(t, s.PutUser(ctx(t), u))
	got, err := s.User(ctx(t), u.Name)
	must(t, err)
	if diff := cmp.Diff(u, got); diff != "" {
		t.Errorf("User (-want +got):\n%s", diff)
	}
	_, err = s.User(ctx(t), "nobody")
	wantCode(t, err, qoldau.NotFound)

	// A new role and password; the key and creation time stay, whatever is asked.
	set := *u
	set.Role, set.Email = qoldau.RoleAgency, ""
	set.PasswordHash, set.PasswordSet = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", u.Created.Add(time.Hour)
	set.KeyHash, set.Created = qoldau.HashKey("another"), u.Created.Add(48*time.Hour)
	must(t, s.SetUser(ctx(t), &set))
	want := set
	want.KeyHash, want.Created = u.KeyHash, u.Created
	for _, read := range []func() (*qoldau.User, error){
		func() (*qoldau.User, error) { return s.User(ctx(t), u.Name) },
		func() (*qoldau.User, error) { return s.UserByKeyHash(ctx(t), u.KeyHash) },
	} {
		got, err := read()
		must(t, err)
		if diff := cmp.Diff(&want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Errorf("after SetUser (-want +got):\n%s", diff)
		}
	}
	all, err := s.Users(ctx(t))
	must(t, err)
	if len(all) != 1 || all[0].Role != qoldau.RoleAgency {
		t.Errorf("Users after SetUser = %+v", all)
	}
	ghost := *User("Ghost", qoldau.RoleAdmin, "key-g")
	wantCode(t, s.SetUser(ctx(t), &ghost), qoldau.NotFound)
	bad := set
	bad.Role = "root"
	wantCode(t, s.SetUser(ctx(t), &bad), qoldau.Invalid)
}

// Session returns a session of user, started at start for d.
func Session(token, user string, start time.Time, d time.Duration) *qoldau.Session {
	return &qoldau.Session{IDHash: qoldau.HashKey(token), User: user, CSRF: "csrf-" + token + "-0123456789abcdef",
		Created: start, Expires: start.Add(d)}
}

func testSessions(t *testing.T, s qoldau.AccessStore) {
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, almaty)
	a := Session("tok-a", "Agency", start, 8*time.Hour)
	must(t, s.PutSession(ctx(t), a))
	must(t, s.PutSession(ctx(t), Session("tok-b", "Agency", start, time.Hour)))
	wantCode(t, s.PutSession(ctx(t), Session("tok-a", "Other", start, time.Hour)), qoldau.Conflict)

	got, err := s.Session(ctx(t), a.IDHash, start.Add(time.Hour))
	must(t, err)
	if diff := cmp.Diff(a, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("Session (-want +got):\n%s", diff)
	}
	// Expired at its expiry, not a nanosecond later.
	_, err = s.Session(ctx(t), a.IDHash, a.Expires)
	wantCode(t, err, qoldau.NotFound)
	_, err = s.Session(ctx(t), qoldau.HashKey("tok-b"), start.Add(time.Hour+time.Second))
	wantCode(t, err, qoldau.NotFound)
	for _, h := range []string{qoldau.HashKey("tok-c"), "", "zz"} {
		_, err := s.Session(ctx(t), h, start)
		wantCode(t, err, qoldau.NotFound)
	}
	// Signing out removes it; twice is no error; the other session stays.
	b := qoldau.HashKey("tok-b")
	must(t, s.DeleteSession(ctx(t), b))
	must(t, s.DeleteSession(ctx(t), b))
	_, err = s.Session(ctx(t), b, start)
	wantCode(t, err, qoldau.NotFound)
	if _, err := s.Session(ctx(t), a.IDHash, start); err != nil {
		t.Errorf("the other session after a sign-out: %v", err)
	}
}

func testSessionInvalid(t *testing.T, s qoldau.AccessStore) {
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, almaty)
	tests := []struct {
		name   string
		change func(*qoldau.Session)
	}{
		{"no hash", func(x *qoldau.Session) { x.IDHash = "" }},
		{"no user", func(x *qoldau.Session) { x.User = " " }},
		{"short csrf", func(x *qoldau.Session) { x.CSRF = "abc" }},
		{"expires before start", func(x *qoldau.Session) { x.Expires = x.Created.Add(-time.Second) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := Session("tok", "U", start, time.Hour)
			tt.change(x)
			wantCode(t, s.PutSession(ctx(t), x), qoldau.Invalid)
		})
	}
}

func testLoginFailures(t *testing.T, s qoldau.AccessStore) {
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, almaty)
	f, err := s.LoginFailures(ctx(t), "Агенттік")
	must(t, err)
	if f.Count != 0 {
		t.Fatalf("failures of a fresh name = %+v", f)
	}
	for i := 1; i <= 3; i++ {
		f, err := s.LoginFailed(ctx(t), "Агенттік", at.Add(time.Duration(i)*time.Second))
		must(t, err)
		if f.Count != i || !f.Last.Equal(at.Add(time.Duration(i)*time.Second)) {
			t.Errorf("failure %d counted as %+v", i, f)
		}
	}
	// Concurrent failures each count once.
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.LoginFailed(ctx(t), "Агенттік", at.Add(time.Minute+time.Duration(i)*time.Millisecond)); err != nil {
				t.Errorf("LoginFailed: %v", err)
			}
		}()
	}
	wg.Wait()
	f, err = s.LoginFailures(ctx(t), "Агенттік")
	must(t, err)
	if f.Count != 9 {
		t.Errorf("after 3 + 6 concurrent failures the count is %d", f.Count)
	}
	// Names are counted apart; clearing one leaves the other.
	_, err = s.LoginFailed(ctx(t), "agency", at)
	must(t, err)
	must(t, s.ClearLoginFailures(ctx(t), "Агенттік"))
	must(t, s.ClearLoginFailures(ctx(t), "Агенттік"))
	for name, want := range map[string]int{"Агенттік": 0, "agency": 1} {
		f, err := s.LoginFailures(ctx(t), name)
		must(t, err)
		if f.Count != want {
			t.Errorf("%s: %d failures, want %d", name, f.Count, want)
		}
	}
}
