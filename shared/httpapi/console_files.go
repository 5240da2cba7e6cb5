package httpapi

import (
	"encoding/json"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qoldau/qoldau/shared/civil"
	"github.com/qoldau/qoldau/shared/ingest"
	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

// uploadKinds are the kinds of file each role uploads, in the order offered.
func (a *api) uploadKinds(role qoldau.Role) []string {
	if role == op {
		return []string{ingest.KindRegister}
	}
	var out []string
	for _, k := range []string{ingest.KindActs, "calls", "questionnaires"} {
		if a.Ingest != nil && a.Ingest.Kind(k) {
			out = append(out, k)
		}
	}
	return out
}

type uploadData struct {
	Kinds  []string
	Kind   string
	Period civil.Month
	Months []civil.Month
	Max    int64
}

// uploadPage is the upload form: drag and drop or a file picker, the register's
// period and sheet; the script asks the API for an upload link, sends the file
// with a progress bar and opens the outcome page.
func (a *api) uploadPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	now := a.Svc.Clock()
	cur := workday.Today(now).Month()
	d := &uploadData{Kinds: a.uploadKinds(u.Role), Period: cur.Add(-1), Max: a.Svc.Limits.MaxFileSize}
	if d.Max <= 0 {
		d.Max = 256 << 20
	}
	d.Kind = d.Kinds[0]
	if k := r.URL.Query().Get("kind"); k != "" {
		for _, x := range d.Kinds {
			if x == k {
				d.Kind = k
			}
		}
	}
	if s := r.URL.Query().Get("period"); s != "" {
		p, err := parsePeriod(s)
		if err != nil {
			a.pageError(w, r, err)
			return
		}
		d.Period = p
	}
	for m := cur; m >= cur.Add(-24); m-- {
		d.Months = append(d.Months, m)
	}
	a.render(w, r, http.StatusOK, "upload", a.newPage(r, "upload.title", d))
}

type uploadResultData struct {
	Ticket  *ingest.Ticket
	Status  string
	Outcome *ingest.Outcome
	Letter  *workflow.LetterView
	Counts  []countRow
	Import  *importSummary
}

// importSummary is the outcome of an import (acts, call lists, questionnaires):
// counts and the findings with their cells.
type importSummary struct {
	Read      int              `json:"read"`
	Rejected  int              `json:"rejected"`
	Added     int              `json:"added"`
	Stored    int              `json:"stored"`
	Already   int              `json:"already"`
	Skipped   int              `json:"skipped"`
	FileError bool             `json:"file_error"`
	Findings  []qoldau.Finding `json:"findings"`
}

// uploadResultPage shows what became of an upload: waiting (the page refreshes
// itself), or the validation outcome with links to the findings and files.
func (a *api) uploadResultPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	id := r.PathValue("id")
	if _, ok := ingest.TicketOf(ingest.InboxKey(id, "x")); !ok {
		a.pageError(w, r, qoldau.E(qoldau.NotFound, msgNoUpload, nil))
		return
	}
	ctx := r.Context()
	t, err := ingest.ReadTicket(ctx, a.Svc.Blobs, id)
	if err != nil {
		if qoldau.CodeOf(err) == qoldau.NotFound {
			err = qoldau.E(qoldau.NotFound, msgNoUpload, nil)
		}
		a.pageError(w, r, err)
		return
	}
	if !uploadAllowed(t.Kind, u.Role) {
		a.pageError(w, r, &roleError{roles: []qoldau.Role{map[bool]qoldau.Role{true: op, false: ag}[t.Kind == ingest.KindRegister]}, role: u.Role})
		return
	}
	d := &uploadResultData{Ticket: t, Status: "waiting"}
	o, err := ingest.ReadOutcome(ctx, a.Svc.Blobs, id)
	switch {
	case err == nil:
		d.Outcome, d.Status = o, o.Status
	case qoldau.CodeOf(err) != qoldau.NotFound:
		a.pageError(w, r, err)
		return
	}
	if d.Outcome != nil && d.Outcome.Register != nil {
		reg := d.Outcome.Register
		d.Counts = sortedCounts(reg.Counts)
		if reg.Letter != nil {
			if l, err := a.Svc.Store.Letter(ctx, *reg.Letter); err == nil {
				lv := workflow.LetterView{Letter: *l}
				d.Letter = &lv
			}
		}
	}
	if o := d.Outcome; o != nil && o.Acts != nil {
		d.Import = &importSummary{Read: o.Acts.Read, Rejected: o.Acts.Rejected, Added: o.Acts.Added,
			FileError: o.Acts.FileError, Findings: o.Acts.Findings}
	} else if o != nil && len(o.Other) > 0 {
		d.Import = &importSummary{}
		if err := json.Unmarshal(o.Other, d.Import); err != nil {
			a.pageError(w, r, qoldau.E(qoldau.Internal, texts.Text("bad-upload-record"), err))
			return
		}
	}
	if d.Status == "waiting" && t.Expires.Before(a.Svc.Clock()) {
		d.Status = "expired"
	}
	a.render(w, r, http.StatusOK, "uploaded", a.newPage(r, "uploaded.title", d))
}

