package httpapi

import (
	"context"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/qoldau"
)

// AddUser creates a user with a new API key and returns the user and the key; the
// key is shown to the caller once and only its hash is stored.
func AddUser(ctx context.Context, access qoldau.AccessStore, name string, role qoldau.Role, email string, now time.Time) (*qoldau.User, string, error) {
	key, err := qoldau.NewKey()
	if err != nil {
		return nil, "", err
	}
	u := &qoldau.User{Name: strings.TrimSpace(name), Role: role, KeyHash: qoldau.HashKey(key),
		Email: strings.TrimSpace(email), Created: now.UTC()}
	if err := access.PutUser(ctx, u); err != nil {
		return nil, "", err
	}
	return u, key, nil
}
