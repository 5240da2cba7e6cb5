package dynamo

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

var (
	_ qoldau.SurveyStore  = (*Store)(nil)
	_ qoldau.SurveyReader = (*Store)(nil)
)

// Survey partitions (see the package doc).
const (
	surveyVersionsPK = "SURVEY#VERSIONS"
	tokenSK          = "TOKEN"
	staffSK          = "STAFF"
	chatShards       = 16
	// directoryTTL keeps directory items past any survey of their period; stale
	// items of a replaced version are ignored by readers and expire with it.
	directoryTTL = 400 * 24 * time.Hour
)

func surveyClientPK(client string) string { return "SCLIENT#" + client }
func surveyPhonePK(hash string) string    { return "SPHONE#" + hash }
func directorySK(p civil.Month, version, row int) string {
	return fmt.Sprintf("%s#%06d#%08d", p, version, row)
}
func invitationPK(p civil.Month) string { return "INV#" + p.String() }
func tokenPK(hash string) string        { return "TOKEN#" + hash }
func answerPK(p civil.Month) string     { return "ANS#" + p.String() }
func staffPK(hash string) string        { return "STAFF#" + hash }
func chatKey(id int64) item {
	shard := id % chatShards
	if shard < 0 {
		shard = -shard
	}
	return key(fmt.Sprintf("CHATS#%02d", shard), strconv.FormatInt(id, 10))
}

// surveyVersions reads the version of every period's survey directory.
func (s *Store) surveyVersions(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: item{":pk": str(surveyVersionsPK)},
	}, func(it item) error {
		d := decoder{m: it}
		out[d.str(skAttr)] = d.int("version")
		return d.err
	})
	if err != nil {
		return nil, internal("read the survey directory", err)
	}
	return out, nil
}

// PutSurveyServices writes the entries (client and phone items), then the period's
// version item, which makes them current.
func (s *Store) PutSurveyServices(ctx context.Context, period civil.Month, version int, entries []qoldau.SurveyEntry) error {
	if version < 1 {
		return qoldau.Errorf(qoldau.Invalid, "a survey directory needs a version from 1")
	}
	now := time.Now()
	ttl := &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Add(directoryTTL).Unix(), 10)}
	var reqs []types.WriteRequest
	for i := range entries {
		e := &entries[i]
		b, err := json.Marshal(e.Service)
		if err != nil {
			return internal("encode a survey service", err)
		}
		ci := newItem(surveyClientPK(e.Client), directorySK(period, version, e.Service.Row))
		ci.str("service", string(b))
		ci.str("phone_hash", e.PhoneHash)
		ci.m[ttlAttr] = ttl
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: ci.m}})
		if e.PhoneHash != "" {
			pi := newItem(surveyPhonePK(e.PhoneHash), fmt.Sprintf("%s#%06d#%s", period, version, e.Client))
			pi.str("client", e.Client)
			pi.m[ttlAttr] = ttl
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: pi.m}})
		}
	}
	// A batch may not hold the same key twice (two rows of one client share the
	// phone item): send each key once.
	seen := map[string]bool{}
	uniq := reqs[:0]
	for _, r := range reqs {
		k := r.PutRequest.Item[pkAttr].(*types.AttributeValueMemberS).Value + "\x00" + r.PutRequest.Item[skAttr].(*types.AttributeValueMemberS).Value
		if !seen[k] {
			seen[k] = true
			uniq = append(uniq, r)
		}
	}
	reqs = uniq
	batches := (len(reqs) + batchSize - 1) / batchSize
	err := parallel(ctx, s.workers, batches, func(ctx context.Context, b int) error {
		return s.batchWrite(ctx, reqs[b*batchSize:min((b+1)*batchSize, len(reqs))])
	})
	if err != nil {
		return internal("store the survey directory", err)
	}
	v := newItem(surveyVersionsPK, period.String())
	v.num("version", int64(version))
	v.time("synced", now)
	if err := s.putItem(ctx, v.m, "", nil, nil); err != nil {
		return internal("store the survey directory", err)
	}
	return nil
}

