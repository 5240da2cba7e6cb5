// Package dynamo is the qoldau.Store on Amazon DynamoDB (aws-sdk-go-v2), or on any
// DynamoDB-compatible endpoint (moto_server locally and in CI).
//
// # Table
//
// One table, on-demand, with string keys PK (partition) and SK (sort) and TTL on the
// attribute "ttl". No secondary index: every read below is a GetItem or a Query on
// the table's own keys, all strongly consistent (ConsistentRead), every Query
// paginated (LastEvaluatedKey). Dates are "YYYY-MM-DD", times RFC 3339 in UTC with a
// fixed width (2006-01-02T15:04:05.000000000Z, so string order is time order),
// counts and flags numbers and booleans; zero values are left out of items.
//
//	entity            PK                                   SK                     other attributes
//	register version  REG#<YYYY-MM>                        V#<version, 6 digits>  the Version's fields, attempt, rows_stored
//	period index      PERIODS                              <YYYY-MM>              –
//	register row      ROWS#<YYYY-MM>#<version>#<attempt>   <position, 8 digits>   one attribute per Row field
//	letter            LETTERS                              <letter ID>            the Letter's fields
//	act line          ACTS                                 <Act.Key()>            the Act's fields
//	audit entry       AUDIT                                <time>#<random>        the entry's fields
//	claim             CLAIM#<key>                          CLAIM                  at, ttl
//
// A row item is about 600 bytes (one write unit); the attempt is 16 hex digits.
//
// # Operations
//
//	PutVersion  GetItem on the version key (an early Conflict); BatchWriteItem of the
//	            rows, 25 a request, several requests at once, under a partition
//	            named by a fresh random attempt ID; then ONE TransactWriteItems: Put
//	            of the version item (condition attribute_not_exists(PK), naming the
//	            attempt) and Put of the period index item. The version item is the
//	            commit: rows of an attempt whose version item was never written (a
//	            failure halfway, a lost race) are invisible, and are deleted on a
//	            best-effort basis; a retry writes under a new attempt and never
//	            mixes rows. A failed condition is qoldau.Conflict.
//	Versions    Query PK=REG#<period>, SK begins_with "V#".
//	Periods     Query PK=PERIODS.
//	Rows        GetItem of the version (NotFound; gives the attempt), then Query
//	            PK=ROWS#<period>#<version>#<attempt> in SK order, page by page (rows
//	            are never all in memory).
//	PutLetter   PutItem, condition attribute_not_exists(PK) (else Conflict).
//	SendLetter  UpdateItem, condition attribute_exists(PK) AND
//	            attribute_not_exists(sent); when it fails, a GetItem tells NotFound
//	            from Conflict (sent already: the first send stands).
//	Letter      GetItem PK=LETTERS, SK=<id>.
//	Letters     Query PK=LETTERS (a FilterExpression on period when one is given),
//	            sorted by period, version, ID in memory: a few letters a month.
//	PutActs     BatchGetItem (100 keys a request) to skip known lines, then
//	            conditional PutItem (attribute_not_exists) of the new ones from
//	            several goroutines, so concurrent imports of one file add each line
//	            once and the first import's line stands; a failed condition is "not
//	            new".
//	Acts        Query PK=ACTS: SK order is Key order (both byte order).
//	Append      PutItem PK=AUDIT, SK=<time>#<random> (entries at the same instant are
//	            kept, in no particular order).
//	Audit       Query PK=AUDIT, SK >= <since>, with Limit.
//	Claim       PutItem, condition attribute_not_exists(PK) OR ttl < <at>: true when
//	            the put happened.
//
// Transactional: only PutVersion (version item + period index). Everything else is
// a single-item conditional write, which DynamoDB applies atomically.
//
// # Short-lived items and TTL
//
// Claim items carry ttl = at + Config.ClaimTTL (default 400 days, longer than any
// reminder cycle), in epoch seconds. TTL is garbage collection only: DynamoDB
// deletes expired items up to days late, and moto never does, so Claim's condition
// treats an item whose ttl has passed as absent. No other item expires.
//
// # Throughput, retries and errors
//
// Throttling (ProvisionedThroughputExceededException, ThrottlingException,
// RequestLimitExceeded), transaction conflicts and UnprocessedItems/UnprocessedKeys
// are retried here with capped exponential backoff and full jitter, on top of the
// SDK's own retryer. Errors never carry item content (rows hold IINs, names and
// phones): causes name the operation only.
package dynamo