type lettersData struct {
	Letters  []workflow.LetterView
	Send     bool
	Download bool
	Open     int
}

// lettersPage lists every letter with its clocks; the agency sends them here.
func (a *api) lettersPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	ls, err := a.Svc.Letters(r.Context(), 0)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	// Newest first: the letters that need action are the recent ones.
	for i, j := 0, len(ls)-1; i < j; i, j = i+1, j-1 {
		ls[i], ls[j] = ls[j], ls[i]
	}
	d := &lettersData{Letters: ls, Send: u.Role == ag, Download: u.Role != adm}
	for _, l := range ls {
		if !l.IsSent() {
			d.Open++
		}
	}
	a.render(w, r, http.StatusOK, "letters", a.newPage(r, "letters.title", d))
}

// parseLocal reads a datetime-local form value as Asia/Almaty time (zero when empty).
func parseLocal(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, workday.Almaty()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, qoldau.E(qoldau.Invalid, texts.Text("bad-date-time", "field", field), nil)
}

// sendLetterPost records that the agency sent a letter (clause 9): its outgoing
// number, when it was sent and, when it differs, when the operator received it.
func (a *api) sendLetterPost(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	at, err := parseLocal("at", r.PostFormValue("at"))
	var received time.Time
	if err == nil {
		received, err = parseLocal("received", r.PostFormValue("received"))
	}
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	id := r.PathValue("id")
	if _, err := a.Svc.Send(r.Context(), id, workflow.SendRequest{Number: r.PostFormValue("number"), At: at,
		Received: received, Actor: u.Name}); err != nil {
		a.pageError(w, r, err)
		return
	}
	back := localPath(r.PostFormValue("back"))
	if back == "/" {
		back = "/letters"
	}
	http.Redirect(w, r, withDone(back, "sent")+"#letter-"+id, http.StatusSeeOther)
}

// withDone adds ?done=<key> (a notice of what was done) to a local path.
func withDone(p, key string) string {
	p, _, _ = strings.Cut(p, "#")
	if strings.Contains(p, "?") {
		// Drop an earlier notice.
		base, q, _ := strings.Cut(p, "?")
		var keep []string
		for _, kv := range strings.Split(q, "&") {
			if kv != "" && !strings.HasPrefix(kv, "done=") {
				keep = append(keep, kv)
			}
		}
		p = base
		if len(keep) > 0 {
			return p + "?" + strings.Join(keep, "&") + "&done=" + key
		}
	}
	return p + "?done=" + key
}

// downloadPage sends the browser to a short-lived link to a file the role may
// download (the same rule as the API's downloads).
func (a *api) downloadPage(w http.ResponseWriter, r *http.Request, u *qoldau.User) {
	key := r.URL.Query().Get("key")
	if !DownloadAllowed(key, u.Role) || strings.Contains(key, "..") {
		a.pageError(w, r, qoldau.E(qoldau.Forbidden, msgForbidden, nil))
		return
	}
	ok, err := a.Svc.Blobs.Exists(r.Context(), key)
	if err == nil && !ok {
		err = qoldau.E(qoldau.NotFound, msgNoFile, nil)
	}
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	name := path.Base(key)
	if n := strings.TrimSpace(r.URL.Query().Get("name")); n != "" && strings.HasPrefix(key, "uploads/") {
		name = downloadName(n)
	}
	url, err := a.Links.DownloadURL(r.Context(), key, name, a.DownloadTTL)
	if err != nil {
		a.pageError(w, r, err)
		return
	}
	http.Redirect(w, r, url, http.StatusSeeOther)
}

// downloadName keeps a file name fit for a download: no folders, no control
// characters, at most 120 bytes; "download" when nothing is left.
func downloadName(n string) string {
	n = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' || r == '"' {
			return '_'
		}
		return r
	}, n)
	for len(n) > 120 {
		_, size := utf8.DecodeLastRuneInString(n)
		n = n[:len(n)-size]
	}
	if strings.Trim(n, "._ ") == "" {
		return "download"
	}
	return n
}