// SurveyVersion returns the version of the period's survey directory, 0 when none.
func (s *Store) SurveyVersion(ctx context.Context, period civil.Month) (int, error) {
	it, err := s.getItem(ctx, key(surveyVersionsPK, period.String()))
	if err != nil {
		return 0, internal("read the survey directory", err)
	}
	if it == nil {
		return 0, nil
	}
	d := decoder{m: it}
	v := d.int("version")
	if d.err != nil {
		return 0, internal("read the survey directory", d.err)
	}
	return v, nil
}

// current reports whether the directory item key (period#version#...) is of its
// period's current version.
func current(versions map[string]int, sk string) bool {
	parts := strings.SplitN(sk, "#", 3)
	if len(parts) < 2 {
		return false
	}
	v, err := strconv.Atoi(parts[1])
	return err == nil && versions[parts[0]] == v
}

// ClientServices lists a client's services in the current directory.
func (s *Store) ClientServices(ctx context.Context, client string) ([]qoldau.ServiceRef, error) {
	versions, err := s.surveyVersions(ctx)
	if err != nil {
		return nil, err
	}
	out := []qoldau.ServiceRef{}
	err = s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: item{":pk": str(surveyClientPK(client))},
	}, func(it item) error {
		d := decoder{m: it}
		if !current(versions, d.str(skAttr)) {
			return nil
		}
		var ref qoldau.ServiceRef
		if err := json.Unmarshal([]byte(d.str("service")), &ref); err != nil {
			return internal("read the survey directory", err)
		}
		out = append(out, ref)
		return d.err
	})
	if err != nil {
		return nil, wrapQuery("read the survey directory", err)
	}
	slices.SortFunc(out, func(a, b qoldau.ServiceRef) int {
		return cmp.Or(cmp.Compare(b.End, a.End), cmp.Compare(a.Period, b.Period), cmp.Compare(a.Version, b.Version), cmp.Compare(a.Row, b.Row))
	})
	return out, nil
}

// ClientsByPhone lists the clients whose services from since on carry phoneHash.
func (s *Store) ClientsByPhone(ctx context.Context, phoneHash string, since civil.Month) ([]string, error) {
	out := []string{}
	if phoneHash == "" {
		return out, nil
	}
	versions, err := s.surveyVersions(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	err = s.query(ctx, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk AND #sk >= :since"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr, "#sk": skAttr},
		ExpressionAttributeValues: item{":pk": str(surveyPhonePK(phoneHash)), ":since": str(since.String())},
	}, func(it item) error {
		d := decoder{m: it}
		if c := d.str("client"); current(versions, d.str(skAttr)) && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
		return d.err
	})
	if err != nil {
		return nil, wrapQuery("read the survey directory", err)
	}
	slices.Sort(out)
	return out, nil
}

func invitationItem(inv *qoldau.Invitation) (item, error) {
	svc, err := json.Marshal(inv.Services)
	if err != nil {
		return nil, err
	}
	e := newItem(invitationPK(inv.Period), inv.TokenHash)
	e.str("client", inv.Client)
	e.str("region", inv.Region)
	e.time("created", inv.Created)
	e.time("expires", inv.Expires)
	e.num("chat_id", inv.ChatID)
	e.time("used", inv.Used)
	e.str("sealed", inv.Sealed)
	e.str("services", string(svc))
	return e.m, nil
}

func decodeInvitation(m item) (*qoldau.Invitation, error) {
	d := decoder{m: m}
	inv := &qoldau.Invitation{
		TokenHash: d.str(skAttr), Client: d.str("client"), Region: d.str("region"),
		Created: d.time("created"), Expires: d.time("expires"), ChatID: d.int64("chat_id"),
		Used: d.time("used"), Sealed: d.str("sealed"),
	}
	p, err := civil.ParseMonth(strings.TrimPrefix(d.str(pkAttr), "INV#"))
	if d.err != nil {
		return nil, d.err
	}
	if err != nil {
		return nil, err
	}
	inv.Period = p
	if err := json.Unmarshal([]byte(d.str("services")), &inv.Services); err != nil {
		return nil, err
	}
	return inv, nil
}

