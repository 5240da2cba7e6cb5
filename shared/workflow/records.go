package workflow

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
)

// Audit appends an entry to the audit log at the workflow's clock: the one writer
// of audit entries, for the workflow's own steps and for those the packages around
// it record (report builds and submissions, survey exports, staff users). An empty
// actor is "system". The step it records has happened already, so a failure is
// returned for a retry to record it.
func (s *Service) Audit(ctx context.Context, actor, action, subject string, detail map[string]string) error {
	if actor == "" {
		actor = "system"
	}
	return s.Store.Append(ctx, qoldau.AuditEntry{Time: s.now().UTC(), Actor: actor, Action: action, Subject: subject, Detail: detail})
}

// Versions lists a period's register versions by number (empty when none).
func (s *Service) Versions(ctx context.Context, p civil.Month) ([]qoldau.Version, error) {
	return s.Store.Versions(ctx, p)
}

// Rows calls fn for each row of a version in row order; NotFound when the version
// does not exist.
func (s *Service) Rows(ctx context.Context, p civil.Month, version int, fn func(*qoldau.Row) error) error {
	return s.Store.Rows(ctx, p, version, fn)
}

// Claim records key the first time and reports true; false when it was claimed
// before: what makes a side effect (a reminder) happen once however often a job
// runs.
func (s *Service) Claim(ctx context.Context, key string, at time.Time) (bool, error) {
	return s.Store.Claim(ctx, key, at)
}

// Release removes a claim (a side effect that surely did not happen may be tried
// again).
func (s *Service) Release(ctx context.Context, key string) error {
	return s.Store.Release(ctx, key)
}

// SaveFile keeps a file the workflow's outputs need (report files, exports) under
// key; saving the same key again replaces it.
func (s *Service) SaveFile(ctx context.Context, key string, r io.Reader) error {
	return s.Blobs.Put(ctx, key, r)
}

// OpenFile opens a kept file; NotFound when there is none.
func (s *Service) OpenFile(ctx context.Context, key string) (io.ReadCloser, error) {
	return s.Blobs.Get(ctx, key)
}

// FileExists reports whether a file is kept under key.
func (s *Service) FileExists(ctx context.Context, key string) (bool, error) {
	return s.Blobs.Exists(ctx, key)
}

// RecordBuild records a built report (its files are saved already) and its audit
// entry, naming detail.
func (s *Service) RecordBuild(ctx context.Context, b *qoldau.ReportBuild, detail map[string]string) error {
	if err := s.Store.PutBuild(ctx, b); err != nil {
		return err
	}
	return s.Audit(ctx, b.Actor, "build", "report "+b.Period, detail)
}

// Builds lists the recorded builds of a report period, oldest first.
func (s *Service) Builds(ctx context.Context, period string) ([]qoldau.ReportBuild, error) {
	return s.Store.Builds(ctx, period)
}

// RecordSubmission records that a report went to the authorized body (clause 13)
// and its audit entry. Conflict when the period's report was submitted already:
// the first submission stands.
func (s *Service) RecordSubmission(ctx context.Context, sub *qoldau.Submission) error {
	if err := s.Store.PutSubmission(ctx, sub); err != nil {
		return err
	}
	return s.Audit(ctx, sub.Actor, "submit", "report "+sub.Period, map[string]string{
		"submitted": sub.Submitted.Format(time.RFC3339), "letter_no": sub.LetterNo, "reg_no": sub.RegNo, "media": sub.Media})
}

// Submissions lists every report submission, by period.
func (s *Service) Submissions(ctx context.Context) ([]qoldau.Submission, error) {
	return s.Store.Submissions(ctx)
}

// Submitted reports whether the report of a period ("2026-Q3", "2026") was
// submitted: report reminders stop once it was.
func (s *Service) Submitted(ctx context.Context, period string) (bool, error) {
	subs, err := s.Store.Submissions(ctx)
	if err != nil {
		return false, err
	}
	for _, sub := range subs {
		if sub.Period == period {
			return true, nil
		}
	}
	return false, nil
}

// AddUser creates a staff user with a new API key and returns the user and the
// key, which is shown once and never stored (only its hash is); the audit log
// names actor. Invalid for a bad name or role; Conflict when the name is taken.
func (s *Service) AddUser(ctx context.Context, name string, role qoldau.Role, email, actor string) (*qoldau.User, string, error) {
	key, err := qoldau.NewKey()
	if err != nil {
		return nil, "", err
	}
	u := &qoldau.User{Name: strings.TrimSpace(name), Role: role, KeyHash: qoldau.HashKey(key),
		Email: strings.TrimSpace(email), Created: s.now().UTC()}
	if err := s.Store.PutUser(ctx, u); err != nil {
		return nil, "", err
	}
	return u, key, s.Audit(ctx, actor, "add-user", "user "+u.ID(), map[string]string{"role": string(u.Role)})
}

// Users lists the staff users by name.
func (s *Service) Users(ctx context.Context) ([]qoldau.User, error) { return s.Store.Users(ctx) }

// UserByKey returns the user of an API key; NotFound when none.
func (s *Service) UserByKey(ctx context.Context, key string) (*qoldau.User, error) {
	return s.Store.UserByKeyHash(ctx, qoldau.HashKey(key))
}

// Answers calls fn for every survey answer about a service of a period from
// `from` to `to`, in ID order (with Invitations, the Service is the report's
// qoldau.SurveyReader).
func (s *Service) Answers(ctx context.Context, from, to civil.Month, fn func(*qoldau.Answer) error) error {
	return s.Store.Answers(ctx, from, to, fn)
}

// Invitations calls fn for every survey invitation of a period from `from` to `to`.
func (s *Service) Invitations(ctx context.Context, from, to civil.Month, fn func(*qoldau.Invitation) error) error {
	return s.Store.Invitations(ctx, from, to, fn)
}

// User returns the staff user of that name; NotFound when none.
func (s *Service) User(ctx context.Context, name string) (*qoldau.User, error) {
	return s.Store.User(ctx, name)
}

// SetPassword sets a user's console password (argon2id), as set at the time
// given: the real time, which sessions are measured against (the workflow's
// clock may replay history), so the user's earlier sessions are over. Invalid for
// a password too short or too long; NotFound for an unknown user. The audit log
// names actor.
func (s *Service) SetPassword(ctx context.Context, name, password string, at time.Time, actor string) error {
	hash, err := qoldau.HashPassword(password)
	if err != nil {
		return err
	}
	u, err := s.Store.User(ctx, name)
	if err != nil {
		return err
	}
	u.PasswordHash, u.PasswordSet = hash, at.UTC()
	if err := s.Store.SetUser(ctx, u); err != nil {
		return err
	}
	return s.Audit(ctx, actor, "set-password", "user "+u.ID(), nil)
}

// SetRole changes a user's role; the audit log names actor.
func (s *Service) SetRole(ctx context.Context, name string, role qoldau.Role, actor string) error {
	u, err := s.Store.User(ctx, name)
	if err != nil {
		return err
	}
	u.Role = role
	if err := s.Store.SetUser(ctx, u); err != nil {
		return err
	}
	return s.Audit(ctx, actor, "set-role", "user "+u.ID(), map[string]string{"role": string(role)})
}
