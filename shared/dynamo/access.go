package dynamo

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/qoldau/qoldau/shared/qoldau"
)

var _ qoldau.AccessStore = (*Store)(nil)

// Staff users (see the package doc's access patterns): the user item under
// PK=USERS, and a key item under PK=KEY#<hash> that finds the user by API key in
// one GetItem. Both are written in one transaction, each on condition that it is
// new, so neither a name nor a key can belong to two users.
const usersPK = "USERS"

func keyPK(hash string) string { return "KEY#" + hash }

const keySK = "KEY"

func userItem(pk, sk string, u *qoldau.User) item {
	e := newItem(pk, sk)
	e.str("name", u.Name)
	e.str("role", string(u.Role))
	e.str("key_hash", u.KeyHash)
	e.str("email", u.Email)
	e.time("created", u.Created)
	e.str("password_hash", u.PasswordHash)
	e.time("password_set", u.PasswordSet)
	return e.m
}

func decodeUser(m item) (*qoldau.User, error) {
	d := decoder{m: m}
	u := &qoldau.User{
		Name:    d.str("name"),
		Role:    qoldau.Role(d.str("role")),
		KeyHash: d.str("key_hash"),
		Email:   d.str("email"),
		Created: d.time("created"),

		PasswordHash: d.str("password_hash"),
		PasswordSet:  d.time("password_set"),
	}
	return u, d.err
}

// PutUser stores a new user and its key item in one transaction.
func (s *Store) PutUser(ctx context.Context, u *qoldau.User) error {
	if err := qoldau.CheckUser(u); err != nil {
		return err
	}
	cond := func(it item) *types.Put {
		return &types.Put{
			TableName:                aws.String(s.table),
			Item:                     it,
			ConditionExpression:      aws.String("attribute_not_exists(#pk)"),
			ExpressionAttributeNames: map[string]string{"#pk": pkAttr},
		}
	}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: cond(userItem(usersPK, u.Name, u))},
		{Put: cond(userItem(keyPK(u.KeyHash), keySK, u))},
	}}
	err := s.retry(ctx, func() error {
		_, err := s.api.TransactWriteItems(ctx, in)
		return err
	}, transactRetryable)
	if conditionFailed(err) {
		// A retry of a commit whose answer was lost fails its condition on
		// the commit itself: the same user stored is this call's (writes are
		// idempotent).
		if got, gerr := s.User(ctx, u.Name); gerr == nil && u.Stored(got) {
			return nil
		}
		return qoldau.E(qoldau.Conflict, texts.Text("user-exists-already"), nil)
	}
	if err != nil {
		return internal("store a user", err)
	}
	return nil
}

// UserByKeyHash reads the key item; NotFound when there is none.
func (s *Store) UserByKeyHash(ctx context.Context, hash string) (*qoldau.User, error) {
	if !qoldau.ValidKeyHash(hash) {
		return nil, userNotFound()
	}
	return s.userAt(ctx, key(keyPK(hash), keySK))
}

// userAt reads the user item (or key item) k; NotFound when there is none.
func (s *Store) userAt(ctx context.Context, k item) (*qoldau.User, error) {
	it, err := s.getItem(ctx, k)
	if err != nil {
		return nil, internal("read a user", err)
	}
	if it == nil {
		return nil, userNotFound()
	}
	u, err := decodeUser(it)
	if err != nil {
		return nil, internal("read a user", err)
	}
	return u, nil
}

// Users queries PK=USERS: SK order is name order.
func (s *Store) Users(ctx context.Context) ([]qoldau.User, error) {
	var out []qoldau.User
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: item{":pk": str(usersPK)},
	}, func(it item) error {
		u, err := decodeUser(it)
		if err != nil {
			return internal("read a user", err)
		}
		out = append(out, *u)
		return nil
	})
	return out, wrapQuery("read users", err)
}

func userNotFound() error {
	return qoldau.E(qoldau.NotFound, texts.Text("user-not-found"), nil)
}

// User reads the user item PK=USERS, SK=<name>.
func (s *Store) User(ctx context.Context, name string) (*qoldau.User, error) {
	if name == "" {
		return nil, userNotFound()
	}
	return s.userAt(ctx, key(usersPK, name))
}

// SetUser rewrites the user item and its key item in one transaction, each on
// condition that it exists with the same key hash.
func (s *Store) SetUser(ctx context.Context, u *qoldau.User) error {
	if u == nil {
		return qoldau.CheckUser(u)
	}
	check := *u
	check.KeyHash = strings.Repeat("0", 64)
	if err := qoldau.CheckUser(&check); err != nil {
		return err
	}
	old, err := s.User(ctx, u.Name)
	if err != nil {
		return err
	}
	nu := *u
	nu.KeyHash, nu.Created = old.KeyHash, old.Created
	put := func(it item) *types.Put {
		return &types.Put{
			TableName:                 aws.String(s.table),
			Item:                      it,
			ConditionExpression:       aws.String("attribute_exists(#pk) AND key_hash = :kh"),
			ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
			ExpressionAttributeValues: item{":kh": str(old.KeyHash)},
		}
	}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: put(userItem(usersPK, nu.Name, &nu))},
		{Put: put(userItem(keyPK(nu.KeyHash), keySK, &nu))},
	}}
	err = s.retry(ctx, func() error {
		_, err := s.api.TransactWriteItems(ctx, in)
		return err
	}, transactRetryable)
	if conditionFailed(err) {
		return userNotFound()
	}
	if err != nil {
		return internal("update a user", err)
	}
	return nil
}

