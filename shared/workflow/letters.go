package workflow

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/scratch"
	"github.com/qoldau/qoldau/shared/workday"
)

// LetterView is a letter with what the workflow concludes of it.
type LetterView struct {
	qoldau.Letter
	// SentLate: sent after the agency's 1-working-day deadline (clause 8).
	SentLate bool `json:"sent_late"`
	// Overdue: not sent and the deadline is over (a violation in the agency's
	// compliance list).
	Overdue bool `json:"overdue"`
}

func (s *Service) view(l qoldau.Letter) LetterView {
	lv := LetterView{Letter: l}
	if l.IsSent() {
		files := map[string]string{}
		for k, v := range l.Files {
			files[k] = v
		}
		files["docx_sent"] = sentKey(l.ID)
		lv.Files = files
		lv.SentLate = !onOrBefore(l.Sent, l.SendDue)
	} else {
		lv.Overdue = !onOrBefore(s.now(), l.SendDue)
	}
	return lv
}

// Letters lists the letters of a period (all periods when p is 0), by period and
// version.
func (s *Service) Letters(ctx context.Context, p civil.Month) ([]LetterView, error) {
	ls, err := s.Store.Letters(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.views(ls), nil
}

// views orders letters by version and says what the workflow concludes of each.
func (s *Service) views(ls []qoldau.Letter) []LetterView {
	sortLetters(ls)
	out := make([]LetterView, len(ls))
	for i, l := range ls {
		out[i] = s.view(l)
	}
	return out
}

var msgAlreadySent = texts.Text("already-sent")

// SendRequest is what the agency records when it sends a letter (clause 9).
type SendRequest struct {
	Number string    // the letter's outgoing number (required)
	At     time.Time // when it was sent; zero: now
	// Received is when the operator received it, when that is not when it was sent
	// (zero: electronic delivery, received when sent).
	Received time.Time
	Actor    string
}

var (
	msgNoNumber = texts.Text("no-number")
	whatDraft   = texts.Text("what-draft")
	whatSending = texts.Text("what-sending")
)

// Send records that the agency sent a letter: its outgoing number, when it was sent
// (not in the future, not before the draft) and, when it differs, when the operator
// received it (not before sending, not in the future). The operator's correction
// clock starts from receipt: CorrectionDays working days after the day received.
func (s *Service) Send(ctx context.Context, id string, req SendRequest) (*LetterView, error) {
	now := s.now()
	l, err := s.Store.Letter(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.IsSent() {
		// The first send stands; a send interrupted before its document was
		// written gets it now.
		if ok, err := s.Blobs.Exists(ctx, sentKey(id)); err == nil && !ok {
			if err := s.renderSent(ctx, l); err != nil {
				return nil, err
			}
		}
		return nil, qoldau.E(qoldau.Conflict, msgAlreadySent, nil)
	}
	number, err := qoldau.CleanText("number", req.Number, 64)
	if err != nil {
		return nil, err
	}
	if number == "" {
		return nil, qoldau.E(qoldau.Invalid, msgNoNumber, nil)
	}
	at := req.At
	if at.IsZero() {
		at = now
	}
	if err := qoldau.CheckTime("at", at, now); err != nil {
		return nil, err
	}
	if err := qoldau.CheckAfter("at", at, l.Drafted, whatDraft); err != nil {
		return nil, err
	}
	received := at
	if !req.Received.IsZero() {
		if err := qoldau.CheckTime("received", req.Received, now); err != nil {
			return nil, err
		}
		if err := qoldau.CheckAfter("received", req.Received, at, whatSending); err != nil {
			return nil, err
		}
		received = req.Received
	}
	due := s.Cal.AddWorking(workday.Today(received), s.CorrectionDays)
	snd := qoldau.Sending{Number: number, At: at.UTC(), By: req.Actor, CorrectionDue: due}
	if !req.Received.IsZero() {
		snd.Received = received.UTC()
	}
	l, err = s.Store.SendLetter(ctx, id, snd)
	if err != nil {
		if qoldau.CodeOf(err) == qoldau.Conflict {
			return nil, qoldau.E(qoldau.Conflict, msgAlreadySent, err)
		}
		return nil, err
	}
	if err := s.renderSent(ctx, l); err != nil {
		return nil, err
	}
	detail := map[string]string{"number": number, "sent": at.UTC().Format(time.RFC3339), "correction_due": due.String()}
	if !snd.Received.IsZero() {
		detail["received"] = snd.Received.Format(time.RFC3339)
	}
	if err := s.Audit(ctx, req.Actor, "send", "letter "+id, detail); err != nil {
		return nil, err
	}
	s.refreshRecords(ctx)
	v := s.view(*l)
	return &v, nil
}

// draftLetter drafts the letter about a version with errors (idempotent: a letter
// that exists is kept).
func (s *Service) draftLetter(ctx context.Context, v *qoldau.Version, path string, res *register.Result) (string, error) {
	id := LetterID(v.Period, v.Number)
	if _, err := s.Store.Letter(ctx, id); err == nil {
		return id, nil
	} else if !isNotFound(err) {
		return "", err
	}
	now := s.now()
	l := &qoldau.Letter{ID: id, Period: v.Period, Version: v.Number, Drafted: now.UTC(),
		SendDue: s.Cal.AddWorking(workday.Today(now), s.SendDays), Errors: map[string]int{}, Files: map[string]string{}}
	if err := res.Findings.Each(func(f *qoldau.Finding) error {
		if f.Severity == qoldau.SevError {
			l.Errors[f.Code]++
		}
		return nil
	}); err != nil {
		return "", err
	}
	if err := s.letterFiles(ctx, l, v, path, res); err != nil {
		return "", err
	}
	// The audit entry first: a crash between the two repeats it on the retry rather
	// than losing it.
	if err := s.Audit(ctx, "system", "draft", "letter "+id, map[string]string{"errors": itoa(len(l.Errors))}); err != nil {
		return "", err
	}
	if err := s.Store.PutLetter(ctx, l); err != nil && qoldau.CodeOf(err) != qoldau.Conflict {
		return "", err
	}
	return id, nil
}

// letterFiles renders the letter (.docx) and the flagged workbook into blobs.
func (s *Service) letterFiles(ctx context.Context, l *qoldau.Letter, v *qoldau.Version, path string, res *register.Result) error {
	dir, err := scratch.MkdirTemp("letter-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	// A file that could not be used as a whole (unreadable, not UTF-8, no header)
	// has no cells to flag: the letter alone says why.
	if res.Kind != "" && !res.FileError {
		flagged := filepath.Join(dir, "flagged.xlsx")
		// The workbook goes with the letter, in the letter's languages.
		if err := register.WriteFlagged(path, res, flagged, "kk", "ru"); err != nil {
			return err
		}
		key := "letters/" + l.ID + ".flagged.xlsx"
		if err := s.putFile(ctx, key, flagged); err != nil {
			return err
		}
		l.Files["xlsx"] = key
	}
	if renderLetter != nil {
		doc := filepath.Join(dir, "letter.docx")
		if err := renderLetter(s, doc, l, v, res); err != nil {
			return err
		}
		key := "letters/" + l.ID + ".docx"
		if err := s.putFile(ctx, key, doc); err != nil {
			return err
		}
		l.Files["docx"] = key
	}
	return nil
}

// renderLetter writes the letter document; set by letterdoc.go.
var renderLetter func(s *Service, path string, l *qoldau.Letter, v *qoldau.Version, res *register.Result) error

func (s *Service) putFile(ctx context.Context, key, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.Blobs.Put(ctx, key, f)
}

func sentKey(id string) string { return "letters/" + id + ".sent.docx" }

// renderSent writes the letter as sent: dated, with the correction deadline.
func (s *Service) renderSent(ctx context.Context, l *qoldau.Letter) error {
	if renderLetter == nil {
		return nil
	}
	vs, err := s.Store.Versions(ctx, l.Period)
	if err != nil {
		return err
	}
	var v *qoldau.Version
	for i := range vs {
		if vs[i].Number == l.Version {
			v = &vs[i]
		}
	}
	if v == nil {
		return qoldau.Errorf(qoldau.Internal, "letter %s names a version that is not stored", l.ID)
	}
	res, err := s.Result(ctx, l.Period, l.Version)
	if err != nil {
		return err
	}
	defer res.Close()
	dir, err := scratch.MkdirTemp("letter-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	doc := filepath.Join(dir, "letter.docx")
	if err := renderLetter(s, doc, l, v, res); err != nil {
		return err
	}
	return s.putFile(ctx, sentKey(l.ID), doc)
}
