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
//	register version  REG#<YYYY-MM>                        V#<version, 6 digits>  the Version's fields, attempt, rows_stored, layout, chunks, shards
//	period index      PERIODS                              <YYYY-MM>              –
//	rows chunk        ROWS#<YYYY-MM>#<version>#<attempt>#<chunk mod shards, 2 digits>
//	                                                       <chunk, 8 digits>      b (binary: 128 KiB of the version's rowpack stream)
//	letter            LETTERS                              <letter ID>            the Letter's fields
//	act line          ACTS                                 <Act.Key()>            the Act's fields
//	audit entry       AUDIT                                <time>#<random>        the entry's fields
//	claim             CLAIM#<key>                          CLAIM                  at, ttl
//	staff user        USERS                                <name>                 name, role, key_hash, email, created
//	user by API key   KEY#<SHA-256 of the key, hex>        KEY                    the same attributes as the user item
//	console session   SESSION#<SHA-256 of the token, hex>  SESSION                user, csrf, created, expires, ttl
//	failed sign-ins   LOGIN#<user name>                    LOGIN                  count, last, ttl
//	survey version    SURVEY#VERSIONS                      <YYYY-MM>              version, synced (the directory's current version)
//	survey service    SCLIENT#<client id>                  <YYYY-MM>#<v 6>#<row 8> service (JSON ServiceRef), phone_hash, ttl
//	survey phone      SPHONE#<phone hash>                  <YYYY-MM>#<v 6>#<client> client, ttl
//	invitation        INV#<YYYY-MM>                        <token hash>           client, region, created, expires, chat_id, used, sealed, services (JSON)
//	token pointer     TOKEN#<token hash>                   TOKEN                  period
//	bot chat          CHATS#<chat id mod 16, 2 digits>     <chat id>              rev, data (JSON Chat), client, role
//	survey answer     ANS#<YYYY-MM>                        <answer ID>            data (JSON Answer), service_key, completed
//	staff code        STAFF#<code hash>                    STAFF                  role, created, expires, chat_id, used, ttl
//
// The attempt is 16 hex digits.
//
// # Rows
//
// A version's rows are written once and read whole (status, diff, reports,
// surveys): no access reads one row by its key. They are kept as one stream of
// package rowpack (columns compressed apart in blocks of 2,048 rows: about 79 bytes
// a row of a sample register, against about 610 for an item per row), cut into
// chunk items of 128 KiB, chunk i on partition i mod 16 ("shards" in the version
// item), so a large version is written and read on 16 partitions at once, each
// under DynamoDB's 1,000 write and 3,000 read units a second. A 100,000-row version
// is about 62 items and 7,900 write units, where it was 100,000 items (and write
// units) on one partition. ScanRows inflates only the columns a report reads.
// Versions stored before (layout absent: one item per row under
// ROWS#<YYYY-MM>#<version>#<attempt>, <position, 8 digits>) are still read. The
// layouts compared, on moto_server behind a model of DynamoDB's latency and
// limits, are in docs/deploy.md.
//
// # Operations
//
//	PutVersion  GetItem on the version key (an early Conflict); the rows packed as
//	            they stream in, BatchWriteItem of the chunks, 8 (1 MiB) a request,
//	            8 requests at once, under partitions named by a fresh random attempt
//	            ID; then ONE TransactWriteItems: Put of the version item (condition
//	            attribute_not_exists(PK), naming the attempt, its rows and chunks)
//	            and Put of the period index item (and the inputs' revision raised,
//	            see records.go). The version item is the commit:
//	            chunks of an attempt whose version item was never written (a failure
//	            halfway, a lost race) are invisible, and are deleted on a best-effort
//	            basis; a retry writes under a new attempt and never mixes rows. A
//	            failed condition is qoldau.Conflict.
//	Versions    Query PK=REG#<period>, SK begins_with "V#".
//	Periods     Query PK=PERIODS.
//	Rows, ScanRows  GetItem of the version (NotFound; gives the attempt and the
//	            chunks), then BatchGetItem of the chunks, 8 a request, 8 requests
//	            ahead of the decoder, in chunk order (rows are never all in memory);
//	            a missing chunk, a bad checksum or a row count other than the
//	            version's is Internal.
//	PutLetter   ONE TransactWriteItems: Put, condition attribute_not_exists(PK)
//	            (else Conflict), and the inputs' revision raised. The ID must begin
//	            with the period (qoldau.CheckLetterID).
//	SendLetter  ONE TransactWriteItems: Update, condition attribute_exists(PK) AND
//	            attribute_not_exists(sent), and the inputs' revision raised; when
//	            the condition fails, a GetItem tells NotFound from Conflict (sent
//	            already: the first send stands); else a GetItem gives the letter.
//	            Every time and date is checked before the write
//	            (qoldau.CheckStorable), so an error answer never leaves a write.
//	Letter      GetItem PK=LETTERS, SK=<id>.
//	Letters     Query PK=LETTERS (of one period: SK begins_with "<period>-", as
//	            every ID does), sorted by period, version, ID in memory.
//	PutActs     BatchGetItem (100 keys a request) to skip known lines, then
//	            conditional PutItem (attribute_not_exists) of the new ones from
//	            several goroutines, so concurrent imports of one file add each line
//	            once and the first import's line stands; a failed condition is "not
//	            new". Then the inputs' revision is raised, whatever was new.
//	Acts, ScanActs  Query PK=ACTS: SK order is Key order (both byte order).
//	Append      PutItem PK=AUDIT, SK=<time>#<random> (entries at the same instant are
//	            kept, in no particular order).
//	Audit       Query PK=AUDIT, SK >= <since>, with Limit.
//	Claim       PutItem, condition attribute_not_exists(PK) OR ttl < <at>: true when
//	            the put happened.
//	Release     DeleteItem of the claim item.
//	PutUser     ONE TransactWriteItems: Put of the user item and of its key item,
//	            each with condition attribute_not_exists(PK) (else Conflict).
//	UserByKeyHash  GetItem PK=KEY#<hash>, SK=KEY (NotFound when absent).
//	Users       Query PK=USERS.
//	User        GetItem PK=USERS, SK=<name>.
//	SetUser     GetItem of the user (NotFound), then ONE TransactWriteItems: Put of
//	            the user item and of its key item, each on condition that it exists
//	            with the same key hash.
//	PutSession  PutItem, condition attribute_not_exists(PK) (else Conflict); ttl a
//	            day after expiry. Session: GetItem, expiry checked on read (TTL only
//	            collects). DeleteSession: DeleteItem.
//	LoginFailed UpdateItem ADD count 1, SET last (atomic), ReturnValues ALL_NEW;
//	            LoginFailures GetItem; ClearLoginFailures DeleteItem.
//	PutSurveyServices  BatchWriteItem of the client and phone items under the
//	            version (parallel), then PutItem of the period's survey version item:
//	            the commit. Readers keep only items of each period's current version,
//	            so a half-written new version is invisible and a replaced one is
//	            ignored (its items expire by ttl, 400 days).
//	ClientServices  Query PK=SURVEY#VERSIONS, then Query PK=SCLIENT#<client>;
//	            sorted in memory (a client has a few services).
//	ClientsByPhone  Query PK=SURVEY#VERSIONS, then Query PK=SPHONE#<hash>, SK >= <since>.
//	PutInvitation  ONE TransactWriteItems: Put of the token pointer and of the
//	            invitation, each with condition attribute_not_exists(PK) (else Conflict).
//	Invitation  GetItem of the pointer, then of the invitation.
//	UseInvitation  UpdateItem SET chat_id, used, condition attribute_not_exists(used);
//	            when it fails, a GetItem tells the same chat (returned) from another
//	            (Conflict).
//	ReleaseInvitation  UpdateItem REMOVE chat_id, condition chat_id = <chat>.
//	Invitations Query PK=INV#<month> for each month of the range.
//	Chat, PutChat  GetItem; PutItem with condition attribute_not_exists(PK) for a new
//	            chat, else rev = <the revision read> (else Conflict): optimistic
//	            concurrency, so two webhook deliveries for one chat never both win.
//	            Chats are spread over 16 partitions so busy chats share no hot key.
//	Chats       Query each of the 16 CHATS# partitions.
//	PutAnswer   PutItem, condition attribute_not_exists(PK) OR
//	            attribute_not_exists(completed): a submitted answer is final (Conflict).
//	Answer      GetItem (the period is in the answer ID).
//	AnswersFor  BatchGetItem of the three channels' IDs of each service.
//	Answers     Query PK=ANS#<month> for each month of the range, merged by ID.
//	PutStaffCode  PutItem, condition attribute_not_exists(PK).
//	UseStaffCode  UpdateItem SET chat_id, used, condition attribute_not_exists(used)
//	            AND expires > <at>; when it fails, a GetItem tells NotFound (absent,
//	            expired) from the same chat (returned) and another chat (Conflict).
//
// Transactional: PutVersion (version item + period index + inputs' revision),
// PutLetter and SendLetter (the letter + inputs' revision), PutUser (user item +
// key item) and PutInvitation (invitation + token pointer). Everything else is a
// single-item conditional write, which DynamoDB applies atomically.
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