// PutInvitation writes the invitation and its token pointer in one transaction.
func (s *Store) PutInvitation(ctx context.Context, inv *qoldau.Invitation) error {
	if inv == nil || inv.TokenHash == "" {
		return qoldau.Errorf(qoldau.Invalid, "an invitation needs a token hash")
	}
	it, err := invitationItem(inv)
	if err != nil {
		return internal("encode the invitation", err)
	}
	ptr := newItem(tokenPK(inv.TokenHash), tokenSK)
	ptr.str("period", inv.Period.String())
	cond := aws.String("attribute_not_exists(#pk)")
	names := map[string]string{"#pk": pkAttr}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.table), Item: ptr.m, ConditionExpression: cond, ExpressionAttributeNames: names}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: it, ConditionExpression: cond, ExpressionAttributeNames: names}},
	}}
	err = s.retry(ctx, func() error {
		_, err := s.api.TransactWriteItems(ctx, in)
		return err
	}, transactRetryable)
	if conditionFailed(err) {
		return qoldau.Errorf(qoldau.Conflict, "the invitation exists already")
	}
	if err != nil {
		return internal("store the invitation", err)
	}
	return nil
}

// invitationKey finds the invitation's item key through its token pointer.
func (s *Store) invitationKey(ctx context.Context, tokenHash string) (item, error) {
	if tokenHash == "" {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such invitation")
	}
	ptr, err := s.getItem(ctx, key(tokenPK(tokenHash), tokenSK))
	if err != nil {
		return nil, internal("read the invitation", err)
	}
	if ptr == nil {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such invitation")
	}
	d := decoder{m: ptr}
	p := d.str("period")
	if d.err != nil {
		return nil, internal("read the invitation", d.err)
	}
	return key("INV#"+p, tokenHash), nil
}

// Invitation returns the invitation with that token hash.
func (s *Store) Invitation(ctx context.Context, tokenHash string) (*qoldau.Invitation, error) {
	k, err := s.invitationKey(ctx, tokenHash)
	if err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, k)
	if err != nil {
		return nil, internal("read the invitation", err)
	}
	if it == nil {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such invitation")
	}
	inv, err := decodeInvitation(it)
	if err != nil {
		return nil, internal("read the invitation", err)
	}
	return inv, nil
}

// UseInvitation sets the chat and the time of use unless the invitation was used.
func (s *Store) UseInvitation(ctx context.Context, tokenHash string, chat int64, at time.Time) (*qoldau.Invitation, error) {
	k, err := s.invitationKey(ctx, tokenHash)
	if err != nil {
		return nil, err
	}
	var out *dynamodb.UpdateItemOutput
	err = s.retry(ctx, func() (err error) {
		out, err = s.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(s.table),
			Key:                       k,
			UpdateExpression:          aws.String("SET #chat = :chat, #used = :used"),
			ConditionExpression:       aws.String("attribute_exists(#pk) AND attribute_not_exists(#used)"),
			ExpressionAttributeNames:  map[string]string{"#pk": pkAttr, "#chat": "chat_id", "#used": "used"},
			ExpressionAttributeValues: item{":chat": &types.AttributeValueMemberN{Value: strconv.FormatInt(chat, 10)}, ":used": str(formatTime(at))},
			ReturnValues:              types.ReturnValueAllNew,
		})
		return err
	}, nil)
	if isConditionFailed(err) {
		inv, err := s.Invitation(ctx, tokenHash)
		if err != nil {
			return nil, err
		}
		if !inv.Used.IsZero() && inv.ChatID == chat {
			return inv, nil
		}
		return nil, qoldau.Errorf(qoldau.Conflict, "the invitation was used from another chat")
	}
	if err != nil {
		return nil, internal("use the invitation", err)
	}
	inv, err := decodeInvitation(out.Attributes)
	if err != nil {
		return nil, internal("read the invitation", err)
	}
	return inv, nil
}

