package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

var (
	_ qoldau.SurveyStore  = (*Store)(nil)
	_ qoldau.SurveyReader = (*Store)(nil)
)

func init() {
	addMigrations("surveys",
		// 1: the survey directory, invitations, chats, answers and staff codes.
		`
CREATE TABLE survey_versions (
	period  TEXT    NOT NULL PRIMARY KEY,    -- YYYY-MM
	version INTEGER NOT NULL,                -- the version surveys are offered for
	synced  TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE survey_services (
	period     TEXT    NOT NULL,
	version    INTEGER NOT NULL,
	row        INTEGER NOT NULL,
	client     TEXT    NOT NULL,             -- pseudonymous client id
	phone_hash TEXT    NOT NULL,             -- keyed hash of the mobile phone, '' when none
	end_date   TEXT    NOT NULL,
	service    TEXT    NOT NULL,             -- JSON ServiceRef
	PRIMARY KEY (period, version, row)
) WITHOUT ROWID;
CREATE INDEX survey_services_client ON survey_services (client);
CREATE INDEX survey_services_phone ON survey_services (phone_hash);

CREATE TABLE invitations (
	token_hash TEXT    NOT NULL PRIMARY KEY,
	period     TEXT    NOT NULL,
	client     TEXT    NOT NULL,
	region     TEXT    NOT NULL,
	created    TEXT    NOT NULL,
	expires    TEXT    NOT NULL,
	chat_id    INTEGER NOT NULL,             -- 0 when unused or forgotten
	used       TEXT,                         -- NULL until used
	sealed     TEXT    NOT NULL,
	services   TEXT    NOT NULL              -- JSON array of ServiceRef
) WITHOUT ROWID;
CREATE INDEX invitations_period ON invitations (period, token_hash);

CREATE TABLE chats (
	chat_id INTEGER NOT NULL PRIMARY KEY,
	rev     INTEGER NOT NULL,
	client  TEXT    NOT NULL,
	role    TEXT    NOT NULL,
	stopped INTEGER NOT NULL,
	blocked INTEGER NOT NULL,
	updated TEXT    NOT NULL,
	data    TEXT    NOT NULL                 -- JSON Chat
);

CREATE TABLE answers (
	id          TEXT NOT NULL PRIMARY KEY,   -- channel:service key
	period      TEXT NOT NULL,
	channel     TEXT NOT NULL,
	client      TEXT NOT NULL,
	service_key TEXT NOT NULL,
	completed   TEXT,                        -- NULL while not submitted
	data        TEXT NOT NULL                -- JSON Answer
) WITHOUT ROWID;
CREATE INDEX answers_period ON answers (period, id);
CREATE INDEX answers_service ON answers (service_key);

CREATE TABLE staff_codes (
	hash    TEXT    NOT NULL PRIMARY KEY,
	role    TEXT    NOT NULL,
	created TEXT    NOT NULL,
	expires TEXT    NOT NULL,
	chat_id INTEGER NOT NULL,
	used    TEXT
) WITHOUT ROWID;
`)
}

