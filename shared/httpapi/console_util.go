package httpapi

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/qoldau/qoldau/shared/civil"

	"github.com/qoldau/qoldau/shared/qoldau"
	"github.com/qoldau/qoldau/shared/register"
	"github.com/qoldau/qoldau/shared/workday"
	"github.com/qoldau/qoldau/shared/workflow"
)

func itoa(n int) string { return strconv.Itoa(n) }

// fieldLabel is a register field's label in the three languages.
func fieldLabel(key string) qoldau.Text { return register.FieldLabel(key) }

// sortCountRows orders counts by count (most first), then key.
func sortCountRows(rs []countRow) {
	slices.SortFunc(rs, func(a, b countRow) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
}

// letterList is what the "letters" partial shows.
type letterList struct {
	P        *page
	Letters  []workflow.LetterView
	Send     bool
	Download bool
}

// LetterList prepares the letters table: with the agency's send forms (send), and
// links to the files (download).
func (p *page) LetterList(ls []workflow.LetterView, send, download bool) letterList {
	return letterList{P: p, Letters: ls, Send: send, Download: download}
}

// LetterStatus is a letter's status key.
func (p *page) LetterStatus(l workflow.LetterView) string { return letterStatus(&l) }

// Sum adds the counts of a map.
func (p *page) Sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// LocalInput formats t for a datetime-local input, in Almaty time.
func (p *page) LocalInput(t time.Time) string {
	return t.In(workday.Almaty()).Format("2006-01-02T15:04")
}

type pager struct {
	P                 *page
	Prev, Next, Label string
}

// Pager prepares the "pager" partial.
func (p *page) Pager(prev, next, label string) pager {
	return pager{P: p, Prev: prev, Next: next, Label: label}
}

type errorGroup struct {
	Kind string
	List []workflow.FindingRef
}

// DiffErrors lists a diff's error changes in the order fixed, still open, new.
func (p *page) DiffErrors(e workflow.ErrorChanges) []errorGroup {
	return []errorGroup{{"fixed", e.Fixed}, {"open", e.Open}, {"new", e.New}}
}

// Action names an audit action in the page's language (the action itself when
// the catalogue has no name for it).
func (p *page) Action(a string) string {
	if _, ok := console.Lookup("action." + a); ok {
		return p.T("action." + a)
	}
	return a
}

// auditKinds are the kinds of things the audit log names, longest first: a
// subject is "<kind> <name>" ("letter 2026-09-v1", "call list 2026-09").
var auditKinds = []string{"staff code", "call list", "invitations", "register", "reminder", "letter", "report", "acts", "user"}

// AuditSubject words an audit entry's subject in the page's language: its kind
// named ("Письмо 2026-09-v1"), the rest as recorded.
func (p *page) AuditSubject(s string) string {
	for _, k := range auditKinds {
		if rest, ok := strings.CutPrefix(s, k+" "); ok {
			return p.T("audit.obj."+strings.ReplaceAll(k, " ", "-")) + " " + rest
		}
	}
	return s
}

// auditItem is one detail of an audit entry as the page shows it.
type auditItem struct{ Label, Value string }

// AuditDetail words an audit entry's details: each key named in the page's
// language where the catalogue names it, times in Almaty as dd.mm.yyyy hh:mm,
// dates as dd.mm.yyyy, whole numbers grouped.
func (p *page) AuditDetail(d map[string]string) []auditItem {
	keys := slices.Sorted(maps.Keys(d))
	out := make([]auditItem, 0, len(keys))
	for _, k := range keys {
		it := auditItem{Label: k, Value: d[k]}
		if _, ok := console.Lookup("audit.key." + k); ok {
			it.Label = p.T("audit.key." + k)
		}
		v := d[k]
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			it.Value = formatTime(t)
		} else if day, err := civil.Parse(v); err == nil {
			it.Value = formatDate(day)
		} else if n, err := strconv.Atoi(v); err == nil && len(v) < 16 {
			it.Value = p.Num(n)
		} else if k == "backfill" {
			it.Value = p.T("audit.backfill")
		}
		out = append(out, it)
	}
	return out
}

// Who names the actor of an entry: the system's own steps (drafts, scheduled
// builds) in the page's language, people by their names.
func (p *page) Who(actor string) string {
	if actor == "system" {
		return p.T("actor.system")
	}
	return actor
}