// ReleaseInvitation removes the chat from an invitation it used.
func (s *Store) ReleaseInvitation(ctx context.Context, tokenHash string, chat int64) error {
	k, err := s.invitationKey(ctx, tokenHash)
	if err != nil {
		return err
	}
	err = s.retry(ctx, func() error {
		_, err := s.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(s.table),
			Key:                       k,
			UpdateExpression:          aws.String("REMOVE #chat"),
			ConditionExpression:       aws.String("#chat = :chat"),
			ExpressionAttributeNames:  map[string]string{"#chat": "chat_id"},
			ExpressionAttributeValues: item{":chat": &types.AttributeValueMemberN{Value: strconv.FormatInt(chat, 10)}},
		})
		return err
	}, nil)
	if isConditionFailed(err) {
		return nil // another chat's, or released already
	}
	if err != nil {
		return internal("release the invitation", err)
	}
	return nil
}

// Invitations calls fn for every invitation of the periods from..to, by period and
// token hash.
func (s *Store) Invitations(ctx context.Context, from, to civil.Month, fn func(*qoldau.Invitation) error) error {
	for p := from; p <= to; p++ {
		err := s.query(ctx, &dynamodb.QueryInput{
			KeyConditionExpression:    aws.String("#pk = :pk"),
			ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
			ExpressionAttributeValues: item{":pk": str(invitationPK(p))},
		}, func(it item) error {
			inv, err := decodeInvitation(it)
			if err != nil {
				return internal("read an invitation", err)
			}
			return fn(inv)
		})
		if err != nil {
			return wrapQuery("read invitations", err)
		}
	}
	return nil
}

func decodeChat(m item) (*qoldau.Chat, error) {
	d := decoder{m: m}
	data, rev := d.str("data"), d.int64("rev")
	if d.err != nil {
		return nil, d.err
	}
	c := new(qoldau.Chat)
	if err := json.Unmarshal([]byte(data), c); err != nil {
		return nil, err
	}
	id, err := strconv.ParseInt(d.str(skAttr), 10, 64)
	if err != nil {
		return nil, err
	}
	c.ID, c.Rev = id, rev
	return c, nil
}

// Chat returns a chat.
func (s *Store) Chat(ctx context.Context, id int64) (*qoldau.Chat, error) {
	it, err := s.getItem(ctx, chatKey(id))
	if err != nil {
		return nil, internal("read a chat", err)
	}
	if it == nil {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such chat")
	}
	c, err := decodeChat(it)
	if err != nil {
		return nil, internal("read a chat", err)
	}
	return c, nil
}

// PutChat writes the chat with a condition on its revision.
func (s *Store) PutChat(ctx context.Context, c *qoldau.Chat) error {
	if c == nil || c.ID == 0 {
		return qoldau.Errorf(qoldau.Invalid, "a chat needs an id")
	}
	next := c.Rev + 1
	cp := *c
	cp.Rev = next
	data, err := json.Marshal(&cp)
	if err != nil {
		return internal("encode a chat", err)
	}
	k := chatKey(c.ID)
	e := encoder{m: item{pkAttr: k[pkAttr], skAttr: k[skAttr]}}
	e.num("rev", next)
	e.str("data", string(data))
	e.str("client", c.Client)
	e.str("role", c.Role)
	names := map[string]string{"#pk": pkAttr}
	cond, values := "attribute_not_exists(#pk)", item(nil)
	if c.Rev != 0 {
		cond = "#rev = :rev"
		names = map[string]string{"#rev": "rev"}
		values = item{":rev": &types.AttributeValueMemberN{Value: strconv.FormatInt(c.Rev, 10)}}
	}
	err = s.putItem(ctx, e.m, cond, names, values)
	if isConditionFailed(err) {
		return qoldau.Errorf(qoldau.Conflict, "the chat changed meanwhile")
	}
	if err != nil {
		return internal("store a chat", err)
	}
	c.Rev = next
	return nil
}