// PutSurveyServices replaces the period's survey directory in one transaction.
func (s *Store) PutSurveyServices(ctx context.Context, period civil.Month, version int, entries []qoldau.SurveyEntry) error {
	if version < 1 {
		return qoldau.Errorf(qoldau.Invalid, "a survey directory needs a version from 1")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return internal("store the survey directory", err)
	}
	defer tx.Rollback()
	p := period.String()
	if _, err := tx.ExecContext(ctx, `DELETE FROM survey_services WHERE period = ?`, p); err != nil {
		return internal("store the survey directory", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO survey_services (period, version, row, client, phone_hash, end_date, service)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return internal("store the survey directory", err)
	}
	defer stmt.Close()
	for i := range entries {
		e := &entries[i]
		b, err := json.Marshal(e.Service)
		if err != nil {
			return internal("encode a survey service", err)
		}
		if _, err := stmt.ExecContext(ctx, p, version, e.Service.Row, e.Client, e.PhoneHash, e.Service.End.String(), string(b)); err != nil {
			return internal("store the survey directory", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO survey_versions (period, version, synced) VALUES (?, ?, ?)
		ON CONFLICT (period) DO UPDATE SET version = excluded.version, synced = excluded.synced`,
		p, version, formatTime(time.Now())); err != nil {
		return internal("store the survey directory", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("store the survey directory", err)
	}
	return nil
}

// SurveyVersion returns the version of the period's survey directory, 0 when none.
func (s *Store) SurveyVersion(ctx context.Context, period civil.Month) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT version FROM survey_versions WHERE period = ?`, period.String()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, internal("read the survey directory", err)
	}
	return v, nil
}

// ClientServices lists a client's services in the current directory.
func (s *Store) ClientServices(ctx context.Context, client string) ([]qoldau.ServiceRef, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.service FROM survey_services s
		JOIN survey_versions v ON v.period = s.period AND v.version = s.version
		WHERE s.client = ? ORDER BY s.end_date DESC, s.period, s.version, s.row`, client)
	if err != nil {
		return nil, internal("read the survey directory", err)
	}
	defer rows.Close()
	out := []qoldau.ServiceRef{}
	for rows.Next() {
		var b string
		var ref qoldau.ServiceRef
		if err := rows.Scan(&b); err != nil {
			return nil, internal("read the survey directory", err)
		}
		if err := json.Unmarshal([]byte(b), &ref); err != nil {
			return nil, internal("read the survey directory", err)
		}
		out = append(out, ref)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read the survey directory", err)
	}
	return out, nil
}

// ClientsByPhone lists the clients whose services from since on carry phoneHash.
func (s *Store) ClientsByPhone(ctx context.Context, phoneHash string, since civil.Month) ([]string, error) {
	out := []string{}
	if phoneHash == "" {
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT s.client FROM survey_services s
		JOIN survey_versions v ON v.period = s.period AND v.version = s.version
		WHERE s.phone_hash = ? AND s.period >= ? ORDER BY s.client`, phoneHash, since.String())
	if err != nil {
		return nil, internal("read the survey directory", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, internal("read the survey directory", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read the survey directory", err)
	}
	return out, nil
}

const invitationColumns = `token_hash, period, client, region, created, expires, chat_id, used, sealed, services`

// PutInvitation stores a new invitation.
func (s *Store) PutInvitation(ctx context.Context, inv *qoldau.Invitation) error {
	if inv == nil || inv.TokenHash == "" {
		return qoldau.Errorf(qoldau.Invalid, "an invitation needs a token hash")
	}
	svc, err := json.Marshal(inv.Services)
	if err != nil {
		return internal("encode the invitation", err)
	}
	var used any
	if !inv.Used.IsZero() {
		used = formatTime(inv.Used)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO invitations (`+invitationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		inv.TokenHash, inv.Period.String(), inv.Client, inv.Region, formatTime(inv.Created), formatTime(inv.Expires),
		inv.ChatID, used, inv.Sealed, string(svc))
	if err != nil {
		if isUnique(err) {
			return qoldau.Errorf(qoldau.Conflict, "the invitation exists already")
		}
		return internal("store the invitation", err)
	}
	return nil
}

func scanInvitation(sc scanner) (*qoldau.Invitation, error) {
	var (
		inv                           qoldau.Invitation
		period, created, expires, svc string
		used                          sql.NullString
	)
	err := sc.Scan(&inv.TokenHash, &period, &inv.Client, &inv.Region, &created, &expires, &inv.ChatID, &used, &inv.Sealed, &svc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such invitation")
	}
	if err != nil {
		return nil, internal("read an invitation", err)
	}
	if inv.Period, err = parseMonth(period); err == nil {
		if inv.Created, err = parseTime(created); err == nil {
			if inv.Expires, err = parseTime(expires); err == nil {
				if used.Valid {
					inv.Used, err = parseTime(used.String)
				}
				if err == nil {
					err = json.Unmarshal([]byte(svc), &inv.Services)
				}
			}
		}
	}
	if err != nil {
		return nil, internal("read an invitation", err)
	}
	return &inv, nil
}

// Invitation returns the invitation with that token hash.
func (s *Store) Invitation(ctx context.Context, tokenHash string) (*qoldau.Invitation, error) {
	return scanInvitation(s.db.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, tokenHash))
}

// UseInvitation binds the invitation to chat on its first use.
func (s *Store) UseInvitation(ctx context.Context, tokenHash string, chat int64, at time.Time) (*qoldau.Invitation, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, internal("use the invitation", err)
	}
	defer tx.Rollback()
	inv, err := scanInvitation(tx.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE token_hash = ?`, tokenHash))
	if err != nil {
		return nil, err
	}
	switch {
	case inv.Used.IsZero():
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET chat_id = ?, used = ? WHERE token_hash = ?`,
			chat, formatTime(at), tokenHash); err != nil {
			return nil, internal("use the invitation", err)
		}
		if err := tx.Commit(); err != nil {
			return nil, internal("use the invitation", err)
		}
		inv.ChatID, inv.Used = chat, at.UTC()
		return inv, nil
	case inv.ChatID == chat:
		return inv, nil
	}
	return nil, qoldau.Errorf(qoldau.Conflict, "the invitation was used from another chat")
}

// ReleaseInvitation drops the chat from an invitation it used.
func (s *Store) ReleaseInvitation(ctx context.Context, tokenHash string, chat int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE invitations SET chat_id = 0 WHERE token_hash = ? AND chat_id = ?`, tokenHash, chat)
	if err != nil {
		return internal("release the invitation", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM invitations WHERE token_hash = ?`, tokenHash).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return qoldau.Errorf(qoldau.NotFound, "no such invitation")
		}
		if err != nil {
			return internal("release the invitation", err)
		}
	}
	return nil
}

// Invitations calls fn for every invitation of the periods from..to, by period and
// token hash.
func (s *Store) Invitations(ctx context.Context, from, to civil.Month, fn func(*qoldau.Invitation) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE period >= ? AND period <= ? ORDER BY period, token_hash`, from.String(), to.String())
	if err != nil {
		return internal("read invitations", err)
	}
	defer rows.Close()
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return err
		}
		if err := fn(inv); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return internal("read invitations", err)
	}
	return nil
}

// Chat returns a chat.
func (s *Store) Chat(ctx context.Context, id int64) (*qoldau.Chat, error) {
	var (
		data string
		rev  int64
	)
	err := s.db.QueryRowContext(ctx, `SELECT rev, data FROM chats WHERE chat_id = ?`, id).Scan(&rev, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such chat")
	}
	if err != nil {
		return nil, internal("read a chat", err)
	}
	c := new(qoldau.Chat)
	if err := json.Unmarshal([]byte(data), c); err != nil {
		return nil, internal("read a chat", err)
	}
	c.ID, c.Rev = id, rev
	return c, nil
}

// PutChat stores a chat over the revision it was read at.
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
	var res sql.Result
	if c.Rev == 0 {
		res, err = s.db.ExecContext(ctx, `INSERT INTO chats (chat_id, rev, client, role, stopped, blocked, updated, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id) DO NOTHING`,
			c.ID, next, c.Client, c.Role, c.Stopped, c.Blocked, formatTime(c.Updated), string(data))
	} else {
		res, err = s.db.ExecContext(ctx, `UPDATE chats SET rev = ?, client = ?, role = ?, stopped = ?, blocked = ?,
			updated = ?, data = ? WHERE chat_id = ? AND rev = ?`,
			next, c.Client, c.Role, c.Stopped, c.Blocked, formatTime(c.Updated), string(data), c.ID, c.Rev)
	}
	if err != nil {
		return internal("store a chat", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return internal("store a chat", err)
	}
	if n == 0 {
		return qoldau.Errorf(qoldau.Conflict, "the chat changed meanwhile")
	}
	c.Rev = next
	return nil
}

// Chats calls fn for every chat, by id.
func (s *Store) Chats(ctx context.Context, fn func(*qoldau.Chat) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT chat_id, rev, data FROM chats ORDER BY chat_id`)
	if err != nil {
		return internal("read chats", err)
	}
	var all []*qoldau.Chat
	for rows.Next() {
		var (
			id, rev int64
			data    string
		)
		if err := rows.Scan(&id, &rev, &data); err != nil {
			rows.Close()
			return internal("read chats", err)
		}
		c := new(qoldau.Chat)
		if err := json.Unmarshal([]byte(data), c); err != nil {
			rows.Close()
			return internal("read chats", err)
		}
		c.ID, c.Rev = id, rev
		all = append(all, c)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return internal("read chats", err)
	}
	// fn runs after the read ends, so it may write chats (SQLite holds no read
	// snapshot across a walk that writes).
	for _, c := range all {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// PutAnswer stores an answer unless a completed one with its ID exists.
func (s *Store) PutAnswer(ctx context.Context, a *qoldau.Answer) error {
	if a == nil || a.ID == "" {
		return qoldau.Errorf(qoldau.Invalid, "an answer needs an ID")
	}
	period, err := qoldau.AnswerPeriod(a.ID)
	if err != nil {
		return err
	}
	data, err := json.Marshal(a)
	if err != nil {
		return internal("encode an answer", err)
	}
	var completed any
	if a.IsCompleted() {
		completed = formatTime(a.Completed)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO answers (id, period, channel, client, service_key, completed, data)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET channel = excluded.channel, client = excluded.client,
			service_key = excluded.service_key, completed = excluded.completed, data = excluded.data
		WHERE answers.completed IS NULL`,
		a.ID, period.String(), a.Channel, a.Client, a.Service.Key(), completed, string(data))
	if err != nil {
		return internal("store an answer", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("store an answer", err)
	} else if n == 0 {
		return qoldau.Errorf(qoldau.Conflict, "the answer was submitted already")
	}
	return nil
}

func scanAnswer(data string) (*qoldau.Answer, error) {
	a := new(qoldau.Answer)
	if err := json.Unmarshal([]byte(data), a); err != nil {
		return nil, internal("read an answer", err)
	}
	return a, nil
}

// Answer returns one answer.
func (s *Store) Answer(ctx context.Context, id string) (*qoldau.Answer, error) {
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM answers WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such answer")
	}
	if err != nil {
		return nil, internal("read an answer", err)
	}
	return scanAnswer(data)
}

// AnswersFor returns the answers about the services, in ID order.
func (s *Store) AnswersFor(ctx context.Context, services []qoldau.ServiceRef) ([]qoldau.Answer, error) {
	out := []qoldau.Answer{}
	for lo := 0; lo < len(services); lo += 200 {
		hi := min(lo+200, len(services))
		args := make([]any, 0, hi-lo)
		for i := lo; i < hi; i++ {
			args = append(args, services[i].Key())
		}
		rows, err := s.db.QueryContext(ctx, `SELECT data FROM answers WHERE service_key IN (`+
			strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")+`) ORDER BY id`, args...)
		if err != nil {
			return nil, internal("read answers", err)
		}
		for rows.Next() {
			var data string
			if err := rows.Scan(&data); err != nil {
				rows.Close()
				return nil, internal("read answers", err)
			}
			a, err := scanAnswer(data)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, *a)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, internal("read answers", err)
		}
	}
	if len(services) > 200 {
		sortAnswers(out)
	}
	return out, nil
}

func sortAnswers(as []qoldau.Answer) {
	for i := 1; i < len(as); i++ {
		for j := i; j > 0 && as[j].ID < as[j-1].ID; j-- {
			as[j], as[j-1] = as[j-1], as[j]
		}
	}
}

// Answers calls fn for every answer about a service of the periods from..to, in ID
// order.
func (s *Store) Answers(ctx context.Context, from, to civil.Month, fn func(*qoldau.Answer) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM answers WHERE period >= ? AND period <= ? ORDER BY id`,
		from.String(), to.String())
	if err != nil {
		return internal("read answers", err)
	}
	defer rows.Close()
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return internal("read answers", err)
		}
		a, err := scanAnswer(data)
		if err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return internal("read answers", err)
	}
	return nil
}

// PutStaffCode stores a new staff code.
func (s *Store) PutStaffCode(ctx context.Context, c *qoldau.StaffCode) error {
	if c == nil || c.Hash == "" {
		return qoldau.Errorf(qoldau.Invalid, "a staff code needs a hash")
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO staff_codes (hash, role, created, expires, chat_id, used) VALUES (?, ?, ?, ?, 0, NULL)`,
		c.Hash, c.Role, formatTime(c.Created), formatTime(c.Expires))
	if err != nil {
		if isUnique(err) {
			if got, gerr := readStaffCode(ctx, s.db, c.Hash); gerr == nil && c.Stored(got) {
				return nil // the same code again: writes are idempotent
			}
			return qoldau.Errorf(qoldau.Conflict, "the staff code exists already")
		}
		return internal("store a staff code", err)
	}
	return nil
}

// UseStaffCode binds a staff code to chat on its first use.
func (s *Store) UseStaffCode(ctx context.Context, hash string, chat int64, at time.Time) (*qoldau.StaffCode, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, internal("use a staff code", err)
	}
	defer tx.Rollback()
	c, err := readStaffCode(ctx, tx, hash)
	if err != nil {
		return nil, err
	}
	switch {
	case !c.Used.IsZero() && c.ChatID == chat:
		return c, nil
	case !c.Used.IsZero():
		return nil, qoldau.Errorf(qoldau.Conflict, "the staff code was used from another chat")
	case !at.Before(c.Expires):
		return nil, qoldau.Errorf(qoldau.NotFound, "no such staff code")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE staff_codes SET chat_id = ?, used = ? WHERE hash = ?`, chat, formatTime(at), hash); err != nil {
		return nil, internal("use a staff code", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, internal("use a staff code", err)
	}
	c.ChatID, c.Used = chat, at.UTC()
	return c, nil
}

// readStaffCode reads the staff code of hash; NotFound when there is none.
func readStaffCode(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, hash string) (*qoldau.StaffCode, error) {
	var (
		c                qoldau.StaffCode
		created, expires string
		used             sql.NullString
	)
	err := q.QueryRowContext(ctx, `SELECT hash, role, created, expires, chat_id, used FROM staff_codes WHERE hash = ?`, hash).
		Scan(&c.Hash, &c.Role, &created, &expires, &c.ChatID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, qoldau.Errorf(qoldau.NotFound, "no such staff code")
	}
	if err != nil {
		return nil, internal("read a staff code", err)
	}
	if c.Created, err = parseTime(created); err == nil {
		if c.Expires, err = parseTime(expires); err == nil && used.Valid {
			c.Used, err = parseTime(used.String)
		}
	}
	if err != nil {
		return nil, internal("read a staff code", err)
	}
	return &c, nil
}
