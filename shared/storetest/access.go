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
	tests := []struct {
		name string
		u    *qoldau.User
	}{
		{"same name", User("A", qoldau.RoleAgency, "key-b")},
		{"same key", User("B", qoldau.RoleAgency, "key-a")},
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