// Chats calls fn for every chat, shard by shard.
func (s *Store) Chats(ctx context.Context, fn func(*qoldau.Chat) error) error {
	for shard := range chatShards {
		var page []*qoldau.Chat
		err := s.query(ctx, &dynamodb.QueryInput{
			KeyConditionExpression:    aws.String("#pk = :pk"),
			ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
			ExpressionAttributeValues: item{":pk": str(fmt.Sprintf("CHATS#%02d", shard))},
		}, func(it item) error {
			c, err := decodeChat(it)
			if err != nil {
				return internal("read a chat", err)
			}
			page = append(page, c)
			return nil
		})
		if err != nil {
			return wrapQuery("read chats", err)
		}
		for _, c := range page {
			if err := fn(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// PutAnswer puts the answer unless a completed one with its ID exists.
func (s *Store) PutAnswer(ctx context.Context, a *qoldau.Answer) error {
	if a == nil || a.ID == "" {
		return qoldau.Errorf(qoldau.Invalid, "an answer needs an ID")
	}
	p, err := qoldau.AnswerPeriod(a.ID)
	if err != nil {
		return err
	}
	data, err := json.Marshal(a)
	if err != nil {
		return internal("encode an answer", err)
	}
	e := newItem(answerPK(p), a.ID)
	e.str("data", string(data))
	e.str("service_key", a.Service.Key())
	e.time("completed", a.Completed)
	err = s.putItem(ctx, e.m, "attribute_not_exists(#pk) OR attribute_not_exists(#done)",
		map[string]string{"#pk": pkAttr, "#done": "completed"}, nil)
	if isConditionFailed(err) {
		return qoldau.Errorf(qoldau.Conflict, "the answer was submitted already")
	}
	if err != nil {
		return internal("store an answer", err)
	}
	return nil
}

func decodeAnswer(m item) (*qoldau.Answer, error) {
	d := decoder{m: m}
	data := d.str("data")
	if d.err != nil {
		return nil, d.err
	}
	a := new(qoldau.Answer)
	if err := json.Unmarshal([]byte(data), a); err != nil {
		return nil, err
	}
	return a, nil
}

// Answer returns one answer.
func (s *Store) Answer(ctx context.Context, id string) (*qoldau.Answer, error) {
	p, err := qoldau.AnswerPeriod(id)
	if err != nil {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such answer")
	}
	it, err := s.getItem(ctx, key(answerPK(p), id))
	if err != nil {
		return nil, internal("read an answer", err)
	}
	if it == nil {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such answer")
	}
	a, err := decodeAnswer(it)
	if err != nil {
		return nil, internal("read an answer", err)
	}
	return a, nil
}

// AnswersFor reads the answers of every channel about the services (BatchGetItem).
func (s *Store) AnswersFor(ctx context.Context, services []qoldau.ServiceRef) ([]qoldau.Answer, error) {
	var keys []item
	seen := map[string]bool{}
	for i := range services {
		for _, ch := range []string{qoldau.ChannelImport, qoldau.ChannelPhone, qoldau.ChannelTelegram} {
			id := qoldau.AnswerID(ch, &services[i])
			if !seen[id] {
				seen[id] = true
				keys = append(keys, key(answerPK(services[i].Period), id))
			}
		}
	}
	out := []qoldau.Answer{}
	for lo := 0; lo < len(keys); lo += getBatchSize {
		var ferr error
		err := s.batchGetItems(ctx, keys[lo:min(lo+getBatchSize, len(keys))], func(it item) {
			a, err := decodeAnswer(it)
			if err != nil {
				ferr = err
				return
			}
			out = append(out, *a)
		})
		if err == nil {
			err = ferr
		}
		if err != nil {
			return nil, internal("read answers", err)
		}
	}
	slices.SortFunc(out, func(a, b qoldau.Answer) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// Answers calls fn for every answer of the periods from..to, in ID order (the
// period partitions are read, then merged).
func (s *Store) Answers(ctx context.Context, from, to civil.Month, fn func(*qoldau.Answer) error) error {
	var all []*qoldau.Answer
	for p := from; p <= to; p++ {
		err := s.query(ctx, &dynamodb.QueryInput{
			KeyConditionExpression:    aws.String("#pk = :pk"),
			ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
			ExpressionAttributeValues: item{":pk": str(answerPK(p))},
		}, func(it item) error {
			a, err := decodeAnswer(it)
			if err != nil {
				return internal("read an answer", err)
			}
			all = append(all, a)
			return nil
		})
		if err != nil {
			return wrapQuery("read answers", err)
		}
	}
	slices.SortFunc(all, func(a, b *qoldau.Answer) int { return cmp.Compare(a.ID, b.ID) })
	for _, a := range all {
		if err := fn(a); err != nil {
			return err
		}
	}
	return nil
}

// PutStaffCode stores a new staff code.
func (s *Store) PutStaffCode(ctx context.Context, c *qoldau.StaffCode) error {
	if c == nil || c.Hash == "" {
		return qoldau.Errorf(qoldau.Invalid, "a staff code needs a hash")
	}
	e := newItem(staffPK(c.Hash), staffSK)
	e.str("role", c.Role)
	e.time("created", c.Created)
	e.time("expires", c.Expires)
	// Expired codes are garbage a while after they expire.
	e.m[ttlAttr] = &types.AttributeValueMemberN{Value: strconv.FormatInt(c.Expires.Add(s.claimTTL).Unix(), 10)}
	err := s.putNew(ctx, e.m)
	if isConditionFailed(err) {
		// A retry of a write whose answer was lost: the same code stored is
		// this call's (writes are idempotent).
		if it, gerr := s.getItem(ctx, key(staffPK(c.Hash), staffSK)); gerr == nil && it != nil {
			if got, derr := decodeStaffCode(it, c.Hash); derr == nil && c.Stored(got) {
				return nil
			}
		}
		return qoldau.Errorf(qoldau.Conflict, "the staff code exists already")
	}
	if err != nil {
		return internal("store a staff code", err)
	}
	return nil
}

func decodeStaffCode(m item, hash string) (*qoldau.StaffCode, error) {
	d := decoder{m: m}
	c := &qoldau.StaffCode{Hash: hash, Role: d.str("role"), Created: d.time("created"), Expires: d.time("expires"),
		ChatID: d.int64("chat_id"), Used: d.time("used")}
	return c, d.err
}

// UseStaffCode sets the chat of an unused, unexpired code.
func (s *Store) UseStaffCode(ctx context.Context, hash string, chat int64, at time.Time) (*qoldau.StaffCode, error) {
	if hash == "" {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such staff code")
	}
	var out *dynamodb.UpdateItemOutput
	err := s.retry(ctx, func() (err error) {
		out, err = s.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                aws.String(s.table),
			Key:                      key(staffPK(hash), staffSK),
			UpdateExpression:         aws.String("SET #chat = :chat, #used = :used"),
			ConditionExpression:      aws.String("attribute_exists(#pk) AND attribute_not_exists(#used) AND #exp > :at"),
			ExpressionAttributeNames: map[string]string{"#pk": pkAttr, "#chat": "chat_id", "#used": "used", "#exp": "expires"},
			ExpressionAttributeValues: item{
				":chat": &types.AttributeValueMemberN{Value: strconv.FormatInt(chat, 10)},
				":used": str(formatTime(at)), ":at": str(formatTime(at)),
			},
			ReturnValues: types.ReturnValueAllNew,
		})
		return err
	}, nil)
	if isConditionFailed(err) {
		it, err := s.getItem(ctx, key(staffPK(hash), staffSK))
		if err != nil {
			return nil, internal("use a staff code", err)
		}
		if it == nil {
			return nil, qoldau.Errorf(qoldau.NotFound, "no such staff code")
		}
		c, err := decodeStaffCode(it, hash)
		if err != nil {
			return nil, internal("use a staff code", err)
		}
		switch {
		case !c.Used.IsZero() && c.ChatID == chat:
			return c, nil
		case !c.Used.IsZero():
			return nil, qoldau.Errorf(qoldau.Conflict, "the staff code was used from another chat")
		}
		return nil, qoldau.Errorf(qoldau.NotFound, "no such staff code") // expired
	}
	if err != nil {
		return nil, internal("use a staff code", err)
	}
	c, err := decodeStaffCode(out.Attributes, hash)
	if err != nil {
		return nil, internal("use a staff code", err)
	}
	return c, nil
}
