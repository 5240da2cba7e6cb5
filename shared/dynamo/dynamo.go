package dynamo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/qoldau/qoldau/shared/awsconf"
	"github.com/qoldau/qoldau/shared/qoldau"
)

var _ qoldau.Store = (*Store)(nil)

// API lists the DynamoDB client methods the store calls; *dynamodb.Client has them,
// and tests wrap it to inject faults.
type API interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	CreateTable(context.Context, *dynamodb.CreateTableInput, ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	UpdateTimeToLive(context.Context, *dynamodb.UpdateTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateTimeToLiveOutput, error)
}

var _ API = (*dynamodb.Client)(nil)

// Config names the table and where it is.
type Config struct {
	Table    string // table name
	Endpoint string // e.g. http://127.0.0.1:5055 for moto; empty: AWS's own endpoint
	Region   string // empty: the SDK's default chain (AWS_REGION …), else us-east-1 for a local endpoint

	// ClaimTTL is how long a claim is kept (0: DefaultClaimTTL).
	ClaimTTL time.Duration
	// CallTimeout is the deadline of each attempt of a DynamoDB call (0:
	// DefaultCallTimeout, LocalCallTimeout for an endpoint on this machine); with the SDK's retries a hung DynamoDB answers an error
	// within about three of them.
	CallTimeout time.Duration
}

// DefaultCallTimeout bounds one attempt of a DynamoDB call: far above DynamoDB's
// milliseconds (a 1 MB query page, a 25-item batch), far below a request's patience.
const DefaultCallTimeout = 5 * time.Second

// LocalCallTimeout is the default for an endpoint on this machine: an emulator such
// as moto answers one request at a time and walks its whole table for each page of
// a query, so a busy one takes seconds where DynamoDB takes milliseconds.
const LocalCallTimeout = time.Minute

// DefaultClaimTTL keeps claims longer than any reminder or report cycle.
const DefaultClaimTTL = 400 * 24 * time.Hour

// Store is a qoldau.Store on one DynamoDB table. It is safe for concurrent use.
type Store struct {
	api      API
	table    string
	claimTTL time.Duration

	workers     int           // concurrent BatchWriteItem / BatchGetItem / PutItem requests
	shards      int           // partitions a new version's rows are spread over
	chunkSize   int           // bytes of packed rows an item
	maxAttempts int           // tries of a throttled or partly processed request
	backoffBase time.Duration // first backoff; doubles each try, with full jitter
	backoffCap  time.Duration
	cleanupWait time.Duration // how long a failed PutVersion spends deleting its rows
	onBackoff   func(time.Duration)
}

// New returns a store on cfg.Table through client.
func New(ctx context.Context, cfg Config, client API) *Store {
	ttl := cfg.ClaimTTL
	if ttl <= 0 {
		ttl = DefaultClaimTTL
	}
	return &Store{
		api:         client,
		table:       cfg.Table,
		claimTTL:    ttl,
		workers:     8,
		shards:      defaultShards,
		chunkSize:   defaultChunk,
		maxAttempts: 10,
		backoffBase: 25 * time.Millisecond,
		backoffCap:  3 * time.Second,
		cleanupWait: 2 * time.Minute,
	}
}

// Open builds a DynamoDB client from cfg (see NewClient) and returns a store on it.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Table == "" {
		return nil, qoldau.Errorf(qoldau.Invalid, "dynamo: no table name")
	}
	c, err := NewClient(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return New(ctx, cfg, c), nil
}

// NewClient builds a DynamoDB client: the SDK's default configuration, with
// cfg.Endpoint as the base endpoint when given, and static dummy credentials when
// that endpoint is on this machine (moto and other emulators accept any).
func NewClient(ctx context.Context, cfg Config) (*dynamodb.Client, error) {
	local := awsconf.IsLocal(cfg.Endpoint)
	ac, err := awsconf.Load(ctx, cfg.Endpoint, cfg.Region)
	if err != nil {
		return nil, err
	}
	call := cfg.CallTimeout
	if call <= 0 {
		call = DefaultCallTimeout
		if local {
			call = LocalCallTimeout
		}
	}
	return dynamodb.NewFromConfig(ac, func(o *dynamodb.Options) {
		o.HTTPClient = awsconf.HTTPClient(call, call)
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		// moto sends a CRC32 header of 0 with some error responses, and the SDK then
		// logs a warning; on a local emulator the check guards nothing.
		o.DisableValidateResponseChecksum = local
	}), nil
}

// Close releases nothing: the client has no connections to close.
func (s *Store) Close() error { return nil }

// CreateTable creates the table (PK and SK strings, on demand), waits until it is
// active and enables TTL on "ttl". A table that exists already is kept as it is.
// For tests and local runs: on AWS the SAM template creates the table.
func (s *Store) CreateTable(ctx context.Context) error {
	_, err := s.api.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(s.table),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("PK"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("SK"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("PK"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("SK"), KeyType: types.KeyTypeRange},
		},
		BillingMode: types.BillingModePayPerRequest,
	})
	var inUse *types.ResourceInUseException
	if err != nil && !errors.As(err, &inUse) {
		return internal("create the table", err)
	}
	for deadline := time.Now().Add(2 * time.Minute); ; {
		out, err := s.api.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(s.table)})
		if err != nil {
			return internal("describe the table", err)
		}
		if out.Table != nil && out.Table.TableStatus == types.TableStatusActive {
			break
		}
		if time.Now().After(deadline) {
			return internal("create the table", errors.New("the table did not become active"))
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return internal("create the table", err)
		}
	}
	_, err = s.api.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(s.table),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(ttlAttr),
			Enabled:       aws.Bool(true),
		},
	})
	if err != nil && !isTTLAlreadyOn(err) {
		return internal("enable TTL", err)
	}
	return nil
}

// isTTLAlreadyOn: DynamoDB refuses to enable TTL that is enabled already.
func isTTLAlreadyOn(err error) bool {
	var ae interface{ ErrorCode() string }
	if errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" {
		var me interface{ ErrorMessage() string }
		return errors.As(err, &me) && strings.Contains(strings.ToLower(me.ErrorMessage()), "already enabled")
	}
	return false
}

// newAttempt returns a random ID naming one PutVersion attempt's rows.
func newAttempt() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func internal(what string, err error) error {
	return &qoldau.Error{
		Code:    qoldau.Internal,
		Message: texts.Text("database-error"),
		Err:     fmt.Errorf("dynamo: %s: %w", what, err),
	}
}