// Console sessions: PK=SESSION#<hash of the token>, SK=SESSION, with a ttl a day
// after expiry (TTL only collects: Session checks the expiry itself). Failed
// sign-ins: PK=LOGIN#<name>, SK=LOGIN, a counter updated in one UpdateItem.
func sessionPK(hash string) string { return "SESSION#" + hash }
func loginPK(name string) string   { return "LOGIN#" + name }

const (
	sessionSK = "SESSION"
	loginSK   = "LOGIN"
)

func ttlValue(t time.Time) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(t.Unix(), 10)}
}

// PutSession writes the session item on condition that it is new.
func (s *Store) PutSession(ctx context.Context, ss *qoldau.Session) error {
	if err := qoldau.CheckSession(ss); err != nil {
		return err
	}
	e := newItem(sessionPK(ss.IDHash), sessionSK)
	e.str("user", ss.User)
	e.str("csrf", ss.CSRF)
	e.time("created", ss.Created)
	e.time("expires", ss.Expires)
	e.m[ttlAttr] = ttlValue(ss.Expires.Add(24 * time.Hour))
	err := s.putNew(ctx, e.m)
	if isConditionFailed(err) {
		return qoldau.Errorf(qoldau.Conflict, "the session exists")
	}
	if err != nil {
		return internal("store a session", err)
	}
	return nil
}

// Session reads the session item; an expired one is NotFound.
func (s *Store) Session(ctx context.Context, idHash string, now time.Time) (*qoldau.Session, error) {
	if !qoldau.ValidKeyHash(idHash) {
		return nil, sessionNotFound()
	}
	it, err := s.getItem(ctx, key(sessionPK(idHash), sessionSK))
	if err != nil {
		return nil, internal("read a session", err)
	}
	if it == nil {
		return nil, sessionNotFound()
	}
	d := decoder{m: it}
	ss := &qoldau.Session{IDHash: idHash, User: d.str("user"), CSRF: d.str("csrf"), Created: d.time("created"), Expires: d.time("expires")}
	if d.err != nil {
		return nil, internal("read a session", d.err)
	}
	if !now.Before(ss.Expires) {
		return nil, sessionNotFound()
	}
	return ss, nil
}

// DeleteSession deletes the session item.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	return s.deleteItem(ctx, key(sessionPK(idHash), sessionSK), "remove a session")
}

// LoginFailed adds one to the counter (ADD is atomic) and returns it.
func (s *Store) LoginFailed(ctx context.Context, name string, at time.Time) (qoldau.LoginFailures, error) {
	var out *dynamodb.UpdateItemOutput
	err := s.retry(ctx, func() (err error) {
		out, err = s.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                aws.String(s.table),
			Key:                      key(loginPK(name), loginSK),
			UpdateExpression:         aws.String("ADD #count :one SET #last = :at, #ttl = :ttl"),
			ExpressionAttributeNames: map[string]string{"#count": "count", "#last": "last", "#ttl": ttlAttr},
			ExpressionAttributeValues: item{":one": &types.AttributeValueMemberN{Value: "1"},
				":at": str(formatTime(at)), ":ttl": ttlValue(at.Add(7 * 24 * time.Hour))},
			ReturnValues: types.ReturnValueAllNew,
		})
		return err
	}, nil)
	if err != nil {
		return qoldau.LoginFailures{}, internal("count a failed sign-in", err)
	}
	return decodeFailures(out.Attributes)
}

// LoginFailures reads the counter.
func (s *Store) LoginFailures(ctx context.Context, name string) (qoldau.LoginFailures, error) {
	it, err := s.getItem(ctx, key(loginPK(name), loginSK))
	if err != nil {
		return qoldau.LoginFailures{}, internal("read failed sign-ins", err)
	}
	if it == nil {
		return qoldau.LoginFailures{}, nil
	}
	return decodeFailures(it)
}

func decodeFailures(it item) (qoldau.LoginFailures, error) {
	d := decoder{m: it}
	f := qoldau.LoginFailures{Count: d.int("count"), Last: d.time("last")}
	if d.err != nil {
		return qoldau.LoginFailures{}, internal("read failed sign-ins", d.err)
	}
	return f, nil
}

// ClearLoginFailures deletes the counter.
func (s *Store) ClearLoginFailures(ctx context.Context, name string) error {
	return s.deleteItem(ctx, key(loginPK(name), loginSK), "clear failed sign-ins")
}

func sessionNotFound() error {
	return qoldau.E(qoldau.NotFound, texts.Text("session-not-found"), nil)
}
