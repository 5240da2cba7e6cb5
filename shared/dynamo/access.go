package dynamo

import (
	"context"

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
	it, err := s.getItem(ctx, key(keyPK(hash), keySK))
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
